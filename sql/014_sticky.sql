-- 014: what WordPress knew that quire kept no place for: posts pinned to the top of the home page,
-- comments that are pingbacks or trackbacks, and the login an imported author had (its old
-- /author/LOGIN/ address). An UPDATE of posts.sticky bumps the render cache's generation through
-- 008's generation_posts_u trigger (it fires on every UPDATE of posts).
ALTER TABLE posts ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0 CHECK (sticky IN (0, 1));
CREATE INDEX posts_home ON posts (status, sticky DESC, published_at DESC, id DESC);
ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment'
	CHECK (kind IN ('comment', 'pingback', 'trackback'));
-- WordPress's author addresses: /author/NICENAME/, the nicename made from the login; both kept
CREATE TABLE author_logins (
	login   TEXT PRIMARY KEY COLLATE NOCASE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE
) WITHOUT ROWID;
