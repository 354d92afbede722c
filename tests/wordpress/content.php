<?php
/*
 * content.php: run by make-export.sh in three steps, each a fresh php-cli process:
 *   php content.php install   wp_install() of http://old.example.test on the private MariaDB
 *   php content.php content   the test content, made only with WordPress's own functions
 *   php content.php export    export_wp() to out/wordpress_real.xml, the facts to
 *                             out/wordpress_real.json, the referenced uploads to out/wordpress_uploads/
 * WordPress is loaded without /etc/wordpress: the constants wp-config.php would define are
 * defined here, then wp-settings.php is required directly. Everything lives under $WP_WORK.
 */
error_reporting(E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED);

const QW_HOST = 'old.example.test';
const QW_URL = 'http://old.example.test';
const QW_POPULAR_COMMENTS = 303; // comments generated on one post, as on a popular real blog
const QW_UPLOADS_LIMIT = 300 * 1024; // total size of the uploads kept in tests/data

$mode = $argv[1] ?? '';
$work = getenv('WP_WORK');
if (!in_array($mode, array('install', 'content', 'export'), true) || !$work || !is_dir($work)) {
	fwrite(STDERR, "usage: WP_WORK=DIR php content.php install|content|export\n");
	exit(2);
}

$_SERVER['HTTP_HOST'] = QW_HOST;
$_SERVER['SERVER_NAME'] = QW_HOST;
$_SERVER['SERVER_PORT'] = '80';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

define('ABSPATH', rtrim(getenv('WP_ABSPATH') ?: '/usr/share/wordpress/', '/') . '/');
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:' . $work . '/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_CONTENT_DIR', $work . '/wp-content');
define('WP_CONTENT_URL', QW_URL . '/wp-content');
define('WP_HOME', QW_URL);
define('WP_SITEURL', QW_URL);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
foreach (array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT',
	'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT') as $k) {
	define($k, 'quire test export ' . $k);
}
$table_prefix = 'wp_';
if ($mode === 'install') {
	define('WP_INSTALLING', true);
}

/* No mail leaves this machine: pluggable, so defined before WordPress defines its own. */
function wp_mail($to, $subject, $message, $headers = '', $attachments = array())
{
	return true;
}
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password)
{
}

require ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/post.php';

function qw_die($msg)
{
	fwrite(STDERR, "content.php: $msg\n");
	exit(1);
}

/* Dies on a WP_Error or 0 from a WordPress insert function; returns the id otherwise. */
function qw_ok($r, $what)
{
	if (is_wp_error($r)) {
		qw_die("$what: " . $r->get_error_message());
	}
	if (!$r) {
		qw_die("$what: failed");
	}
	return $r;
}

/* ---------------------------------------------------------------- install */

function qw_install()
{
	global $wp_rewrite;
	$r = wp_install('Old Harbour Blog', 'marie', 'marie@old.example.test', true, '', 'marie password', 'en_US');
	if (empty($r['user_id'])) {
		qw_die('wp_install failed');
	}
	update_option('blogdescription', 'Notes from the harbour');
	update_option('timezone_string', 'Europe/Paris');
	update_option('gmt_offset', '');
	update_option('thread_comments', 1);
	update_option('thread_comments_depth', 5);
	update_option('uploads_use_yearmonth_folders', 1);
	update_option('posts_per_page', 10);
	$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
	$wp_rewrite->set_category_base('');
	$wp_rewrite->set_tag_base('');
	wp_update_user(array('ID' => $r['user_id'], 'display_name' => 'Marie Curie',
		'first_name' => 'Marie', 'last_name' => 'Curie', 'nickname' => 'marie'));
	echo "content.php: installed " . home_url('/') . "\n";
}

/* ---------------------------------------------------------------- content helpers */

/* A PNG drawn deterministically without GD: colour bands and a disc, seeded. */
function qw_png($w, $h, $seed)
{
	$raw = '';
	for ($y = 0; $y < $h; $y++) {
		$raw .= "\0";
		$g = (intdiv($y * 6, $h) * 40 + $seed * 50) % 256;
		for ($x = 0; $x < $w; $x++) {
			$r = (intdiv($x * 5, $w) * 50 + $seed * 30) % 256;
			$dx = $x - intdiv($w, 3);
			$dy = $y - intdiv($h, 2);
			$in = $dx * $dx * 16 + $dy * $dy * 16 < $w * $h;
			$raw .= $in ? "\xf0\xe8\xd0" : chr($r) . chr($g) . chr((200 + $seed * 20) % 256);
		}
	}
	$chunk = function ($t, $d) {
		return pack('N', strlen($d)) . $t . $d . pack('N', crc32($t . $d));
	};
	return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', $w, $h, 8, 2, 0, 0, 0)) .
		$chunk('IDAT', gzcompress($raw, 9)) . $chunk('IEND', '');
}

/* One second of 8 kHz 8-bit mono WAV: a quiet square wave. */
function qw_wav()
{
	$n = 8000;
	$pcm = '';
	for ($i = 0; $i < $n; $i++) {
		$pcm .= chr(($i / 20) % 2 ? 140 : 116);
	}
	return 'RIFF' . pack('V', 36 + $n) . 'WAVEfmt ' . pack('VvvVVvv', 16, 1, 1, 8000, 8000, 1, 8) .
		'data' . pack('V', $n) . $pcm;
}

