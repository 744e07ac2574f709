-- Events waiting to be published (written in the same transaction as the change they describe),
-- and the ids of messages the worker has already processed (so a duplicate has no second effect).
-- migrate:up
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    message_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    type          text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE processed_messages (
    message_id    uuid PRIMARY KEY,
    type          text NOT NULL,
    attempt       integer NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE processed_messages;
DROP TABLE outbox;
