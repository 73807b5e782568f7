import { execFileSync } from 'node:child_process';
import { test, expect, type Locator } from '@playwright/test';
import {
  openOperationsTab,
  pressFormButton,
  signInAsGuest,
} from './navigation';

// maintenance-db, the MariaDB of the demo (scripts/demo/maintenance-db.sh:
// tasks_db on 127.0.0.1:3407, a nightly-style dump at every start, a writer
// that keeps adding tasks and moving them on), drilled for real from the
// browser: the Drills card's Run drill opens the same template as for the
// PostgreSQL targets, ops:mysql:backup-drill restores the newest dump into a
// scratch MariaDB and verifies it while the source keeps changing. Its report
// must name every verification: the tables, the view, the routine, the
// trigger, the event, the target's SQL checks and mariadb-check.

// The demo's fixed address and the writer's account (scripts/demo/maintenance-db.sh).
const PORT = 3407;
// What demo/maintenance-db/seed.sql creates besides rows, one of each kind.
const SCHEMA_OBJECTS = {
  view: 'open_tasks_by_assignee',
  routine: 'cancel_stale_tasks',
  trigger: 'tasks_status_comment',
  event: 'nightly_cancel_stale_tasks',
};
// app-config.yaml ops.databases.maintenance-db.checks.
const CHECKS = ['task statuses', 'comments of existing tasks'];

test.setTimeout(6 * 60_000);

/** Tasks so far, counted on the source as maintenance-api sees them. */
function tasksOnSource(): number {
  const out = execFileSync(
    'mariadb',
    [
      '--no-defaults',
      '-h',
      '127.0.0.1',
      '-P',
      String(PORT),
      '-u',
      'maintenance_app',
      '-N',
      '-B',
      '-e',
      'SELECT count(*) FROM tasks',
      'tasks_db',
    ],
    { env: { ...process.env, MYSQL_PWD: 'maintenance-demo-only' } },
  );
  return Number(out.toString().trim());
}

/** A step of the report's list of steps ("Restore (2.1s): ..."), by its exact name. */
function step(report: Locator, name: string) {
  return report
    .getByRole('listitem')
    .filter({ hasText: new RegExp(`^${name} \\(`) });
}

test('maintenance-db: a MariaDB drill from the Drills card restores the nightly dump and its report lists every verification', async ({
  page,
}) => {
  const startedAt = Date.now();
  const tasksBefore = tasksOnSource();

  await signInAsGuest(page);
  await openOperationsTab(page, 'maintenance-api');

  const run = page.getByRole('button', { name: 'Run drill', exact: true });
  // A MariaDB target cannot fail over (ops:postgres:failover promotes
  // PostgreSQL replicas): the card offers its drill only.
  await expect(run).toBeVisible();
  await expect(page.getByRole('button', { name: /^Fail over/ })).toHaveCount(0);
  await expect(run).toHaveAttribute(
    'href',
    /\/create\/templates\/default\/ops-backup-drill\?formData=/,
  );
  await run.click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/ops-backup-drill/,
  );
  // The target picker offers what maintenance-api lists, the given one chosen.
  const target = page.getByRole('combobox', { name: /Database target/ });
  await expect(target).toHaveValue('maintenance-db');
  await expect(target.locator('option')).toHaveText([
    'Choose a target',
    'maintenance-db',
  ]);
  await pressFormButton(page, /^(Next|Review)$/);
  await pressFormButton(page, 'Create');

  await expect(page).toHaveURL(/\/create\/tasks\//);
  const toOperations = page.getByText('Drill on the Operations tab');
  await expect(toOperations).toBeVisible({ timeout: 5 * 60_000 });
  await toOperations.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/maintenance-api\/operations$/,
  );

  // The drill is on the card, newest first, passed, recorded by this test.
  const newest = page
    .getByRole('table', { name: 'Drills of maintenance-api' })
    .getByRole('row')
    .nth(1);
  await expect(newest).toContainText('Backup restore');
  await expect(newest).toContainText('maintenance-db');
  await expect(newest.locator('[data-status]').first()).toHaveAttribute(
    'data-status',
    'passed',
  );
  expect(
    Date.parse((await newest.locator('time').getAttribute('datetime')) ?? ''),
  ).toBeGreaterThanOrEqual(startedAt - 1000);

  await newest.getByRole('button', { name: 'Report' }).click();
  const report = page.getByRole('dialog', {
    name: 'Backup restore drill of maintenance-db',
  });
  await expect(
    report.getByRole('heading', {
      level: 2,
      name: 'PASSED: backup-restore drill of maintenance-db',
    }),
  ).toBeInViewport();
  await expect(report).toContainText(/RTO .+ \/ 1h ✓ · RPO .+ \/ (1d|24h)/);

  // The restore names the dump the demo took, by its file name.
  await expect(step(report, 'Restore')).toContainText(
    /tasks_db-\d{8}T\d{6}Z\.sql\.gz/,
  );
  // Every verification, as visible text: both tables (in the one table of
  // the report), then the view, the routine, the trigger and the event, the
  // target's checks and mariadb-check's findings on the copy.
  const tables = report.getByRole('table');
  await expect(tables).toHaveCount(1);
  await expect(tables).toContainText('tasks');
  await expect(tables).toContainText('task_comments');
  for (const [kind, name] of Object.entries(SCHEMA_OBJECTS)) {
    await expect(report, `the ${kind} ${name}`).toContainText(name);
  }
  for (const check of CHECKS) {
    await expect(report).toContainText(check);
  }
  await expect(report).toContainText('mariadb-check');
  await expect(step(report, 'Clean up')).toContainText('Nothing left');

  // No server path anywhere in the report: no /tmp, no absolute path.
  const text = await report.innerText();
  expect(text).not.toContain('/tmp');
  expect(text).not.toMatch(/(^|[\s"'(`:=])\/[\w.-]+\//m);

  // The source was read, never restored into: the service's writes went on.
  expect(tasksOnSource()).toBeGreaterThan(tasksBefore);
});
