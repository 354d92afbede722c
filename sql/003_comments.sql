-- 003: comments: the rendered body, refusal counters, and the key that signs comment forms.
ALTER TABLE comments ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
CREATE INDEX comments_by_ip ON comments (ip, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at DESC);
CREATE INDEX comments_by_parent ON comments (parent_id);
CREATE INDEX comments_by_email ON comments (author_email COLLATE NOCASE, status);

-- refused submissions are counted, never stored
CREATE TABLE comment_refusals (
	day    TEXT NOT NULL,      -- YYYY-MM-DD
	reason TEXT NOT NULL,      -- honeypot, token, too-fast, too-old, rate
	count  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, reason)
) WITHOUT ROWID;

INSERT OR IGNORE INTO settings(key, value) VALUES ('comment_form_key', lower(hex(randomblob(32))));
