-- A paid order's document (its receipt), kept here in the payment's transaction and then written to
-- object storage: a storage outage delays the document but never loses it nor undoes the payment.
-- The body is kept until storage has it, then dropped (storage is where documents live).
-- migrate:up
CREATE TABLE order_documents (
    order_id        uuid PRIMARY KEY REFERENCES orders (id),
    kind            text NOT NULL CHECK (kind IN ('receipt')),
    storage_key     text NOT NULL UNIQUE,
    content_type    text NOT NULL,
    size            integer NOT NULL,
    content_md5     text NOT NULL,
    body            bytea,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored')),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_attempt_at timestamptz,
    stored_at       timestamptz,
    CHECK (status = 'stored' OR body IS NOT NULL)
);
-- The uploader reads the pending ones, oldest first.
CREATE INDEX order_documents_pending_idx ON order_documents (created_at) WHERE status = 'pending';

-- migrate:down
DROP TABLE order_documents;
