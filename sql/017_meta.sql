-- 017: what search engines and sharing previews need: a post's chosen featured image (an address,
-- /media/NAME or absolute; '' means its first image), and the pixel size of each stored image
-- (admin uploads and imported media, by file name under media_dir) for <img width height>.
ALTER TABLE posts ADD COLUMN featured_image TEXT NOT NULL DEFAULT '';
CREATE TABLE media_sizes (
	name   TEXT PRIMARY KEY,  -- the file under media_dir (served as /media/NAME)
	width  INTEGER NOT NULL,
	height INTEGER NOT NULL
) WITHOUT ROWID;
