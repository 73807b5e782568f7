// How the database runs the list query, read from the database the backend
// uses (read-only): the plan, its timing and the settings that decide write costs.

import { createRequire } from 'node:module';
import path from 'node:path';
import { BACKEND_DIR, OPTIONS, randomService, serviceRef } from './options.mjs';
import { execFileAsync } from './util.mjs';

// The query DatabaseIncidentStore.listIncidents sends for one entity's first
// page (limit <page size + 1>, the extra row telling whether a next page exists).
const LIST_SQL = ref =>
  `select * from ops_incidents where entity_ref = '${ref}' order by detected_at desc, id desc limit ${
    OPTIONS.pageSize + 1
  }`;

function describeSqlite(sqliteDir, ref) {
  // better-sqlite3 from the backend's dependencies
  const Database = createRequire(path.join(BACKEND_DIR, 'package.json'))(
    'better-sqlite3',
  );
  const conn = new Database(path.join(sqliteDir, 'ops.sqlite'), {
    readonly: true,
    timeout: 5000,
  });
  try {
    const plan = conn
      .prepare(`explain query plan ${LIST_SQL(ref)}`)
      .all()
      .map(r => r.detail);
    const statement = conn.prepare(LIST_SQL(ref));
    const rounds = 200;
    const t = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) statement.all();
    const ms = Number(process.hrtime.bigint() - t) / 1e6 / rounds;
    const pragma = name => conn.pragma(name, { simple: true });
    return [
      `plan: ${plan.join('; ')}`,
      `query alone: ${ms.toFixed(3)} ms (mean of ${rounds}, in this process)`,
      `journal_mode=${pragma('journal_mode')} synchronous=${pragma(
        'synchronous',
      )} (2 = FULL: every commit is synced)`,
    ];
  } finally {
    conn.close();
  }
}

async function describePostgres(pg, ref) {
  const psql = async sql =>
    (
      await execFileAsync(
        '/usr/lib/postgresql/15/bin/psql',
        [
          '-h',
          pg.host,
          '-p',
          String(pg.port),
          '-U',
          pg.user,
          '-d',
          'backstage_plugin_ops',
          '-qAt',
          '-c',
          sql,
        ],
        { timeout: 60_000 },
      )
    ).stdout.trim();
  const plan = await psql(
    `explain (analyze, buffers, costs off) ${LIST_SQL(ref)}`,
  );
  const settings = await psql(
    "select string_agg(name || '=' || setting, ' ' order by name) from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')",
  );
  return [...plan.split('\n'), settings];
}

/** Lines describing the list query on `db`; a failure is described, not thrown. */
export async function describeDatabase(db, { sqliteDir, pg }) {
  const ref = serviceRef(randomService());
  try {
    return db === 'sqlite'
      ? describeSqlite(sqliteDir, ref)
      : await describePostgres(pg, ref);
  } catch (error) {
    return [`(could not describe the database: ${error.message})`];
  }
}
