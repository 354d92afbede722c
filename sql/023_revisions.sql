-- 023: an editor that never loses work. Every save keeps a revision (the last REVISIONS_KEPT per
-- post, src/db/db_revisions.c); an autosave of a published or scheduled post is kept beside it,
-- never published (one per post, replaced by the next); posts.version counts the writes, so a
-- form loaded from an older version is refused (409) instead of overwriting; posts.excerpt_typed
-- is what the author typed ('' automatic: posts.excerpt then follows the text), NULL for posts
-- written before 023, decided on their first load in the editor (automatic when the stored
-- excerpt is the one the body gives).
ALTER TABLE posts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE posts ADD COLUMN excerpt_typed TEXT;
CREATE TABLE revisions (
	id             INTEGER PRIMARY KEY,
	post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	kind           TEXT NOT NULL CHECK (kind IN ('save', 'autosave')),
	title          TEXT NOT NULL,
	body_md        TEXT NOT NULL,
	excerpt        TEXT NOT NULL,  -- as typed, '' automatic
	tags           TEXT NOT NULL,  -- "a, b"
	slug           TEXT NOT NULL DEFAULT '',
	date           TEXT NOT NULL DEFAULT '',  -- an autosave's date field, as typed
	featured_image TEXT NOT NULL DEFAULT '',
	user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at     INTEGER NOT NULL,
	version        INTEGER NOT NULL DEFAULT 0  -- the post's version it was made from
);
CREATE INDEX revisions_post ON revisions(post_id, kind, id);
