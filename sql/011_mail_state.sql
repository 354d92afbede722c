-- 011: the sender's state. A configuration error (login refused, TLS impossible, certificate
-- rejected) pauses the whole outbox instead of failing every row: paused holds until a send
-- succeeds or the [mail] settings differ from the ones that failed (paused_config, a hash).
CREATE TABLE mail_state (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	last_error    TEXT NOT NULL DEFAULT '',
	last_error_at INTEGER NOT NULL DEFAULT 0,
	paused        INTEGER NOT NULL DEFAULT 0,
	paused_config TEXT NOT NULL DEFAULT ''
);
INSERT INTO mail_state(id) VALUES (1);
