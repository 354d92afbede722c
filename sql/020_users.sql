-- 020: roles, author photos, last logins and password links. Every user there was is an admin
-- (quire had no other kind); an 'author' edits only their own posts and moderates comments on them.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'author'));
ALTER TABLE users ADD COLUMN photo TEXT NOT NULL DEFAULT '';    -- a file name under media_dir, '' for none
ALTER TABLE users ADD COLUMN last_login INTEGER NOT NULL DEFAULT 0;
-- the one live set-password link of a user (a newer one replaces it): BLAKE2b of the token sent
CREATE TABLE password_tokens (
	user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	token_hash BLOB NOT NULL UNIQUE,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
-- the author box and author page show a user's photo (name, bio: sql/008): cached pages go with it
CREATE TRIGGER generation_users_photo AFTER UPDATE OF photo ON users BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_users_d AFTER DELETE ON users BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
