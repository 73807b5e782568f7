// Writes the incidents straight into the plugin's database, in one statement
// per table, as rows of the same shape as POST /api/ops/incidents writes (an
// incident and its `created` timeline event). Through the API, each create
// is also authorised by the permission policy and heard by notifications
// (the catalog for the audience, the notifications backend, Slack, signals):
// about 15 creates a second on this machine, hours for 100,000. The bench
// measures reads, so the rows go in directly; `--seed api` still creates them
// through the API (closedLoop.mjs) to measure creates.

import { createRequire } from 'node:module';
import path from 'node:path';
import { BACKEND_DIR, OPTIONS } from './options.mjs';
import { execFileAsync } from './util.mjs';

const ACTOR = 'user:default/guest';

/**
 * The SELECT producing row `i` (0-based) of OPTIONS.incidents, in either SQL:
 * round-robin over the services, a severity cycling more slowly, one
 * detection a second back from now (the newest last), so that every service
 * has OPTIONS.incidents / OPTIONS.services incidents over the whole range.
 */
function incidentColumns({ i, severities, nowMs, toTime, uuid, pad }) {
  const n = OPTIONS.services;
  const severity = `CASE (${i} / ${n}) % ${severities.length} ${severities
    .map((s, k) => `WHEN ${k} THEN '${s}'`)
    .join(' ')} END`;
  const time = toTime(`${nowMs} - (${OPTIONS.incidents} - ${i}) * 1000`);
  return {
    id: uuid,
    entity_ref: `'component:default/svc-' || ${pad(`${i} % ${n} + 1`)}`,
    title: `'Bench incident ' || (${i} + 1)`,
    severity,
    status: `'open'`,
    detected_at: time,
    labels: `'{}'`,
    version: '1',
    created_by: `'${ACTOR}'`,
    created_at: time,
    updated_by: `'${ACTOR}'`,
    updated_at: time,
  };
}

const insertSql = (columns, from) =>
  `INSERT INTO ops_incidents (${Object.keys(columns).join(
    ', ',
  )}) SELECT ${Object.values(columns).join(', ')} FROM ${from}`;

const EVENTS_SQL = `INSERT INTO ops_incident_events (incident_id, type, message, data, author, created_at)
  SELECT id, 'created', 'Declared ' || severity || ': ' || title,
         '{"severity":"' || severity || '","status":"open"}', created_by, created_at
  FROM ops_incidents ORDER BY created_at, id`;

const width = () => Math.max(4, String(OPTIONS.services).length);

function seedSqlite(sqliteDir, severities) {
  const Database = createRequire(path.join(BACKEND_DIR, 'package.json'))(
    'better-sqlite3',
  );
  const conn = new Database(path.join(sqliteDir, 'ops.sqlite'), {
    timeout: 30_000,
  });
  try {
    const columns = incidentColumns({
      i: 'i',
      severities,
      nowMs: Date.now(),
      // knex stores a Date in SQLite as milliseconds since the epoch
      toTime: ms => `(${ms})`,
      uuid: `printf('%08x-0000-4000-8000-%012x', i, i)`,
      pad: v => `printf('%0${width()}d', ${v})`,
    });
    conn.transaction(() => {
      conn
        .prepare(
          `${insertSql(
            columns,
            `(WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${
              OPTIONS.incidents - 1
            }) SELECT i FROM seq)`,
          )}`,
        )
        .run();
      conn.prepare(EVENTS_SQL).run();
    })();
    conn.pragma('optimize');
  } finally {
    conn.close();
  }
}

async function seedPostgres(pg, severities) {
  const columns = incidentColumns({
    i: 'i',
    severities,
    nowMs: Date.now(),
    toTime: ms => `to_timestamp((${ms})::double precision / 1000)`,
    uuid: `gen_random_uuid()::text`,
    pad: v => `lpad((${v})::text, ${width()}, '0')`,
  });
  // one simple query: psql runs it in one transaction
  const sql = [
    insertSql(columns, `generate_series(0, ${OPTIONS.incidents - 1}) AS i`),
    EVENTS_SQL,
    'ANALYZE ops_incidents',
    'ANALYZE ops_incident_events',
  ].join(';\n');
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
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      sql,
    ],
    { timeout: 600_000 },
  );
}

/** Writes OPTIONS.incidents incidents into the database of `db`; resolves with the seconds it took. */
export async function seedIncidents(db, { sqliteDir, pg, severities }) {
  const started = Date.now();
  if (db === 'sqlite') seedSqlite(sqliteDir, severities);
  else await seedPostgres(pg, severities);
  return (Date.now() - started) / 1000;
}
