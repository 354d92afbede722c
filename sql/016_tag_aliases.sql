-- 016: the addresses WordPress gave tags and categories (their nicename: /tag/c-lang/ for a tag
-- named "C"), kept by the import where they differ from quire's slug, so old links still land.
CREATE TABLE tag_aliases (
	old_slug TEXT PRIMARY KEY,  -- decoded, as the last segment of /tag/.../ or /category/.../
	tag_id   INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE
) WITHOUT ROWID;
