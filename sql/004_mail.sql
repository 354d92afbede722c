-- 004: subscriptions and the outbox. One subscriber row per address covers both new-post mails
-- (wants_posts) and reply notifications for comments that asked for them.
ALTER TABLE subscribers ADD COLUMN wants_posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN unsubscribed_at INTEGER;
ALTER TABLE subscribers ADD COLUMN bounced_at INTEGER;
CREATE INDEX subscribers_by_status ON subscribers (status, wants_posts);
CREATE UNIQUE INDEX subscribers_by_token ON subscribers (token_hash);

-- what a row is about: the post, comment or subscriber the mail is rendered from
ALTER TABLE outbox ADD COLUMN ref_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
-- a post or a reply is announced to an address once, whatever happens
CREATE UNIQUE INDEX outbox_once ON outbox (kind, ref_id, recipient) WHERE kind IN ('post', 'reply', 'moderation');

-- subscribe requests per address and per IP, for the rate limit
CREATE TABLE rate_events (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events (key, at);

-- posts already visible when this migration runs were announced (or never will be)
UPDATE posts SET notified_at = strftime('%s', 'now')
 WHERE status = 'published' AND notified_at IS NULL AND published_at <= strftime('%s', 'now');
