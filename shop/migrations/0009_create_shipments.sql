-- Shipments of paid orders (one per order), and when the worker finished processing each message.
-- migrate:up
CREATE TABLE shipments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id         uuid NOT NULL UNIQUE REFERENCES orders (id),
    tracking_number  text NOT NULL UNIQUE,
    shipped_at       timestamptz NOT NULL DEFAULT now()
);

-- `attempt` is the delivery whose database effects committed; `completed_attempt` the delivery
-- after which everything else (an email, say) was done too.
ALTER TABLE processed_messages
    ADD COLUMN completed_attempt integer,
    ADD COLUMN completed_at timestamptz;

-- migrate:down
ALTER TABLE processed_messages DROP COLUMN completed_at, DROP COLUMN completed_attempt;
DROP TABLE shipments;
