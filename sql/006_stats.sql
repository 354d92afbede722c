-- 006: private analytics: counts per day, never an IP address. Unique visitors are counted
-- from a keyed hash whose key lives only in memory and is replaced every day.
CREATE TABLE stats_daily (
	day      TEXT PRIMARY KEY,          -- YYYY-MM-DD (UTC)
	views    INTEGER NOT NULL DEFAULT 0,
	visitors INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE stats_pages (
	day   TEXT NOT NULL,
	path  TEXT NOT NULL,
	views INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, path)
) WITHOUT ROWID;
CREATE TABLE stats_referrers (
	day   TEXT NOT NULL,
	host  TEXT NOT NULL,                -- the referring host only, never the path
	views INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, host)
) WITHOUT ROWID;
CREATE TABLE stats_sources (
	day    TEXT NOT NULL,
	source TEXT NOT NULL,               -- utm_source
	views  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, source)
) WITHOUT ROWID;
-- today's visitor hashes, to count each once; older days are deleted
CREATE TABLE stats_visitors (
	day  TEXT NOT NULL,
	hash BLOB NOT NULL,
	PRIMARY KEY (day, hash)
) WITHOUT ROWID;
