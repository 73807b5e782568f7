-- A ledger database of about 1 GB for the large backup drill test
-- (backupDrill.large.integration.test.ts) and `yarn bench:drill`. Run with
-- psql -v rows=<ledger entries> (6,500,000 give about 1.1 GB).
--
-- Ordinary, logged tables: loaded with INSERT ... SELECT from generate_series
-- into tables created in the same transaction, which PostgreSQL writes without
-- WAL at wal_level = minimal (as a bulk load would), and indexed afterwards.

CREATE TABLE accounts (
  id         integer PRIMARY KEY,
  name       text NOT NULL,
  currency   char(3) NOT NULL,
  opened_at  timestamptz NOT NULL
);
INSERT INTO accounts
SELECT g, 'account ' || g, (ARRAY['USD', 'EUR', 'GBP'])[1 + g % 3],
       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 hour'
FROM generate_series(1, 10000) g;

BEGIN;
CREATE TABLE ledger_entries (
  id            bigint NOT NULL,
  account_id    integer NOT NULL,
  kind          smallint NOT NULL,
  amount_cents  bigint NOT NULL,
  posted_at     timestamptz NOT NULL,
  reference     text NOT NULL
);
INSERT INTO ledger_entries
SELECT g, (1 + (g * 7919) % 10000)::integer, (g % 4)::smallint, (g * 4973) % 1000000 - 500000,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '3 seconds',
       'payment ' || md5(g::text) || ' batch ' || (g / 1000) || ' ' || md5((g * 31)::text)
FROM generate_series(1::bigint, :rows) g;
COMMIT;
ALTER TABLE ledger_entries ADD PRIMARY KEY (id);
ALTER TABLE ledger_entries ADD FOREIGN KEY (account_id) REFERENCES accounts;
ANALYZE;
