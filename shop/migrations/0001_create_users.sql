-- The people who use the shop: customers who buy and administrators who run it.
-- migrate:up
CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text NOT NULL,
    name           text NOT NULL,
    password_hash  text NOT NULL,
    role           text NOT NULL DEFAULT 'customer' CHECK (role IN ('admin', 'customer')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_signed_in_at timestamptz
);
-- Emails are unique whatever their case: Bob@Example.com and bob@example.com are one person.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_at_idx ON users (created_at, id);

-- migrate:down
DROP TABLE users;
