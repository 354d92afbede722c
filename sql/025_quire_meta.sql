-- 025: facts about the database itself, for the quire that opens it next. 'written_by' is the
-- version of the quire that last migrated the schema (PACKAGE_VERSION), so that an older quire
-- that finds a newer schema can name the version to install. Later schemas keep this table and
-- this key as they are: older quires read them.
CREATE TABLE quire_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
