-- Administrators search users by name; a case-folded index keeps prefix searches cheap as users grow.
-- migrate:up
CREATE INDEX users_name_lower_idx ON users (lower(name) text_pattern_ops);

-- migrate:down
DROP INDEX users_name_lower_idx;
