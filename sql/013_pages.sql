-- 013: static pages. A post is of kind 'post' (lists, feeds, mail) or 'page' (its own address
-- /SLUG or /PARENT/SLUG, a place in the header menu); a page may have a parent page, and a menu
-- order (NULL: not in the menu). Edits bump the generation through 008's posts triggers.
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page'));
ALTER TABLE posts ADD COLUMN parent_id INTEGER REFERENCES posts(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN menu_order INTEGER;
CREATE INDEX posts_menu ON posts (kind, menu_order) WHERE kind = 'page';
CREATE INDEX posts_children ON posts (parent_id) WHERE parent_id IS NOT NULL;
