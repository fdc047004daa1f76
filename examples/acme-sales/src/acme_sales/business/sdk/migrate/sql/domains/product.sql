-- The product domain: its table, and the view its read model (GET /v1/vproducts) queries.
-- Generated from the `domains` answer. Once applied anywhere this file must not change: add a
-- core migration (sql/NNNN_*.sql) to alter the table instead.

CREATE TABLE products (
    product_id UUID NOT NULL PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    cost NUMERIC(14, 2) NOT NULL,
    quantity INTEGER NOT NULL,
    date_created TIMESTAMPTZ NOT NULL,
    date_updated TIMESTAMPTZ NOT NULL
);

CREATE INDEX products_user_id_idx ON products (user_id);

CREATE VIEW view_products AS
SELECT
    t.product_id,
    t.user_id,
    t.name,
    t.cost,
    t.quantity,
    t.date_created,
    t.date_updated,
    u.name AS user_name
FROM products AS t
JOIN users AS u ON u.user_id = t.user_id;
