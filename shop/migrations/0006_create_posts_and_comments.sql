-- Customers write posts and comment on them (the GraphQL API's content).
-- migrate:up
CREATE TABLE posts (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    content    text NOT NULL CHECK (length(content) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Newest first, for the feed and for one author's posts, with the id as tie-breaker for cursors.
CREATE INDEX posts_created_at_idx ON posts (created_at DESC, id DESC);
CREATE INDEX posts_author_created_at_idx ON posts (author_id, created_at DESC, id DESC);

CREATE TABLE comments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id    uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX comments_post_created_at_idx ON comments (post_id, created_at, id);
CREATE INDEX comments_author_idx ON comments (author_id);

-- migrate:down
DROP TABLE comments;
DROP TABLE posts;
