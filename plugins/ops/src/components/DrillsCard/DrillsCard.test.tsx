import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import {
  aDrill,
  minutesAgo,
  PAYMENTS_API_REF,
  paymentsApi,
} from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { DrillsCard } from './DrillsCard';

const restoreDrill = aDrill({
  id: 'drill-restore',
  kind: 'backup-restore',
  target: 'payments-db',
  status: 'passed',
  startedAt: minutesAgo(3 * 24 * 60),
  rtoSeconds: 4 * 60 + 12,
  rpoSeconds: 22 * 60,
  report:
    '## Restore of payments-db\n\nRestored the **02:00** base backup into a scratch instance.',
  verification: [
    {
      name: 'row count of payments',
      passed: true,
      expected: '1204',
      actual: '1204',
    },
    {
      name: 'latest payment age',
      passed: false,
      expected: '< 15m',
      actual: '22m',
    },
  ],
  steps: [
    {
      name: 'restore base backup',
      status: 'succeeded',
      startedAt: '2025-03-01T10:00:00.000Z',
      finishedAt: '2025-03-01T10:03:30.000Z',
      output: 'pg_restore finished: 12 tables',
    },
    {
      name: 'replay WAL',
      status: 'failed',
      startedAt: '2025-03-01T10:03:30.000Z',
      finishedAt: '2025-03-01T10:04:12.000Z',
      output: 'WAL segment missing',
    },
  ],
});
const runningFailover = aDrill({
  id: 'drill-failover',
  kind: 'failover',
  target: 'payments-db-replica',
  status: 'running',
  startedAt: minutesAgo(3),
  finishedAt: undefined,
  rtoSeconds: undefined,
  rpoSeconds: undefined,
});

function chipIn(row: HTMLElement, status: string) {
  return within(row).getByText(status).closest('[data-status]');
}

