-- The payments database of payments-api (examples/payments-api), for the local demo:
-- merchants, customers, card payments with their captures and refunds, and the double-entry
-- ledger they post. Deterministic (no random()), so every demo start seeds the same rows,
-- and small enough to seed in about a second. Run as the postgres superuser by
-- scripts/demo/postgres.sh; the tables belong to the application role payments_app.

SET ROLE payments_app;

CREATE TABLE merchants (
  id          bigint PRIMARY KEY,
  name        text NOT NULL,
  country     char(2) NOT NULL,
  mcc         smallint NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE customers (
  id          bigint PRIMARY KEY,
  email       text NOT NULL UNIQUE,
  country     char(2) NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TYPE payment_status AS ENUM ('authorized', 'captured', 'refunded', 'failed');

CREATE TABLE payments (
  id            bigint PRIMARY KEY,
  merchant_id   bigint NOT NULL REFERENCES merchants,
  customer_id   bigint NOT NULL REFERENCES customers,
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  currency      char(3) NOT NULL,
  status        payment_status NOT NULL,
  card_last4    char(4) NOT NULL,
  created_at    timestamptz NOT NULL,
  captured_at   timestamptz
);
CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at);

CREATE TABLE refunds (
  id            bigint PRIMARY KEY,
  payment_id    bigint NOT NULL REFERENCES payments,
  amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
  reason        text NOT NULL,
  created_at    timestamptz NOT NULL
);

CREATE TABLE ledger_entries (
  id            bigint PRIMARY KEY,
  payment_id    bigint NOT NULL REFERENCES payments,
  account       text NOT NULL,
  debit_cents   bigint NOT NULL DEFAULT 0,
  credit_cents  bigint NOT NULL DEFAULT 0,
  posted_at     timestamptz NOT NULL
);

INSERT INTO merchants
SELECT g, 'Merchant ' || g, (ARRAY['US','DE','FR','GB','NL','SE'])[1 + g % 6],
       (ARRAY[5411, 5812, 5999, 4121, 7011])[1 + g % 5],
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 day'
FROM generate_series(1, 200) g;

INSERT INTO customers
SELECT g, 'customer' || g || '@example.com', (ARRAY['US','DE','FR','GB','NL','SE'])[1 + (g * 7) % 6],
       timestamptz '2024-06-01 00:00:00+00' + g * interval '17 minutes'
FROM generate_series(1, 20000) g;

INSERT INTO payments
SELECT g, 1 + (g * 31) % 200, 1 + (g * 7919) % 20000, 100 + (g * 4973) % 250000,
       (ARRAY['USD','EUR','GBP'])[1 + g % 3],
       CASE WHEN g % 97 = 0 THEN 'failed'::payment_status
            WHEN g % 41 = 0 THEN 'refunded'
            WHEN g % 13 = 0 THEN 'authorized'
            ELSE 'captured' END,
       lpad(((g * 7331) % 10000)::text, 4, '0'),
       timestamptz '2026-01-01 00:00:00+00' + g * interval '2 minutes',
       CASE WHEN g % 97 <> 0 AND (g % 41 = 0 OR g % 13 <> 0)
            THEN timestamptz '2026-01-01 00:00:00+00' + g * interval '2 minutes' + interval '3 seconds' END
FROM generate_series(1, 100000) g;

INSERT INTO refunds
SELECT row_number() OVER (ORDER BY p.id), p.id, p.amount_cents,
       (ARRAY['requested_by_customer','duplicate','fraudulent'])[1 + p.id % 3],
       p.captured_at + interval '2 days'
FROM payments p WHERE p.status = 'refunded';

-- Two entries per captured or refunded payment: the customer's funds and the merchant's.
INSERT INTO ledger_entries
SELECT 2 * p.id - 1, p.id, 'customer_funds', p.amount_cents, 0, p.captured_at FROM payments p
WHERE p.captured_at IS NOT NULL
UNION ALL
SELECT 2 * p.id, p.id, 'merchant_' || p.merchant_id, 0, p.amount_cents, p.captured_at FROM payments p
WHERE p.captured_at IS NOT NULL;

RESET ROLE;
ANALYZE;