/* The first boxes of an MP4 (ftyp + empty free box): a placeholder, not a playable video. */
function qw_mp4()
{
	return pack('N', 24) . 'ftypisom' . pack('N', 512) . 'isomiso2' . pack('N', 8) . 'free';
}

function qw_can_resize()
{
	return wp_image_editor_supports(array('mime_type' => 'image/png'));
}

/*
 * Writes $bytes as uploads/$month/$name and makes it an attachment of $parent, as the media
 * library does; images get WordPress's own sizes when GD or Imagick is there, else metadata
 * written by hand with our own smaller PNGs. Returns the attachment id.
 */
function qw_attach($month, $name, $bytes, $mime, $title, $date, $parent = 0, $caption = '', $alt = '', $dims = null)
{
	$up = wp_upload_dir($month);
	if (!empty($up['error'])) {
		qw_die("wp_upload_dir($month): " . $up['error']);
	}
	if (!wp_mkdir_p($up['path'])) {
		qw_die("cannot create {$up['path']}");
	}
	$file = $up['path'] . '/' . $name;
	if (file_put_contents($file, $bytes) !== strlen($bytes)) {
		qw_die("cannot write $file");
	}
	$id = qw_ok(wp_insert_attachment(wp_slash(array(
		'post_mime_type' => $mime,
		'post_title' => $title,
		'post_excerpt' => $caption,
		'post_content' => '',
		'post_status' => 'inherit',
		'post_author' => 1,
		'post_date' => $date,
		'guid' => $up['url'] . '/' . $name,
	)), $file, $parent, true), "attachment $name");
	if ($alt !== '') {
		update_post_meta($id, '_wp_attachment_image_alt', wp_slash($alt));
	}
	if (strpos($mime, 'image/') === 0 && !qw_can_resize()) {
		/* No GD/Imagick: the sizes WordPress would make, written by hand. */
		list($w, $h, $seed) = $dims;
		$meta = array('width' => $w, 'height' => $h, 'file' => _wp_relative_upload_path($file),
			'filesize' => strlen($bytes), 'sizes' => array(), 'image_meta' => array());
		foreach (array('thumbnail' => array(150, 150), 'medium' => array(intdiv($w * 300, max($w, $h)) ?: 1, intdiv($h * 300, max($w, $h)) ?: 1)) as $size => $wh) {
			$sname = preg_replace('/\.\w+$/', '', $name) . "-{$wh[0]}x{$wh[1]}.png";
			$sbytes = qw_png($wh[0], $wh[1], $seed);
			file_put_contents($up['path'] . '/' . $sname, $sbytes);
			$meta['sizes'][$size] = array('file' => $sname, 'width' => $wh[0], 'height' => $wh[1],
				'mime-type' => 'image/png', 'filesize' => strlen($sbytes));
		}
		wp_update_attachment_metadata($id, $meta);
	} else {
		$meta = wp_generate_attachment_metadata($id, $file);
		wp_update_attachment_metadata($id, $meta);
	}
	return $id;
}

/* wp_insert_post with slashed data (it unslashes), the date fixed, ids checked. */
function qw_post($a)
{
	$a = array_merge(array('post_author' => 1, 'post_status' => 'publish', 'post_type' => 'post',
		'comment_status' => 'open', 'ping_status' => 'open'), $a);
	return qw_ok(wp_insert_post(wp_slash($a), true), 'post "' . ($a['post_title'] ?? '') . '"');
}

function qw_comment($post, $a)
{
	static $n = 0;
	$n++;
	$a = array_merge(array(
		'comment_post_ID' => $post,
		'comment_author' => 'A guest',
		'comment_author_email' => 'guest@example.net',
		'comment_author_url' => '',
		'comment_author_IP' => '192.0.2.' . ($n % 250 + 1),
		'comment_agent' => 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
		'comment_approved' => 1,
		'comment_type' => 'comment',
		'comment_parent' => 0,
		'user_id' => 0,
	), $a);
	return qw_ok(wp_insert_comment(wp_slash($a)), "comment $n on $post");
}

function qw_terms($post, $ids, $tax)
{
	$r = wp_set_post_terms($post, $ids, $tax);
	if (is_wp_error($r) || $r === false) {
		qw_die("terms for $post");
	}
}

function qw_term($name, $tax, $args = array())
{
	$r = qw_ok(wp_insert_term($name, $tax, $args), "term $name");
	return (int) $r['term_id'];
}

/* ---------------------------------------------------------------- content */

