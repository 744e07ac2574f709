-- Card payments of orders: the charge that paid an order (and its refund), and every attempt to pay,
-- with the provider's answer; orders gain the states a payment moves them through.
-- migrate:up
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'payment_failed', 'paid', 'shipped', 'cancelled', 'refunded'));

-- One payment per order at most: the second charge of an order cannot be recorded.
CREATE TABLE payments (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id            uuid NOT NULL UNIQUE REFERENCES orders (id),
    provider_charge_id  text NOT NULL UNIQUE,
    amount              numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status              text NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'refunded')),
    paid_at             timestamptz NOT NULL DEFAULT now(),
    provider_refund_id  text UNIQUE,
    refunded_at         timestamptz,
    CONSTRAINT payments_refund_recorded
        CHECK ((status = 'refunded') = (provider_refund_id IS NOT NULL AND refunded_at IS NOT NULL))
);

-- Every call to charge an order's card and how it ended: `succeeded`, `declined` (the provider's
-- decline code and message) or `failed` (no definitive answer; the reason). The idempotency key is
-- the one the provider saw on every try of that attempt.
CREATE TABLE payment_attempts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    idempotency_key  text NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'failed')),
    decline_code     text,
    reason           text,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((outcome = 'declined') = (decline_code IS NOT NULL))
);
CREATE INDEX payment_attempts_order_idx ON payment_attempts (order_id, created_at);

-- migrate:down
DROP TABLE payment_attempts;
DROP TABLE payments;
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
-- Refuses (check violation) while an order is in one of the payment states: rolling back must not
-- silently relabel paid or refunded orders.
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending', 'shipped', 'cancelled'));
