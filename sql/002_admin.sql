-- 002: the admin: failed logins, counted per account and per IP for the lockout.
CREATE TABLE login_failures (
	key TEXT NOT NULL,      -- 'user:NAME' or 'ip:ADDRESS'
	at  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