function qw_content()
{
	global $wpdb;
	wp_set_current_user(1); /* an administrator: unfiltered_html, as in the editor */

	$grace = qw_ok(wp_create_user('grace', 'grace password', 'grace@old.example.test'), 'user grace');
	wp_update_user(array('ID' => $grace, 'display_name' => 'Grace Hopper', 'first_name' => 'Grace',
		'last_name' => 'Hopper', 'role' => 'author', 'user_url' => 'https://grace.example.net/'));

	/* Terms: nested categories, a tag with an ampersand. */
	$travel = qw_term('Travel', 'category');
	$japan = qw_term('Japan', 'category', array('parent' => $travel));
	$kyoto = qw_term('Kyoto', 'category', array('parent' => $japan));
	$photo = qw_term('Photography', 'category');
	$code = qw_term('Code', 'category', array('description' => 'Programs & notes'));
	$tom = qw_term('Tom & Jerry', 'post_tag');
	$harbour_t = qw_term('harbour', 'post_tag');
	$c_t = qw_term('C', 'post_tag', array('slug' => 'c-lang'));
	$autumn = qw_term('秋', 'post_tag');

	/* Media: three images (PNG, PNG portrait, JPEG when GD can write one), a sound, a video. */
	$harbour = qw_attach('2024/03', 'harbour.png', qw_png(600, 400, 1), 'image/png', 'Harbour',
		'2024-03-02 07:10:00', 0, 'Boats waiting for the tide', 'Boats in the harbour at dawn', array(600, 400, 1));
	$lantern = qw_attach('2024/05', 'lantern.png', qw_png(400, 600, 2), 'image/png', 'Lantern',
		'2024-05-11 18:00:00', 0, '', 'A paper lantern', array(400, 600, 2));
	$tea_name = 'tea-house.png';
	$tea_mime = 'image/png';
	$tea_bytes = qw_png(900, 600, 3);
	if (function_exists('imagecreatefromstring') && function_exists('imagejpeg')) {
		$im = imagecreatefromstring($tea_bytes);
		ob_start();
		imagejpeg($im, null, 80);
		$tea_bytes = ob_get_clean();
		imagedestroy($im);
		$tea_name = 'tea-house.jpg';
		$tea_mime = 'image/jpeg';
	}
	$tea = qw_attach('2024/05', $tea_name, $tea_bytes, $tea_mime, 'Tea house', '2024-05-12 09:30:00',
		0, 'A tea house in Gion', 'Wooden tea house', array(900, 600, 3));
	$bells = qw_attach('2024/05', 'harbour-bells.wav', qw_wav(), 'audio/wav', 'Harbour bells',
		'2024-05-12 10:00:00');
	$waves = qw_attach('2024/05', 'waves.mp4', qw_mp4(), 'video/mp4', 'Waves', '2024-05-12 10:05:00');

	$u = function ($id, $size = 'full') {
		if ($size === 'full') {
			return wp_get_attachment_url($id);
		}
		$src = wp_get_attachment_image_src($id, $size);
		return $src[0];
	};
	$hw = function ($id, $size) {
		$src = wp_get_attachment_image_src($id, $size);
		return 'width="' . $src[1] . '" height="' . $src[2] . '"';
	};

	/* A reusable block (wp_block), used by a post below. */
	$reusable = qw_post(array('post_type' => 'wp_block', 'post_title' => 'Newsletter footer',
		'post_date' => '2024-02-01 12:00:00', 'comment_status' => 'closed', 'ping_status' => 'closed',
		'post_content' => "<!-- wp:paragraph -->\n<p>Thanks for reading. <strong>Subscribe</strong> to get the next letter from the harbour.</p>\n<!-- /wp:paragraph -->"));

	/* 1. Gutenberg: text blocks and inline formats. */
	$g1 = qw_post(array('post_title' => 'A harbour at dawn', 'post_date' => '2024-03-02 07:30:00',
		'post_excerpt' => '', 'post_content' => implode("\n\n", array(
			"<!-- wp:paragraph -->\n<p>The boats leave before the sun. This is <strong>bold </strong>text, <em> emphasis</em> with inner spaces, <s>struck</s>, E = mc<sup>2</sup>, press <kbd>Ctrl</kbd>+<kbd>C</kbd>, a <mark style=\"background-color:rgba(0, 0, 0, 0)\" class=\"has-inline-color has-vivid-red-color\">highlight</mark>, and <code>inline_code</code> with *stars* and a <a href=\"https://example.org/tides?a=1&amp;b=2\">link</a>.</p>\n<!-- /wp:paragraph -->",
			"<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->",
			"<!-- wp:heading -->\n<h2>Before sunrise</h2>\n<!-- /wp:heading -->",
			"<!-- wp:heading {\"level\":3} -->\n<h3>What to bring</h3>\n<!-- /wp:heading -->",
			"<!-- wp:list -->\n<ul><li>A warm coat</li><li>Coffee<ul><li>black</li><li>with milk<ul><li>oat</li></ul></li></ul></li><li>Patience</li></ul>\n<!-- /wp:list -->",
			"<!-- wp:list {\"ordered\":true,\"start\":3} -->\n<ol start=\"3\"><li>Third step</li><li>Fourth step</li></ol>\n<!-- /wp:list -->",
			"<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>The sea, once it casts its spell, holds one in its net of wonder forever.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>A second paragraph of the same quote.</p>\n<!-- /wp:paragraph --><cite>Jacques Cousteau</cite></blockquote>\n<!-- /wp:quote -->",
			"<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>#include &lt;stdio.h&gt;\nint main(void)\n{\n\tprintf(\"tide: %d\\n\", 3 &lt; 4);\n\treturn 0;\n}</code></pre>\n<!-- /wp:code -->",
			"<!-- wp:image {\"id\":$harbour,\"sizeSlug\":\"medium\",\"linkDestination\":\"media\"} -->\n<figure class=\"wp-block-image size-medium\"><a href=\"" . $u($harbour) . "\"><img src=\"" . $u($harbour, 'medium') . "\" alt=\"Boats in the harbour at dawn\" class=\"wp-image-$harbour\"/></a><figcaption class=\"wp-element-caption\">Boats waiting for the tide</figcaption></figure>\n<!-- /wp:image -->",
			"<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->",
			"<!-- wp:table -->\n<figure class=\"wp-block-table\"><table><thead><tr><th>Time</th><th>Tide</th></tr></thead><tbody><tr><td>06:12</td><td>low &amp; calm</td></tr><tr><td>12:30</td><td><strong>high</strong></td></tr></tbody></table><figcaption class=\"wp-element-caption\">Tides on the 2nd</figcaption></figure>\n<!-- /wp:table -->",
			"<!-- wp:block {\"ref\":$reusable} /-->",
		))));
	wp_update_post(array('ID' => $harbour, 'post_parent' => $g1));
	set_post_thumbnail($g1, $harbour);
	qw_terms($g1, array($travel, $photo), 'category');
	qw_terms($g1, array($harbour_t), 'post_tag');

	/* 2. Gutenberg: gallery, embeds, audio, video, an iframe. */
	$g2 = qw_post(array('post_title' => 'Gallery and sounds from Japan', 'post_author' => $grace,
		'post_date' => '2024-05-12 20:00:00', 'post_content' => implode("\n\n", array(
			"<!-- wp:paragraph -->\n<p>Pictures and sounds from the trip.</p>\n<!-- /wp:paragraph -->",
			"<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery has-nested-images columns-default is-cropped\"><!-- wp:image {\"id\":$lantern,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"" . $u($lantern, 'large') . "\" alt=\"A paper lantern\" class=\"wp-image-$lantern\"/></figure>\n<!-- /wp:image -->\n\n<!-- wp:image {\"id\":$tea,\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n<figure class=\"wp-block-image size-large\"><img src=\"" . $u($tea, 'large') . "\" alt=\"Wooden tea house\" class=\"wp-image-$tea\"/><figcaption class=\"wp-element-caption\">Gion</figcaption></figure>\n<!-- /wp:image --><figcaption class=\"blocks-gallery-caption wp-element-caption\">Kyoto in May</figcaption></figure>\n<!-- /wp:gallery -->",
			"<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n</div><figcaption class=\"wp-element-caption\">Big Buck Bunny</figcaption></figure>\n<!-- /wp:embed -->",
			"<!-- wp:embed {\"url\":\"https://vimeo.com/22439234\",\"type\":\"video\",\"providerNameSlug\":\"vimeo\",\"responsive\":true} -->\n<figure class=\"wp-block-embed is-type-video is-provider-vimeo wp-block-embed-vimeo\"><div class=\"wp-block-embed__wrapper\">\nhttps://vimeo.com/22439234\n</div></figure>\n<!-- /wp:embed -->",
			"<!-- wp:audio {\"id\":$bells} -->\n<figure class=\"wp-block-audio\"><audio controls src=\"" . $u($bells) . "\"></audio><figcaption class=\"wp-element-caption\">Harbour bells</figcaption></figure>\n<!-- /wp:audio -->",
			"<!-- wp:video {\"id\":$waves} -->\n<figure class=\"wp-block-video\"><video controls src=\"" . $u($waves) . "\"></video><figcaption class=\"wp-element-caption\">Waves</figcaption></figure>\n<!-- /wp:video -->",
			"<!-- wp:html -->\n<iframe width=\"425\" height=\"350\" src=\"https://www.openstreetmap.org/export/embed.html?bbox=135.7%2C34.9%2C135.8%2C35.1&amp;layer=mapnik\"></iframe>\n<!-- /wp:html -->",
			"<!-- wp:block {\"ref\":$reusable} /-->",
		))));
	foreach (array($lantern, $tea, $bells, $waves) as $a) {
		wp_update_post(array('ID' => $a, 'post_parent' => $g2));
	}
	qw_terms($g2, array($kyoto), 'category');
	qw_terms($g2, array($autumn), 'post_tag');

	/* 3. Classic editor: shortcodes, single newlines, a table, "1986.", <ol start>. */
	$cl = qw_post(array('post_title' => 'Old style post', 'post_date' => '2019-06-01 10:00:00',
		'post_content' => "A classic post, written before blocks.\nThis line follows a single newline.\nSo does this one.\n\n" .
			"[caption id=\"attachment_$harbour\" align=\"aligncenter\" width=\"300\"]<a href=\"" . $u($harbour) . "\"><img class=\"size-medium wp-image-$harbour\" src=\"" . $u($harbour, 'medium') . "\" alt=\"Boats in the harbour at dawn\" " . $hw($harbour, 'medium') . " /></a> Boats waiting for the tide[/caption]\n\n" .
			"<img class=\"alignright size-thumbnail wp-image-$lantern\" src=\"" . $u($lantern, 'thumbnail') . "\" alt=\"\" " . $hw($lantern, 'thumbnail') . " />Text beside a thumbnail.\n\n" .
			"[gallery ids=\"$harbour,$lantern,$tea\" columns=\"3\"]\n\n" .
			"[embed]https://www.youtube.com/watch?v=aqz-KE-bpKQ[/embed]\n\n" .
			"https://vimeo.com/22439234\n\n" .
			"[video width=\"640\" height=\"360\" mp4=\"" . $u($waves) . "\"][/video]\n\n" .
			"[audio wav=\"" . $u($bells) . "\"][/audio]\n\n" .
			"[contact-form-7 id=\"1\" title=\"Contact form 1\"]\n\n" .
			"<table>\n<tbody>\n<tr>\n<td><strong>Year</strong></td>\n<td><strong>Wine</strong></td>\n</tr>\n<tr>\n<td>1986</td>\n<td>Bordeaux</td>\n</tr>\n<tr>\n<td>1990</td>\n<td>Burgundy | Rhône</td>\n</tr>\n</tbody>\n</table>\n\n" .
			"1986. A fine year for wine, and for this blog.\n\n" .
			"<!--more-->\n\n" .
			"<ol start=\"3\">\n \t<li>third</li>\n \t<li>fourth</li>\n</ol>\n" .
			"Some <code>inline_code()</code>, a <strong>strong </strong>word and <em>em </em>words, H<sub>2</sub>O.\n\n" .
			"<blockquote>One quote,\n\nin two paragraphs.</blockquote>\n\n" .
			"&nbsp;\n\nThe end &amp; goodbye."));
	qw_terms($cl, array($code), 'category');
	qw_terms($cl, array($tom, $c_t), 'post_tag');

	/* 4. Non-ASCII slugs. */
	$cafe = qw_post(array('post_title' => 'Café crème', 'post_name' => 'café-crème',
		'post_date' => '2024-04-01 08:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>Un café crème au port, s'il vous plaît.</p>\n<!-- /wp:paragraph -->"));
	qw_terms($cafe, array($travel), 'category');
	$kyoto_post = qw_post(array('post_title' => '京都の秋', 'post_author' => $grace,
		'post_date' => '2024-11-03 15:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>紅葉がきれいでした。</p>\n<!-- /wp:paragraph -->"));
	qw_terms($kyoto_post, array($kyoto), 'category');
	qw_terms($kyoto_post, array($autumn), 'post_tag');

	/* 5. Tom & Jerry, sticky. */
	$tj = qw_post(array('post_title' => 'Cartoons: Tom & Jerry', 'post_date' => '2023-12-24 21:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>Cats &amp; mice, \"quotes\" and 'apostrophes' &lt;tags&gt;.</p>\n<!-- /wp:paragraph -->"));
	qw_terms($tj, array($tom), 'post_tag');
	$sticky = qw_post(array('post_title' => 'Welcome to the new blog', 'post_date' => '2020-01-01 09:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>This post stays at the top.</p>\n<!-- /wp:paragraph -->"));
	stick_post($sticky);

	/* 6. Statuses. */
	qw_post(array('post_title' => 'Members only', 'post_password' => 'harbour',
		'post_date' => '2024-06-01 12:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>Secret harbour plans.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => 'My private notes', 'post_status' => 'private',
		'post_date' => '2024-06-02 12:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>Nobody reads this.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => 'Waiting for review', 'post_status' => 'pending', 'post_author' => $grace,
		'post_date' => '2024-06-03 12:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>Please review.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => '', 'post_status' => 'draft', 'post_date' => '2024-06-04 12:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>An untitled draft.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => 'Ideas', 'post_status' => 'draft', 'post_date' => '2024-06-05 12:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>First list of ideas.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => 'Ideas', 'post_status' => 'draft', 'post_date' => '2024-06-06 12:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>Second list of ideas.</p>\n<!-- /wp:paragraph -->"));
	qw_post(array('post_title' => 'Half-written travel notes', 'post_status' => 'draft', 'post_author' => $grace,
		'post_date' => '2024-06-07 12:00:00', 'post_content' => "Classic draft text.\nSecond line."));
	qw_post(array('post_title' => 'Coming soon', 'post_status' => 'future', 'post_date' => '2030-06-01 09:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>From the future.</p>\n<!-- /wp:paragraph -->"));
	$trashed = qw_post(array('post_title' => 'Deleted thoughts', 'post_date' => '2022-02-02 12:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>Gone.</p>\n<!-- /wp:paragraph -->"));
	wp_trash_post($trashed);
	update_post_meta($trashed, '_wp_trash_meta_time', strtotime('2024-07-01 12:00:00 UTC'));

	/* 7. Pages. */
	$about = qw_post(array('post_type' => 'page', 'post_title' => 'About', 'menu_order' => 1,
		'post_date' => '2019-01-01 10:00:00', 'post_content' => "<!-- wp:paragraph -->\n<p>Who writes this blog.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:image {\"id\":$tea,\"sizeSlug\":\"medium\"} -->\n<figure class=\"wp-block-image size-medium\"><img src=\"" . $u($tea, 'medium') . "\" alt=\"Wooden tea house\" class=\"wp-image-$tea\"/></figure>\n<!-- /wp:image -->"));
	qw_post(array('post_type' => 'page', 'post_title' => 'Team', 'post_parent' => $about, 'menu_order' => 1,
		'post_date' => '2019-01-02 10:00:00', 'comment_status' => 'closed',
		'post_content' => "<!-- wp:list -->\n<ul><li>Marie Curie</li><li>Grace Hopper</li></ul>\n<!-- /wp:list -->"));
	qw_post(array('post_type' => 'page', 'post_title' => 'Contact', 'menu_order' => 2, 'comment_status' => 'closed',
		'post_date' => '2019-01-03 10:00:00', 'post_content' => "Write to us:\n\n[contact-form-7 id=\"1\" title=\"Contact form 1\"]"));

	/* 8. Comments. */
	$t = strtotime('2024-03-02 09:00:00 UTC');
	$d = function ($sec) use ($t) {
		return gmdate('Y-m-d H:i:s', $t + $sec);
	};
	$thread = qw_post(array('post_title' => 'A threaded discussion', 'post_date' => '2024-03-02 08:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>Tell me what you think.</p>\n<!-- /wp:paragraph -->"));
	$c1 = qw_comment($thread, array('comment_author' => 'Ada', 'comment_author_email' => 'ada@example.net',
		'comment_author_url' => 'https://ada.example.net/', 'comment_date' => $d(60),
		'comment_content' => "First, a top-level comment.\nWith a single-newline line break."));
	$c2 = qw_comment($thread, array('comment_author' => 'Grace Hopper', 'comment_author_email' => 'grace@old.example.test',
		'user_id' => $grace, 'comment_parent' => $c1, 'comment_date' => $d(120),
		'comment_content' => 'A reply by a registered author (level 2).'));
	qw_comment($thread, array('comment_author' => 'Ada', 'comment_author_email' => 'ada@example.net',
		'comment_parent' => $c2, 'comment_date' => $d(180), 'comment_content' => 'Level 3: thanks! <strong>bold</strong> &amp; <a href="https://example.org/">a link</a>'));
	qw_comment($thread, array('comment_author' => 'Marie Curie', 'comment_author_email' => 'marie@old.example.test',
		'user_id' => 1, 'comment_parent' => $c1, 'comment_date' => $d(240), 'comment_content' => 'The blog owner answers (level 2).'));
	qw_comment($thread, array('comment_author' => 'Waiting Walter', 'comment_approved' => 0,
		'comment_date' => $d(300), 'comment_content' => 'A pending comment, not yet moderated.'));
	qw_comment($thread, array('comment_author' => 'Cheap pills', 'comment_author_url' => 'http://spam.example.com/',
		'comment_approved' => 'spam', 'comment_date' => $d(360), 'comment_content' => 'Buy now http://spam.example.com/'));
	qw_comment($thread, array('comment_author' => 'Regretful', 'comment_approved' => 'trash',
		'comment_date' => $d(420), 'comment_content' => 'A comment moved to the trash.'));
	qw_comment($thread, array('comment_author' => 'Other Blog &raquo; A reply post', 'comment_author_email' => '',
		'comment_author_url' => 'https://other.example.org/2024/03/reply/', 'comment_type' => 'pingback',
		'comment_date' => $d(480), 'comment_content' => '[&#8230;] as said in A threaded discussion [&#8230;]'));
	qw_comment($thread, array('comment_author' => 'Far Away Blog', 'comment_author_email' => '',
		'comment_author_url' => 'https://far.example.org/tb/', 'comment_type' => 'trackback',
		'comment_date' => $d(540), 'comment_content' => '<strong>Trackback title</strong>' . "\n\n" . 'An excerpt sent by trackback.'));
	for ($i = 1; $i <= 21; $i++) {
		qw_comment($thread, array('comment_author' => "Guest $i", 'comment_author_email' => "guest$i@example.net",
			'comment_parent' => $i % 3 ? 0 : $c1, 'comment_date' => $d(600 + $i * 61),
			'comment_content' => "Guest comment number $i."));
	}
	for ($i = 1; $i <= 3; $i++) {
		qw_comment($about, array('comment_author' => "Visitor $i", 'comment_author_email' => "visitor$i@example.net",
			'comment_date' => $d(86400 + $i * 3600), 'comment_content' => "A comment on the About page, $i."));
	}
	qw_comment($g1, array('comment_author' => 'Sailor', 'comment_date' => $d(7200),
		'comment_content' => "Lovely photo.\n\nTwo paragraphs, too."));
	qw_comment($g1, array('comment_author' => 'Sailor', 'comment_approved' => 0, 'comment_date' => $d(7300),
		'comment_content' => 'Pending on the harbour post.'));
	qw_comment($kyoto_post, array('comment_author' => '山田', 'comment_date' => $d(9000000),
		'comment_content' => 'すてきですね。'));

	/* A popular post: many comments, some threaded, some pending, deterministic text. */
	$popular = qw_post(array('post_title' => 'Comments welcome', 'post_date' => '2024-01-15 10:00:00',
		'post_content' => "<!-- wp:paragraph -->\n<p>Ask me anything about the harbour.</p>\n<!-- /wp:paragraph -->"));
	$words = array('tide', 'boat', 'gull', 'rope', 'sail', 'fog', 'quay', 'net', 'salt', 'wave', 'anchor', 'dawn');
	$prev = 0;
	$base = strtotime('2024-01-15 12:00:00 UTC');
	for ($i = 1; $i <= QW_POPULAR_COMMENTS; $i++) {
		$text = 'Comment ' . $i . ':';
		for ($w = 0; $w < 5 + $i % 11; $w++) {
			$text .= ' ' . $words[($i * 7 + $w * 5) % count($words)];
		}
		if ($i % 10 === 0) {
			$text .= "\n\nA second paragraph with <em>emphasis</em> & an ampersand.";
		}
		if ($i % 25 === 0) {
			$text .= "\nA single line break.";
		}
		$id = qw_comment($popular, array(
			'comment_author' => 'Reader ' . ($i % 37),
			'comment_author_email' => 'reader' . ($i % 37) . '@example.net',
			'comment_parent' => ($i % 4 === 0) ? $prev : 0,
			'comment_approved' => ($i % 50 === 0) ? 0 : 1,
			'comment_date' => gmdate('Y-m-d H:i:s', $base + $i * 3917),
			'comment_content' => $text,
		));
		if ($i % 4 !== 0) {
			$prev = $id;
		}
	}

	/* Stable dates: the defaults wp_install made and every post_modified. */
	$fixed = array(1 => '2019-01-01 09:00:00', 2 => '2019-01-01 09:05:00', 3 => '2019-01-01 09:10:00');
	foreach ($fixed as $id => $date) {
		$p = get_post($id);
		if (!$p) {
			continue;
		}
		$wpdb->update($wpdb->posts, array('post_date' => $date, 'post_date_gmt' => $p->post_status === 'draft' ? '0000-00-00 00:00:00' : get_gmt_from_date($date)), array('ID' => $id));
	}
	$wpdb->update($wpdb->comments, array('comment_date' => '2019-01-01 09:30:00', 'comment_date_gmt' => get_gmt_from_date('2019-01-01 09:30:00')), array('comment_ID' => 1));
	foreach ($wpdb->get_results("SELECT ID, post_date, post_date_gmt FROM {$wpdb->posts}") as $p) {
		$gmt = $p->post_date_gmt !== '0000-00-00 00:00:00' ? $p->post_date_gmt : get_gmt_from_date($p->post_date);
		$wpdb->update($wpdb->posts, array('post_modified' => $p->post_date, 'post_modified_gmt' => $gmt), array('ID' => $p->ID));
	}
	wp_cache_flush();
	echo "content.php: content made\n";
}

/* ---------------------------------------------------------------- export */

function qw_uploads_in($text)
{
	preg_match_all('#' . preg_quote(QW_URL, '#') . '/wp-content/uploads/[A-Za-z0-9_./%-]+\.[A-Za-z0-9]+#', $text, $m);
	$u = array_values(array_unique($m[0]));
	sort($u);
	return $u;
}

function qw_term_facts($post, $tax)
{
	$out = array();
	foreach (wp_get_post_terms($post, $tax) as $t) {
		$f = array('name' => $t->name, 'name_text' => html_entity_decode($t->name, ENT_QUOTES, 'UTF-8'),
			'slug' => $t->slug);
		if ($tax === 'category') {
			$f['parents'] = array();
			for ($p = $t->parent; $p; $p = get_term($p, 'category')->parent) {
				$f['parents'][] = get_term($p, 'category')->slug;
			}
		}
		$out[] = $f;
	}
	return $out;
}

function qw_export()
{
	global $wpdb;
	$work = getenv('WP_WORK');
	$out = "$work/out";
	require_once ABSPATH . 'wp-admin/includes/export.php';
	ob_start();
	export_wp(array('content' => 'all'));
	$xml = ob_get_clean();
	if (strlen($xml) < 1000 || strpos($xml, '</rss>') === false) {
		qw_die('export_wp wrote no complete export');
	}
	if (file_put_contents("$out/wordpress_real.xml", $xml) !== strlen($xml)) {
		qw_die("cannot write $out/wordpress_real.xml");
	}

	/* The uploads the export references, copied with their YYYY/MM paths. */
	$updir = wp_upload_dir(null, false);
	$total = 0;
	$copied = array();
	foreach (qw_uploads_in($xml) as $url) {
		$rel = substr($url, strlen($updir['baseurl']) + 1);
		$src = $updir['basedir'] . '/' . rawurldecode($rel);
		if (!is_file($src)) {
			qw_die("the export references $url, which WordPress did not write");
		}
		$dst = "$out/wordpress_uploads/" . rawurldecode($rel);
		if (!wp_mkdir_p(dirname($dst)) || !copy($src, $dst)) {
			qw_die("cannot copy $src");
		}
		$total += filesize($src);
		$copied[] = $rel;
	}
	if ($total > QW_UPLOADS_LIMIT) {
		qw_die("uploads referenced by the export weigh $total bytes, over " . QW_UPLOADS_LIMIT);
	}

	/* The facts, from WordPress's database. */
	$sticky = array_map('intval', get_option('sticky_posts', array()));
	$items = array();
	$totals = array('posts' => array(), 'comments_by_status' => array(), 'comments_by_type' => array(),
		'comments' => 0, 'comments_exported' => 0);
	$ids = $wpdb->get_col("SELECT ID FROM {$wpdb->posts} WHERE post_status != 'auto-draft' AND post_type NOT IN ('revision', 'nav_menu_item', 'customize_changeset', 'wp_global_styles') ORDER BY ID");
	foreach ($ids as $id) {
		$p = get_post($id);
		$counts = array('approved' => 0, 'pending' => 0, 'spam' => 0, 'trash' => 0, 'pingback' => 0,
			'trackback' => 0, 'comment' => 0, 'top_level_approved' => 0, 'max_depth' => 0, 'exported' => 0);
		$depth = array();
		foreach ($wpdb->get_results($wpdb->prepare("SELECT comment_ID, comment_parent, comment_approved, comment_type FROM {$wpdb->comments} WHERE comment_post_ID = %d ORDER BY comment_ID", $id)) as $c) {
			$st = $c->comment_approved === '1' ? 'approved' : ($c->comment_approved === '0' ? 'pending' : $c->comment_approved);
			$counts[$st]++;
			$type = $c->comment_type === '' ? 'comment' : $c->comment_type;
			if ($st === 'approved') {
				$counts[$type]++;
				if (!$c->comment_parent) {
					$counts['top_level_approved']++;
				}
			}
			$depth[$c->comment_ID] = $c->comment_parent ? ($depth[$c->comment_parent] ?? 0) + 1 : 1;
			$counts['max_depth'] = max($counts['max_depth'], $depth[$c->comment_ID]);
			$totals['comments']++;
			if ($st !== 'spam') { /* export_wp() leaves spam out */
				$counts['exported']++;
				$totals['comments_exported']++;
			}
			$totals['comments_by_status'][$st] = ($totals['comments_by_status'][$st] ?? 0) + 1;
			$totals['comments_by_type'][$type] = ($totals['comments_by_type'][$type] ?? 0) + 1;
		}
		$key = $p->post_type . ':' . $p->post_status;
		$totals['posts'][$key] = ($totals['posts'][$key] ?? 0) + 1;
		$children = array();
		foreach (get_children(array('post_parent' => $id, 'post_type' => 'attachment', 'orderby' => 'ID', 'order' => 'ASC')) as $a) {
			$children[] = wp_get_attachment_url($a->ID);
		}
		$blocks = array();
		foreach (parse_blocks($p->post_content) as $b) {
			if ($b['blockName']) {
				$blocks[] = $b['blockName'];
			}
		}
		preg_match_all('/' . get_shortcode_regex(array('caption', 'gallery', 'embed', 'video', 'audio', 'playlist', 'contact-form-7')) . '/', $p->post_content, $sc);
		$item = array(
			'id' => (int) $id,
			'post_type' => $p->post_type,
			'post_status' => $p->post_status,
			'title' => $p->post_title,
			'slug' => $p->post_name,
			'slug_decoded' => rawurldecode($p->post_name),
			'permalink' => get_permalink($p),
			'parent' => (int) $p->post_parent,
			'menu_order' => (int) $p->menu_order,
			'author' => get_the_author_meta('user_login', $p->post_author),
			'date' => $p->post_date,
			'date_gmt' => $p->post_date_gmt,
			'password' => $p->post_password !== '',
			'sticky' => in_array((int) $id, $sticky, true),
			'comment_count' => (int) $p->comment_count,
			'comments' => $counts,
			'categories' => $p->post_type === 'post' ? qw_term_facts($id, 'category') : array(),
			'tags' => $p->post_type === 'post' ? qw_term_facts($id, 'post_tag') : array(),
			'attachments' => $children,
			'thumbnail' => (int) get_post_thumbnail_id($p),
			'uploads_in_content' => qw_uploads_in($p->post_content),
			'blocks' => array_values(array_unique($blocks)),
			'shortcodes' => array_values(array_unique($sc[2])),
			'has_more' => strpos($p->post_content, '<!--more-->') !== false,
		);
		if ($p->post_type === 'attachment') {
			$item['attachment_url'] = wp_get_attachment_url($id);
			$item['mime_type'] = $p->post_mime_type;
			$meta = wp_get_attachment_metadata($id);
			$item['sizes'] = array();
			foreach (($meta['sizes'] ?? array()) as $name => $sz) {
				$item['sizes'][$name] = dirname($item['attachment_url']) . '/' . $sz['file'];
			}
			ksort($item['sizes']);
		}
		$items[] = $item;
	}
	ksort($totals['posts']);
	ksort($totals['comments_by_status']);
	ksort($totals['comments_by_type']);
	$terms = array();
	foreach (array('category', 'post_tag') as $tax) {
		foreach (get_terms(array('taxonomy' => $tax, 'hide_empty' => false, 'orderby' => 'term_id')) as $t) {
			$terms[] = array('taxonomy' => $tax, 'name' => $t->name,
				'name_text' => html_entity_decode($t->name, ENT_QUOTES, 'UTF-8'), 'slug' => $t->slug,
				'parent' => $t->parent ? get_term($t->parent, $tax)->slug : null, 'count' => (int) $t->count);
		}
	}
	$users = array();
	foreach (get_users(array('orderby' => 'ID')) as $user) {
		$users[] = array('login' => $user->user_login, 'display_name' => $user->display_name,
			'email' => $user->user_email, 'roles' => $user->roles);
	}
	$facts = array(
		'generator' => 'tests/wordpress/make-export.sh',
		'wordpress' => get_bloginfo('version'),
		'site' => home_url(),
		'uploads_base' => $updir['baseurl'],
		'permalink_structure' => get_option('permalink_structure'),
		'timezone' => get_option('timezone_string'),
		'totals' => $totals,
		'uploads_copied' => $copied,
		'uploads_bytes' => $total,
		'users' => $users,
		'terms' => $terms,
		'sticky' => $sticky,
		'items' => $items,
	);
	$json = json_encode($facts, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
	if (file_put_contents("$out/wordpress_real.json", $json) !== strlen($json)) {
		qw_die("cannot write $out/wordpress_real.json");
	}
	echo 'content.php: exported ' . count($items) . " items, {$totals['comments_exported']} comments (of {$totals['comments']}), " .
		count($copied) . " upload files ($total bytes)\n";
}

if ($mode === 'install') {
	qw_install();
} elseif ($mode === 'content') {
	qw_content();
} else {
	qw_export();
}
