-- A payment attempt is recorded before the provider is called and settled after it answers, in two
-- short transactions: the order is `payment_pending` in between, and stays so while the outcome is
-- unknown (the provider's answer was lost) until the shop has asked the provider what happened.
-- Unpaid orders that are never paid expire and give their stock back.
-- migrate:up
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'payment_pending', 'payment_failed', 'paid', 'shipped', 'cancelled', 'refunded',
                      'expired'));
CREATE INDEX orders_unpaid_idx ON orders (created_at) WHERE status IN ('pending', 'payment_failed', 'payment_pending');

-- `in_flight`: recorded, the provider is being asked; `unknown`: no definitive answer came back;
-- `succeeded` carries the provider's charge (and `refunded` its refund when the shop could not honour it).
ALTER TABLE payment_attempts DROP CONSTRAINT payment_attempts_outcome_check;
ALTER TABLE payment_attempts ADD CONSTRAINT payment_attempts_outcome_check
    CHECK (outcome IN ('in_flight', 'unknown', 'succeeded', 'declined', 'failed', 'refunded'));
-- `asked_at`: when the provider was last asked about the attempt (an in-flight attempt older than the
-- longest call the shop makes was abandoned, by a crash say, and is as unknown as a lost answer).
ALTER TABLE payment_attempts
    ADD COLUMN provider_charge_id text,
    ADD COLUMN asked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    ADD COLUMN settled_at timestamptz;

-- migrate:down
ALTER TABLE payment_attempts DROP COLUMN settled_at, DROP COLUMN asked_at, DROP COLUMN provider_charge_id;
-- Refuses (check violation) while an attempt is in flight, unknown or refunded: settle them first.
ALTER TABLE payment_attempts DROP CONSTRAINT payment_attempts_outcome_check;
ALTER TABLE payment_attempts ADD CONSTRAINT payment_attempts_outcome_check
    CHECK (outcome IN ('succeeded', 'declined', 'failed'));
DROP INDEX orders_unpaid_idx;
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'payment_failed', 'paid', 'shipped', 'cancelled', 'refunded'));
