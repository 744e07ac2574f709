-- What the shop sells, and the orders that take it: stock is a column guarded by the database itself.
-- migrate:up
CREATE TABLE products (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sku         text NOT NULL UNIQUE,
    name        text NOT NULL,
    -- Money is exact: numeric with two places, never a float.
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    -- The last line of defence against overselling: no code path can take stock below zero.
    stock       integer NOT NULL CHECK (stock >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_name_idx ON products (lower(name), sku);

CREATE TABLE orders (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id  uuid NOT NULL REFERENCES users (id),
    status       text NOT NULL DEFAULT 'pending'
                 CONSTRAINT orders_status_check CHECK (status IN ('pending', 'shipped', 'cancelled')),
    -- Computed from the prices when the order was placed; later price changes do not touch it.
    total        numeric(12, 2) NOT NULL CHECK (total >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC, id);

CREATE TABLE order_lines (
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no     integer NOT NULL CHECK (line_no > 0),
    product_id  uuid NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line_no),
    -- A product appears once per order: a second line for it is refused, not merged.
    UNIQUE (order_id, product_id)
);
CREATE INDEX order_lines_product_idx ON order_lines (product_id);

-- migrate:down
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE products;
