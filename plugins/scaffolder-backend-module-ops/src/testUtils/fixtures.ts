import { resolvePackagePath } from '@backstage/backend-plugin-api';

export { RecordingOpsClient } from './RecordingOpsClient';
export { scriptActionContext } from './scriptContext';
export {
  FAILOVER_INPUT,
  PAYMENTS_API,
  ReplicatedCluster,
} from './replicatedCluster';
export {
  atPort,
  connectApp,
  fromConnectionFile,
  leaderAmong,
  missingInserts,
  startLedgerWriter,
} from './ledgerWriter';
// For `yarn bench:failover --repoint pgbouncer`: a real PgBouncer in front of
// the cluster (the writer goes through it with `atPort`, never reconnecting).
export { PgBouncerServer } from './pgBouncer';
export type { PgBouncerRoute } from './pgBouncer';

/**
 * The SQL script that fills a `ledger` database with `:rows` rows (psql
 * `--set=rows=N`), as the large drill test and `yarn bench:drill` use it.
 *
 * @public
 */
export const LEDGER_SEED_SQL = resolvePackagePath(
  '@opsdeck/plugin-scaffolder-backend-module-ops',
  'src/testUtils/ledgerSeed.sql',
);
