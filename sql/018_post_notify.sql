-- 018: a post may be published without mailing the subscribers (the editor's "Don't email
-- subscribers about this post", front matter `notify: false`). Publishing still marks it announced
-- (notified_at), so ticking the box off later mails nobody: a post is news once.
ALTER TABLE posts ADD COLUMN notify_subscribers INTEGER NOT NULL DEFAULT 1;
