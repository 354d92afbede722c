-- 001: the whole first schema: authors, posts and tags for reading, and the tables
-- the admin, comments and subscriptions work on. Times are UTC epoch seconds.
CREATE TABLE users (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	slug        TEXT NOT NULL UNIQUE,
	email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	bio         TEXT NOT NULL DEFAULT '',
	pw_hash     TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);

CREATE TABLE posts (
	id           INTEGER PRIMARY KEY,
	slug         TEXT NOT NULL UNIQUE,
	title        TEXT NOT NULL,
	body_md      TEXT NOT NULL,
	body_html    TEXT NOT NULL,
	excerpt      TEXT NOT NULL DEFAULT '',
	author_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
	status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	published_at INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	comments_closed INTEGER NOT NULL DEFAULT 0,
	notified_at  INTEGER
);
CREATE INDEX posts_visible ON posts (status, published_at DESC, id DESC);
CREATE INDEX posts_author ON posts (author_id, published_at DESC);

CREATE TABLE tags (
	id    INTEGER PRIMARY KEY,
	name  TEXT NOT NULL,
	slug  TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
	post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (post_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX post_tags_by_tag ON post_tags (tag_id, post_id);

-- old slugs of renamed posts answer with a 301 to the current one
CREATE TABLE slug_redirects (
	old_slug TEXT PRIMARY KEY,
	post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE comments (
	id           INTEGER PRIMARY KEY,
	post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	parent_id    INTEGER REFERENCES comments(id) ON DELETE CASCADE,
	author_name  TEXT NOT NULL,
	author_email TEXT NOT NULL,
	author_url   TEXT NOT NULL DEFAULT '',
	body         TEXT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'pending'
	             CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
	notify       INTEGER NOT NULL DEFAULT 0,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);
CREATE INDEX comments_by_post ON comments (post_id, status, created_at);

CREATE TABLE subscribers (
	id           INTEGER PRIMARY KEY,
	email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
	status       TEXT NOT NULL DEFAULT 'pending'
	             CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bouncing')),
	token_hash   BLOB,
	token_expires INTEGER,
	created_at   INTEGER NOT NULL,
	confirmed_at INTEGER
);

CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY,
	recipient    TEXT NOT NULL,
	kind         TEXT NOT NULL,
	payload      TEXT NOT NULL,
	state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	last_error   TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt);

CREATE TABLE sessions (
	token_hash  BLOB PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf        TEXT NOT NULL,
	expires_at  INTEGER NOT NULL,
	created_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- secrets and counters that belong to this database (e.g. the identicon key)
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
