import { discoveryApiRef } from '@backstage/frontend-plugin-api';
import {
  mockApis,
  registerMswTestHooks,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from './__testUtils__/fakeOpsBackend';
import { anEvent, anIncident } from './__testUtils__/fixtures';
import opsPlugin from './alpha';

// The plugin as an app on the new frontend system installs it: its pages at
// their default paths, routed to one another, and in the nav.
describe('opsPlugin (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const incident = anIncident({ id: 'inc-1', title: 'Card payments fail' });

  function renderApp(path: string) {
    fakeOpsBackend(server, { incidents: [incident], events: [anEvent()] });
    return renderTestApp({
      features: [opsPlugin],
      initialRouteEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [discoveryApiRef, mockApis.discovery({ baseUrl: 'http://backend' })],
        [permissionApiRef, mockApis.permission()],
      ],
    });
  }

  it('puts the OpsDeck page at /ops, in the nav as Operations', async () => {
    renderApp('/ops');

    expect(
      await screen.findByRole('heading', { name: 'Operations' }),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Incidents' });
    expect(
      within(table).getByRole('link', { name: 'Card payments fail' }),
    ).toHaveAttribute('href', '/ops/incidents/inc-1');
    expect(
      screen
        .getAllByRole('link', { name: /Operations/ })
        .map(link => link.getAttribute('href')),
    ).toContain('/ops');
  });

  it('puts the incident page at /ops/incidents/:id', async () => {
    renderApp('/ops/incidents/inc-1');

    expect(
      await screen.findByRole('heading', { name: 'Card payments fail' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('list', { name: 'Timeline' }),
    ).toHaveTextContent('Declared SEV2: Card payments fail');
  });

  it('keeps the annotation reference at /ops/annotations', async () => {
    renderApp('/ops/annotations');

    expect(
      await screen.findByRole('heading', { name: 'OpsDeck annotations' }),
    ).toBeInTheDocument();
  });
});
