import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { fakeOpsBackend } from '../../__testUtils__/fakeOpsBackend';
import { aDrill } from '../../__testUtils__/fixtures';
import { renderWithOpsApis } from '../../__testUtils__/renderWithOpsApis';
import { DrillReportDialog } from './DrillReportDialog';

// A report as the scaffolder module's renderer (procedures/report.ts) writes
// it for an infrastructure failure.
const REPORT = [
  '## FAILED (infrastructure failure, not the backup): backup-restore drill of payments-db',
  '',
  'RTO – / 1h (not measured) · RPO 13m 56s / 15m ✓',
  '',
  '_RTO: scratch instance and restore. RPO: age of the newest restorable point of the backup._',
  '',
  '**Why it failed**',
  '',
  '- Create scratch instance failed: No space left on device',
  '',
  'Backup payments-db-20261202T101500Z.dump, taken 2026-12-02T10:15:00.000Z.',
  '',
  '### Verification',
  '',
  '2 of 2 verifications passed.',
  '',
  '| table | rows on the source now | rows in the copy | result | notes |',
  '| --- | ---: | ---: | --- | --- |',
  '| public.payments | 1002 | 1000 | passed | drift since the backup: +2 rows on the source |',
  '| public.refunds | 40 | 40 | passed |  |',
  '',
  '### Steps',
  '',
  '- **Create scratch instance** (1s) **FAILED**: No space left on device',
  '- **Restore** skipped: Not run: Create scratch instance failed',
  '',
].join('\n');

describe('DrillReportDialog', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  async function open(drill: ReturnType<typeof aDrill>) {
    fakeOpsBackend(server, { drills: [drill] });
    await renderWithOpsApis(
      <DrillReportDialog open drill={drill} onClose={() => {}} />,
    );
    return screen.findByRole('dialog', {
      name: 'Backup restore drill of payments-db',
    });
  }

  it('shows the verdict first, then the one table of the report', async () => {
    const dialog = await open(
      aDrill({ status: 'failed', rtoSeconds: undefined, report: REPORT }),
    );

    const verdict = await within(dialog).findByRole('heading', {
      level: 2,
      name: /^FAILED \(infrastructure failure, not the backup\)/,
    });
    expect(verdict).toBeVisible();
    // Nothing comes before the verdict in the dialog's content.
    const content = dialog.querySelector('.MuiDialogContent-root')!;
    expect(content.textContent).toMatch(/^FAILED \(infrastructure failure/);
    expect(dialog).toHaveTextContent(
      'RTO – / 1h (not measured) · RPO 13m 56s / 15m ✓',
    );

    // One table: the report's, not a second one of the same figures.
    const [table] = within(dialog).getAllByRole('table');
    expect(within(dialog).getAllByRole('table')).toHaveLength(1);
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(
      'public.payments10021000passeddrift since the backup: +2 rows on the source',
    );
    expect(
      within(dialog).getByRole('heading', { level: 3, name: 'Steps' }),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('by user:default/guest');
  });

  it('renders a report stored before this layout as it was written', async () => {
    const dialog = await open(
      aDrill({
        report:
          '## Backup-restore drill of payments-db: PASSED\n\n| | measured | objective | within |\n| --- | --- | --- | --- |\n| RTO | 8.3 s | 1 h | ✅ |',
      }),
    );
    expect(
      await within(dialog).findByRole('heading', {
        name: 'Backup-restore drill of payments-db: PASSED',
      }),
    ).toBeVisible();
    expect(within(dialog).getByRole('table')).toHaveTextContent('8.3 s');
  });

  it('shows a running drill by its steps so far', async () => {
    const dialog = await open(
      aDrill({
        status: 'running',
        finishedAt: undefined,
        rtoSeconds: undefined,
        rpoSeconds: undefined,
        steps: [
          {
            name: 'Restore',
            status: 'succeeded',
            startedAt: '2026-12-02T10:00:00.000Z',
            finishedAt: '2026-12-02T10:03:30.000Z',
            output: 'pg_restore -j 4 of payments-db-20261202T101500Z.dump',
          },
        ],
      }),
    );
    const steps = await within(dialog).findByRole('table', { name: 'Steps' });
    expect(within(steps).getAllByRole('row')[1]).toHaveTextContent(
      'Restoresucceeded3m 30spg_restore -j 4 of payments-db-20261202T101500Z.dump',
    );
    expect(dialog).toHaveTextContent('RTO – / 1h');
  });
});
