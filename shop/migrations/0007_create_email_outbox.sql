-- Every email the shop sends is first written here, in the transaction of what caused it, so an
-- email provider outage delays an email but never loses it, and a unique reference sends it once.
-- migrate:up
CREATE TABLE email_outbox (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference           text NOT NULL UNIQUE,
    to_address          text NOT NULL,
    to_name             text NOT NULL,
    subject             text NOT NULL,
    template            text NOT NULL,
    body                text NOT NULL,
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'rejected')),
    attempts            integer NOT NULL DEFAULT 0,
    last_error          text,
    provider_message_id text,
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_attempt_at     timestamptz,
    sent_at             timestamptz
);
-- The retry command reads the pending ones, oldest first.
CREATE INDEX email_outbox_pending_idx ON email_outbox (created_at) WHERE status = 'pending';

-- migrate:down
DROP TABLE email_outbox;
