-- 009: "a body already posted" is checked on every comment: by an indexed hash, not a scan.
ALTER TABLE comments ADD COLUMN body_hash INTEGER;
CREATE INDEX comments_by_body_hash ON comments (body_hash) WHERE body_hash IS NOT NULL;
