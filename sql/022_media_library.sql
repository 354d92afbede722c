-- 022: the media library: every image under media_dir with what the admin shows of it, the
-- narrower copies quire made of it for srcset, and the posts that use it (kept on each save, so
-- "Used in" and the refusal to delete a used image cost one indexed lookup).
CREATE TABLE media (
	name        TEXT PRIMARY KEY,            -- the file under media_dir (served as /media/NAME)
	orig_name   TEXT NOT NULL DEFAULT '',    -- the uploaded file's name, sanitised, for display
	mime        TEXT NOT NULL,
	bytes       INTEGER NOT NULL,
	width       INTEGER NOT NULL DEFAULT 0,  -- as displayed (EXIF orientation applied)
	height      INTEGER NOT NULL DEFAULT 0,
	alt         TEXT NOT NULL DEFAULT '',
	uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at  INTEGER NOT NULL,
	owned       INTEGER NOT NULL DEFAULT 0   -- 1: quire wrote the file (upload, import): delete may unlink it
) WITHOUT ROWID;
CREATE INDEX media_by_created ON media (created_at DESC, name);
CREATE TABLE media_variants (
	name  TEXT NOT NULL REFERENCES media(name) ON DELETE CASCADE,
	width INTEGER NOT NULL,
	file  TEXT NOT NULL UNIQUE,              -- NAME-480w.EXT beside the original
	height INTEGER NOT NULL,
	PRIMARY KEY (name, width)
) WITHOUT ROWID;
CREATE TABLE media_uses (
	name    TEXT NOT NULL,                   -- the original's name (a variant's use counts for it)
	post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
	PRIMARY KEY (name, post_id)
) WITHOUT ROWID;
CREATE INDEX media_uses_by_post ON media_uses (post_id);
-- the uses of the posts already written are found once, by quire serve's start (src/db/db_media.c)
INSERT INTO settings (key, value) VALUES ('media_uses_pending', '1');
