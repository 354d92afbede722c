-- 008: what the render cache needs to know cheaply: a generation number that every change a
-- reader could see bumps, and the subscriber count the footer shows, kept by triggers.
INSERT OR IGNORE INTO settings(key, value) VALUES ('generation', '1');
INSERT OR REPLACE INTO settings(key, value)
	SELECT 'subscriber_count', count(*) FROM subscribers WHERE status = 'confirmed' AND wants_posts = 1;

CREATE TRIGGER subscribers_count_insert AFTER INSERT ON subscribers BEGIN
	UPDATE settings SET value = (SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND wants_posts = 1)
	 WHERE key = 'subscriber_count';
	UPDATE settings SET value = value + 1 WHERE key = 'generation';
END;
CREATE TRIGGER subscribers_count_update AFTER UPDATE OF status, wants_posts ON subscribers BEGIN
	UPDATE settings SET value = (SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND wants_posts = 1)
	 WHERE key = 'subscriber_count';
	UPDATE settings SET value = value + 1 WHERE key = 'generation';
END;
CREATE TRIGGER subscribers_count_delete AFTER DELETE ON subscribers BEGIN
	UPDATE settings SET value = (SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND wants_posts = 1)
	 WHERE key = 'subscriber_count';
	UPDATE settings SET value = value + 1 WHERE key = 'generation';
END;

-- every write to what readers see moves the generation, whoever makes it (serve, import, sqlite3)
CREATE TRIGGER generation_posts_i AFTER INSERT ON posts BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_posts_u AFTER UPDATE ON posts BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_posts_d AFTER DELETE ON posts BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_comments_i AFTER INSERT ON comments BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_comments_u AFTER UPDATE ON comments BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_comments_d AFTER DELETE ON comments BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_tags_i AFTER INSERT ON post_tags BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_tags_d AFTER DELETE ON post_tags BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_users_u AFTER UPDATE OF name, bio, email, slug ON users BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER generation_redirects_i AFTER INSERT ON slug_redirects BEGIN UPDATE settings SET value = value + 1 WHERE key = 'generation'; END;
