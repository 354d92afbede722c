-- 019: a small second full-text index of titles and tags only, so search can rank "all the words
-- in the title" (then "in the title and tags") above body matches without scoring every match
-- of the big index (src/db/db_search.c). Same tokenizer as posts_fts; kept in step by triggers.
CREATE VIRTUAL TABLE posts_title_fts USING fts5(title, tags, tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER posts_title_fts_insert AFTER INSERT ON posts BEGIN
	INSERT INTO posts_title_fts(rowid, title, tags) VALUES (new.id, new.title, '');
END;
CREATE TRIGGER posts_title_fts_update AFTER UPDATE OF title ON posts BEGIN
	UPDATE posts_title_fts SET title = new.title WHERE rowid = new.id;
END;
CREATE TRIGGER posts_title_fts_delete AFTER DELETE ON posts BEGIN
	DELETE FROM posts_title_fts WHERE rowid = old.id;
END;
CREATE TRIGGER posts_title_fts_tag_add AFTER INSERT ON post_tags BEGIN
	UPDATE posts_title_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '') FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = new.post_id) WHERE rowid = new.post_id;
END;
CREATE TRIGGER posts_title_fts_tag_remove AFTER DELETE ON post_tags BEGIN
	UPDATE posts_title_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '') FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = old.post_id) WHERE rowid = old.post_id;
END;

INSERT INTO posts_title_fts(rowid, title, tags) SELECT rowid, title, tags FROM posts_fts;
