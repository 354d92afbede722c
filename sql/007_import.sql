-- 007: imports from WordPress and Disqus: where things came from, so a second import of the
-- same file updates instead of duplicating, and old WordPress addresses keep working.
ALTER TABLE posts ADD COLUMN wp_id INTEGER;
CREATE UNIQUE INDEX posts_by_wp_id ON posts (wp_id) WHERE wp_id IS NOT NULL;
ALTER TABLE comments ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX comments_by_import_key ON comments (import_key) WHERE import_key IS NOT NULL;
-- an old path (no trailing slash) that answers with a 301 to a post
CREATE TABLE legacy_redirects (
	path    TEXT PRIMARY KEY,
	post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
) WITHOUT ROWID;
