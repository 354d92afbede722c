-- 024: why a comment waits for moderation, written when it is held: 'first' (the address has no
-- approved comment yet), 'links' (more links than allowed), 'word' (a disallowed word, named in
-- held_detail), 'duplicate' (the same text was posted before), 'all' (every comment is
-- moderated), 'proof' (a known address from a browser without the commenter's proof),
-- 'import' (pending on the old site), 'moderator' (sent back to the queue by a moderator).
-- '' for comments held before this column existed, and for every approved one.
ALTER TABLE comments ADD COLUMN held_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN held_detail TEXT NOT NULL DEFAULT '';
