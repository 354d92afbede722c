<?php
// Writes tests/data/wordpress_meta_real.xml with WordPress itself (Debian's wordpress + php-cli +
// mariadb-server): a sticky post, nested categories, a tag "Tom & Jerry", a pingback, a trackback,
// two authors, and a reusable block used by two posts and created after them. Run with an empty
// MariaDB on a socket, e.g.:
//   mariadb-install-db --datadir=$T/db --user=root --auth-root-authentication-method=normal
//   mariadbd --datadir=$T/db --socket=$T/db.sock --skip-networking --user=root &
//   mariadb --socket=$T/db.sock -uroot -e 'CREATE DATABASE wp'
//   WP_SOCKET=$T/db.sock WP_CONTENT=$T/wpc OUT=tests/data/wordpress_meta_real.xml php tests/data/wordpress_meta_real.php
$_SERVER['HTTP_HOST'] = 'old.example.org';
$_SERVER['REQUEST_URI'] = '/';
define('ABSPATH', '/usr/share/wordpress/');
define('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:' . getenv('WP_SOCKET')); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('WP_CONTENT_DIR', getenv('WP_CONTENT')); define('WP_HOME', 'http://old.example.org'); define('WP_SITEURL', 'http://old.example.org');
define('WP_INSTALLING', true);
foreach (['AUTH_KEY','SECURE_AUTH_KEY','LOGGED_IN_KEY','NONCE_KEY','AUTH_SALT','SECURE_AUTH_SALT','LOGGED_IN_SALT','NONCE_SALT'] as $k) define($k, 'x');
$table_prefix = 'wp_';
require ABSPATH . 'wp-settings.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Meta Blog', 'jane.doe', 'jane@old.example.org', true, '', 'pw');
wp_set_current_user(1);
kses_remove_filters();
$bob = wp_create_user('bob', 'pw', 'bob@old.example.org');
wp_update_user(['ID' => 1, 'display_name' => 'Jane Doe']);
wp_update_user(['ID' => $bob, 'display_name' => 'Robert Roe']);
$travel = wp_insert_term('Travel', 'category');
$japan = wp_insert_term('Japan', 'category', ['parent' => $travel['term_id']]);
$tokyo = wp_insert_term('Tokyo', 'category', ['parent' => $japan['term_id']]);
$p1 = wp_insert_post(['post_title' => 'Pinned Welcome', 'post_content' => '<p>Pinnedwords</p>', 'post_status' => 'publish',
	'post_date' => '2019-01-01 10:00:00', 'post_author' => 1, 'post_category' => [$tokyo['term_id']], 'tags_input' => ['Tom & Jerry']]);
stick_post($p1);
$c = wp_insert_comment(['comment_post_ID' => $p1, 'comment_author' => 'Reader', 'comment_author_email' => 'r@example.org', 'comment_content' => 'Normalcommentwords', 'comment_approved' => 1, 'comment_date' => '2019-02-01 10:00:00', 'comment_date_gmt' => '2019-02-01 10:00:00']);
wp_insert_comment(['comment_post_ID' => $p1, 'comment_author' => 'Linking Blog &raquo; About yours', 'comment_author_url' => 'https://linker.example.net/about/', 'comment_content' => '[&#8230;] Pingbackwords [&#8230;]', 'comment_type' => 'pingback', 'comment_approved' => 1, 'comment_date' => '2019-02-02 10:00:00', 'comment_date_gmt' => '2019-02-02 10:00:00']);
wp_insert_comment(['comment_post_ID' => $p1, 'comment_author' => 'Tracking Site', 'comment_author_url' => 'https://tracker.example.com/n/42', 'comment_content' => 'Trackbackwords', 'comment_type' => 'trackback', 'comment_approved' => 1, 'comment_date' => '2019-02-03 10:00:00', 'comment_date_gmt' => '2019-02-03 10:00:00']);
$p2 = wp_insert_post(['post_title' => 'Block User One', 'post_content' => "<!-- wp:paragraph -->\n<p>Blockoneintro</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:block {\"ref\":0} /-->", 'post_status' => 'publish', 'post_date' => '2020-03-01 10:00:00', 'post_author' => $bob]);
$p3 = wp_insert_post(['post_title' => 'Block User Two', 'post_content' => "<p>Blocktwointro</p>\n<!-- wp:block {\"ref\":0} /-->", 'post_status' => 'publish', 'post_date' => '2020-04-01 10:00:00', 'post_author' => $bob]);
$blk = wp_insert_post(['post_title' => 'Shared Signature', 'post_content' => "<!-- wp:paragraph -->\n<p>Sharedblockwords</p>\n<!-- /wp:paragraph -->", 'post_status' => 'publish', 'post_type' => 'wp_block', 'post_author' => 1]);
foreach ([$p2, $p3] as $p) { $post = get_post($p); wp_update_post(['ID' => $p, 'post_content' => wp_slash(str_replace('"ref":0', '"ref":' . $blk, $post->post_content))]); }
require_once ABSPATH . 'wp-admin/includes/export.php';
ob_start(); export_wp(['content' => 'all']); $xml = ob_get_clean();
file_put_contents(getenv('OUT'), $xml);
echo "ok ", strlen($xml), "\n";
