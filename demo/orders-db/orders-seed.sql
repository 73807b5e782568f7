-- The orders database of orders-api (scripts/demo/orders-db.sh runs it once, on the leader,
-- as postgres): a few tables and a few thousand rows for the backup drill to verify. The
-- demo's writer then keeps placing orders (orders, order_events) and shipping them.
GRANT CREATE ON SCHEMA public TO opsdeck_failover; -- the failover's canary table
SET ROLE orders_app;
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE products (sku text PRIMARY KEY, title text NOT NULL, price_cents int NOT NULL);
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,
  status text NOT NULL DEFAULT 'pending', created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE order_items (order_id bigint NOT NULL REFERENCES orders,
  sku text NOT NULL REFERENCES products, quantity int NOT NULL, PRIMARY KEY (order_id, sku));
-- Append-only: the drill holds its rows up to the copy's largest id against the source.
CREATE TABLE order_events (id bigserial PRIMARY KEY, order_id bigint NOT NULL, event text NOT NULL,
  at timestamptz NOT NULL DEFAULT now());
INSERT INTO customers (id, email)
  SELECT g, 'customer' || g || '@example.com' FROM generate_series(1, 500) g;
INSERT INTO products SELECT 'SKU-' || g, 'Product ' || g, 100 + g * 7 FROM generate_series(1, 50) g;
INSERT INTO orders (customer_id, status, created_at)
  SELECT 1 + g % 500, CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'shipped' END,
    now() - g * interval '1 minute'
  FROM generate_series(1, 2000) g;
INSERT INTO order_items
  SELECT o.id, 'SKU-' || (1 + (o.id + k) % 50), 1 + k FROM orders o, generate_series(0, 1) k;
INSERT INTO order_events (order_id, event) SELECT id, 'placed' FROM orders;
RESET ROLE;
ANALYZE;
