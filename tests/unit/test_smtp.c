/* test_smtp: the pure parts of the SMTP client: the HELO name in the URL, what a failure
 * means, and when STARTTLS is required. */
#include <curl/curl.h>
#include <string.h>

#include "smtp.h"
#include "tap.h"

int main(void)
{
	char u[256];
	smtp_url_with_helo("smtp://127.0.0.1:25", "blog.example.org", u, sizeof u);
	is_str(u, "smtp://127.0.0.1:25/blog.example.org", "the site's host becomes the HELO name");
	smtp_url_with_helo("smtps://relay.example:465/", "blog.example.org", u, sizeof u);
	is_str(u, "smtps://relay.example:465/blog.example.org", "also after a bare slash");
	smtp_url_with_helo("smtp://relay.example/mine.example", "blog.example.org", u, sizeof u);
	is_str(u, "smtp://relay.example/mine.example", "a HELO name in the URL is kept");
	smtp_url_with_helo("smtp://relay.example", "127.0.0.1", u, sizeof u);
	is_str(u, "smtp://relay.example/%5B127.0.0.1%5D", "an address is sent as a literal [a.b.c.d]");
	ok(smtp_url_with_helo("smtp://relay.example", "blog.example.org", u, 10) < 0, "too small: -1");

	ok(smtp_classify(CURLE_OK, 250, "") == SMTP_SENT, "OK: sent");
	ok(smtp_classify(CURLE_LOGIN_DENIED, 535, "") == SMTP_CONFIG, "login denied: configuration");
	ok(smtp_classify(CURLE_SEND_ERROR, 535, "") == SMTP_CONFIG, "535 by any path: configuration");
	ok(smtp_classify(CURLE_SEND_ERROR, 530, "") == SMTP_CONFIG,
	   "530 authentication required: configuration");
	ok(smtp_classify(CURLE_USE_SSL_FAILED, 250, "") == SMTP_CONFIG, "TLS impossible: configuration");
	ok(smtp_classify(CURLE_PEER_FAILED_VERIFICATION, 0, "") == SMTP_CONFIG,
	   "certificate rejected: configuration");
	ok(smtp_classify(CURLE_SSL_CACERT_BADFILE, 0, "") == SMTP_CONFIG,
	   "unreadable CA file: configuration");
	ok(smtp_classify(CURLE_SEND_ERROR, 550, "RCPT failed: 550") == SMTP_RECIPIENT,
	   "550 to RCPT TO: that recipient only");
	ok(smtp_classify(CURLE_SEND_ERROR, 550, "MAIL failed: 550") == SMTP_CONFIG,
	   "550 to MAIL FROM: the sender is refused, a configuration error");
	ok(smtp_classify(CURLE_SEND_ERROR, 553, "MAIL failed: 553") == SMTP_CONFIG,
	   "553 sender not owned: configuration");
	ok(smtp_classify(CURLE_WEIRD_SERVER_REPLY, 550, "") == SMTP_PERMANENT,
	   "550 after DATA: that message failed, the address is not blamed");
	ok(smtp_classify(CURLE_SEND_ERROR, 451, "") == SMTP_TRANSIENT, "451: later");
	ok(smtp_classify(CURLE_OPERATION_TIMEDOUT, 0, "") == SMTP_TRANSIENT, "timeout: later");
	ok(smtp_classify(CURLE_COULDNT_CONNECT, 0, "") == SMTP_TRANSIENT, "refused connection: later");
	ok(smtp_classify(CURLE_ABORTED_BY_CALLBACK, 0, "") == SMTP_STOPPED,
	   "aborted by the stop flag: stopped");

	struct smtp_cfg c = {.starttls = "try"};
	is_str(smtp_tls_mode(&c), "try", "try without credentials stays try");
	c.username = "quire";
	is_str(smtp_tls_mode(&c), "require", "with a username, try means require");
	c.starttls = "no";
	is_str(smtp_tls_mode(&c), "no", "no is the only way to send credentials in clear");
	c.starttls = NULL;
	is_str(smtp_tls_mode(&c), "require", "the default with a username requires TLS");
	return tap_done();
}
