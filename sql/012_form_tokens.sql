-- 012: comment form tokens post once per reader address: the hash of each that posted is kept until the
-- token would be too old anyway (comments max_age), so a second POST with it is refused.
CREATE TABLE form_tokens (
	hash       BLOB PRIMARY KEY,   -- BLAKE2b-256 of the token as sent and the reader's address
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_tokens_by_expiry ON form_tokens (expires_at);