describe('DrillsCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function renderCard() {
    return renderWithOpsApis(
      <EntityProvider entity={paymentsApi}>
        <DrillsCard />
      </EntityProvider>,
    );
  }

  it("lists the entity's drills with their measures against the objectives", async () => {
    const backend = fakeOpsBackend(server, {
      drills: [runningFailover, restoreDrill],
    });

    await renderCard();

    const table = await screen.findByRole('table', {
      name: 'Drills of payments-api',
    });
    const [, failover, restore] = within(table).getAllByRole('row');

    expect(failover).toHaveTextContent('Failover');
    expect(failover).toHaveTextContent('payments-db-replica');
    expect(chipIn(failover, 'running')).toHaveStyle({
      backgroundColor: '#1565c0',
    });
    expect(failover).toHaveTextContent('3 minutes ago');
    expect(failover).toHaveTextContent('RTO – / 1h');

    expect(restore).toHaveTextContent('Backup restore');
    expect(chipIn(restore, 'passed')).toHaveStyle({
      backgroundColor: '#2e7d32',
    });
    expect(restore).toHaveTextContent('RTO 4m 12s / 1h ✓');
    expect(restore).toHaveTextContent('RPO 22m / 15m ✗');
    expect(
      within(restore).getByRole('img', { name: 'RTO objective met' }),
    ).toBeInTheDocument();
    expect(
      within(restore).getByRole('img', { name: 'RPO objective missed' }),
    ).toBeInTheDocument();

    const query = backend.requestsTo('GET', '/drills')[0].url.searchParams;
    expect(query.get('entityRef')).toBe(PAYMENTS_API_REF);
  });

  it("opens a drill's report", async () => {
    const backend = fakeOpsBackend(server, { drills: [restoreDrill] });
    const user = userEvent.setup();

    await renderCard();
    await user.click(await screen.findByRole('button', { name: 'Report' }));

    const dialog = await screen.findByRole('dialog', {
      name: 'Backup restore drill of payments-db',
    });
    expect(
      await within(dialog).findByRole('heading', {
        name: 'Restore of payments-db',
      }),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('02:00').tagName).toBe('STRONG');

    // A finished drill shows its report only (DrillReportDialog.test.tsx).
    expect(within(dialog).queryByRole('table')).not.toBeInTheDocument();

    // The report is of the drill as it is now, not as it was listed.
    expect(backend.requestsTo('GET', '/drills/drill-restore')).toHaveLength(1);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  describe('Run drill', () => {
    function renderCardOf(
      annotations: Record<string, string>,
      authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
      config?: Record<string, unknown>,
    ) {
      return renderWithOpsApis(
        <EntityProvider
          entity={{
            ...paymentsApi,
            metadata: { ...paymentsApi.metadata, annotations },
          }}
        >
          <DrillsCard />
        </EntityProvider>,
        { authorize, config },
      );
    }

    function formDataOf(link: HTMLElement) {
      const url = new URL(link.getAttribute('href')!, 'http://app');
      return {
        path: url.pathname,
        formData: JSON.parse(url.searchParams.get('formData')!),
      };
    }

    it('opens the backup drill template with the service and its target filled in', async () => {
      fakeOpsBackend(server, { drills: [restoreDrill] });

      await renderCardOf({ 'opsdeck.dev/databases': 'payments-db' });

      // An anchor styled as a button: MUI gives it the button role.
      const link = await screen.findByRole('button', { name: 'Run drill' });
      expect(formDataOf(link)).toEqual({
        path: '/create/templates/default/ops-backup-drill',
        formData: { service: PAYMENTS_API_REF, target: 'payments-db' },
      });
    });

    it('opens the failover template for the target as a dry run', async () => {
      fakeOpsBackend(server, { drills: [restoreDrill] });

      await renderCardOf({ 'opsdeck.dev/databases': 'payments-db' });

      const link = await screen.findByRole('button', { name: 'Fail over' });
      expect(formDataOf(link)).toEqual({
        path: '/create/templates/default/ops-db-failover',
        formData: {
          service: PAYMENTS_API_REF,
          target: 'payments-db',
          mode: 'dry-run',
        },
      });
    });

    it('offers one per target when the service names several', async () => {
      fakeOpsBackend(server, { drills: [] });

      await renderCardOf({
        'opsdeck.dev/databases': 'payments-db, ledger-db',
      });

      const ledger = await screen.findByRole('button', {
        name: 'Run drill of ledger-db',
      });
      expect(formDataOf(ledger).formData).toEqual({
        service: PAYMENTS_API_REF,
        target: 'ledger-db',
      });
      expect(
        formDataOf(
          screen.getByRole('button', { name: 'Run drill of payments-db' }),
        ).formData.target,
      ).toBe('payments-db');
    });

    it('offers no failover of a MySQL target', async () => {
      fakeOpsBackend(server, { drills: [] });

      await renderCardOf(
        { 'opsdeck.dev/databases': 'payments-db, ledger-db' },
        undefined,
        {
          ops: {
            databases: {
              'payments-db': { engine: 'postgres' },
              'ledger-db': { engine: 'mysql' },
            },
          },
        },
      );

      await screen.findByRole('button', { name: 'Run drill of ledger-db' });
      expect(
        screen.getAllByRole('button', { name: /^(Run drill|Fail over)/ }),
      ).toEqual([
        screen.getByRole('button', { name: 'Run drill of payments-db' }),
        screen.getByRole('button', { name: 'Fail over of payments-db' }),
        screen.getByRole('button', { name: 'Run drill of ledger-db' }),
      ]);
    });

    it('is not shown when the service names no database target', async () => {
      fakeOpsBackend(server, { drills: [restoreDrill] });

      await renderCardOf({ 'opsdeck.dev/databases': '  ' });

      await screen.findByRole('table', { name: 'Drills of payments-api' });
      expect(screen.queryByText(/Run drill/)).not.toBeInTheDocument();
    });

    it('is disabled, saying why, for a user who may not record drills of the service', async () => {
      fakeOpsBackend(server, { drills: [] });

      await renderCardOf(
        { 'opsdeck.dev/databases': 'payments-db' },
        AuthorizeResult.DENY,
      );

      const button = await screen.findByRole('button', { name: 'Run drill' });
      await waitFor(() => expect(button).toBeDisabled());
      expect(button).not.toHaveAttribute('href');
      expect(screen.getByRole('button', { name: 'Fail over' })).toBeDisabled();
      expect(
        screen.getAllByTitle(
          'Only the owners of this service can run its drills',
        ),
      ).toHaveLength(2);
    });
  });

  describe('Re-run drill', () => {
    const failedRestore = aDrill({
      ...restoreDrill,
      id: 'drill-failed-restore',
      target: 'ledger-db',
      status: 'failed',
    });
    const failedFailover = aDrill({
      ...runningFailover,
      id: 'drill-failed-failover',
      status: 'failed',
    });

    it('offers it on a failed backup drill only, with the same service and target', async () => {
      fakeOpsBackend(server, {
        drills: [failedFailover, failedRestore, restoreDrill],
      });

      await renderCard();

      const table = await screen.findByRole('table', {
        name: 'Drills of payments-api',
      });
      const [, failover, failed, passed] = within(table).getAllByRole('row');
      const link = within(failed).getByRole('button', {
        name: 'Re-run drill',
      });
      const url = new URL(link.getAttribute('href')!, 'http://app');
      expect(url.pathname).toBe('/create/templates/default/ops-backup-drill');
      expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
        service: PAYMENTS_API_REF,
        target: 'ledger-db',
      });
      expect(within(failover).queryByText('Re-run drill')).toBeNull();
      expect(within(passed).queryByText('Re-run drill')).toBeNull();
      expect(screen.getAllByText('Re-run drill')).toHaveLength(1);
    });

    it('is disabled, saying why, for a user who may not record drills', async () => {
      fakeOpsBackend(server, { drills: [failedRestore] });

      await renderWithOpsApis(
        <EntityProvider entity={paymentsApi}>
          <DrillsCard />
        </EntityProvider>,
        { authorize: AuthorizeResult.DENY },
      );

      const button = await screen.findByRole('button', {
        name: 'Re-run drill',
      });
      await waitFor(() => expect(button).toBeDisabled());
      expect(
        screen.getByTitle('Only the owners of this service can run its drills'),
      ).toBeInTheDocument();
    });
  });

  it('says when no drill has been run', async () => {
    fakeOpsBackend(server, { drills: [] });

    await renderCard();

    expect(
      await screen.findByText(/No drill has been run for this service yet/),
    ).toBeInTheDocument();
  });
});
