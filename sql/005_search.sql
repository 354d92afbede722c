-- 005: full-text search over titles, bodies and tags (FTS5), kept in step by triggers.
CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, tags, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
	INSERT INTO posts_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body_md, '');
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_md ON posts BEGIN
	UPDATE posts_fts SET title = new.title, body = new.body_md WHERE rowid = new.id;
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
	DELETE FROM posts_fts WHERE rowid = old.id;
END;
CREATE TRIGGER posts_fts_tag_add AFTER INSERT ON post_tags BEGIN
	UPDATE posts_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '') FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = new.post_id) WHERE rowid = new.post_id;
END;
CREATE TRIGGER posts_fts_tag_remove AFTER DELETE ON post_tags BEGIN
	UPDATE posts_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '') FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = old.post_id) WHERE rowid = old.post_id;
END;

INSERT INTO posts_fts(rowid, title, body, tags)
	SELECT p.id, p.title, p.body_md, coalesce((SELECT group_concat(t.name, ' ') FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id), '') FROM posts p;
