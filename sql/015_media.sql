-- 015: media brought home by the WordPress import: which file under media_dir an old URL became
-- (so a second import fetches nothing it has), and the attachment pages that now lead to it.
CREATE TABLE media_imports (
	url      TEXT PRIMARY KEY,  -- as the export wrote it, without query or fragment
	name     TEXT NOT NULL,     -- the file under media_dir (served as /media/NAME)
	wp_id    INTEGER,           -- the attachment's WordPress id (/?attachment_id=ID)
	old_path TEXT               -- the attachment page's old path, without trailing slash
) WITHOUT ROWID;
CREATE INDEX media_imports_by_wp_id ON media_imports (wp_id) WHERE wp_id IS NOT NULL;
CREATE INDEX media_imports_by_path ON media_imports (old_path) WHERE old_path IS NOT NULL;
