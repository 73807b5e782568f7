import { Entity } from '@backstage/catalog-model';
import { configApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { paymentsApi } from '../../__testUtils__/fixtures';
import { GrafanaPanelsCard } from './GrafanaPanelsCard';

function entity(panels?: string): Entity {
  return {
    ...paymentsApi,
    metadata: {
      ...paymentsApi.metadata,
      annotations:
        panels === undefined ? {} : { 'opsdeck.dev/grafana-panels': panels },
    },
  };
}

function render(panels: string | undefined, grafana?: object) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          mockApis.config({ data: grafana ? { ops: { grafana } } : {} }),
        ],
      ]}
    >
      <EntityProvider entity={entity(panels)}>
        <GrafanaPanelsCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function frameUrl(title: string) {
  return new URL(screen.getByTitle(title).getAttribute('src')!);
}

describe('GrafanaPanelsCard', () => {
  it('embeds every panel with its d-solo URL and one time range', async () => {
    await render('payments-overview:2,4?var-service=payments-api\nslo-db:7', {
      baseUrl: 'https://grafana.example.com/',
      orgId: 2,
    });
    expect(screen.getAllByTitle(/ · panel /)).toHaveLength(3);
    expect(screen.getByText('payments-overview · panel 4')).toBeInTheDocument();
    expect(
      screen.getByTitle('payments-overview · panel 2').getAttribute('src'),
    ).toBe(
      'https://grafana.example.com/d-solo/payments-overview/?orgId=2&panelId=2&from=now-1h&to=now&theme=light&var-service=payments-api',
    );
    const db = frameUrl('slo-db · panel 7');
    expect(db.pathname).toBe('/d-solo/slo-db/');
    expect(db.searchParams.get('panelId')).toBe('7');
    expect(db.searchParams.has('var-service')).toBe(false);
  });

  it('changes the time range of every panel at once', async () => {
    await render('payments-overview:2,4', {
      baseUrl: 'http://127.0.0.1:3100',
    });
    const picker = screen.getByRole('group', { name: 'Time range' });
    await userEvent.click(
      within(picker).getByRole('button', { name: 'Last 7 days' }),
    );
    for (const id of [2, 4]) {
      const url = frameUrl(`payments-overview · panel ${id}`);
      expect(url.searchParams.get('from')).toBe('now-7d');
      expect(url.searchParams.get('to')).toBe('now');
      expect(url.searchParams.get('orgId')).toBe('1');
    }
    // Clicking the selected range again keeps it.
    await userEvent.click(
      within(picker).getByRole('button', { name: 'Last 7 days' }),
    );
    expect(
      frameUrl('payments-overview · panel 2').searchParams.get('from'),
    ).toBe('now-7d');
  });

  it('says what is wrong with a malformed annotation, and embeds nothing', async () => {
    await render('payments-overview:2,x', {
      baseUrl: 'http://127.0.0.1:3100',
    });
    expect(
      screen.getByText(/opsdeck.dev\/grafana-panels is malformed/),
    ).toHaveTextContent('the panel id “x” is not a positive whole number');
    expect(screen.queryByTitle(/panel/)).not.toBeInTheDocument();
  });

  it('says that ops.grafana.baseUrl is needed', async () => {
    await render('payments-overview:2');
    expect(
      screen.getByText(/ops.grafana.baseUrl is not configured/),
    ).toBeInTheDocument();
    expect(screen.queryByTitle(/panel/)).not.toBeInTheDocument();
  });

  it('refuses a base URL that is not http(s)', async () => {
    await render('payments-overview:2', { baseUrl: 'file:///etc/grafana' });
    expect(
      screen.getByText(/ops.grafana.baseUrl is not an http\(s\) URL/),
    ).toBeInTheDocument();
    expect(screen.queryByTitle(/panel/)).not.toBeInTheDocument();
  });

  it('says how to link panels without the annotation', async () => {
    await render(undefined, { baseUrl: 'http://127.0.0.1:3100' });
    expect(screen.getByText(/No Grafana panels linked/)).toBeInTheDocument();
  });
});
