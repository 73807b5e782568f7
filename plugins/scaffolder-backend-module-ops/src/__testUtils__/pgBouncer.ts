// The PgBouncer of the integration tests lives in testUtils, which the
// failover benchmark imports too.
export {
  PGBOUNCER_ADMIN,
  PGBOUNCER_ADMIN_PASSWORD,
  PgBouncerServer,
} from '../testUtils/pgBouncer';
