-- 021: the site's options set in the admin (/admin/settings), over the INI file's values, and the
-- audit trail of admin changes. The INI file keeps what belongs to the machine; a key with no row
-- here takes the file's value. Not mixed with `settings` (secrets and counters).
CREATE TABLE site_options (
	key        TEXT PRIMARY KEY,  -- "title", "posts_per_page", ... (src/lib/options.c)
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
	id      INTEGER PRIMARY KEY,
	at      INTEGER NOT NULL,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,  -- NULL: a command, or a user since deleted
	action  TEXT NOT NULL,   -- "settings.title", "user.add", ...
	detail  TEXT NOT NULL    -- what changed, in words ("old" -> "new")
);

-- an option is part of what readers see: the render cache and the HTTP validators follow it
CREATE TRIGGER generation_site_options_i AFTER INSERT ON site_options BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_site_options_u AFTER UPDATE ON site_options BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_site_options_d AFTER DELETE ON site_options BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
