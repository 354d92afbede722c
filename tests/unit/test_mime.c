/* test_mime: messages: headers refused with CR/LF, encoded-word subjects, base64 bodies. */
#include <string.h>

#include "mime.h"
#include "tap.h"

int main(void)
{
	ok(header_value_ok("Plain subject") && header_value_ok("Café ☕"), "normal values pass");
	ok(!header_value_ok("x\r\nBcc: victim@example.org") && !header_value_ok("x\nBcc: y") &&
	       !header_value_ok("x\ry"),
	   "CR or LF never pass");
	ok(!header_value_ok("tab\there") && !header_value_ok("\xC3\x28"),
	   "control characters and bad UTF-8 refused");

	struct buf b = BUF_INIT;
	mime_encode_word(&b, "ascii only", true);
	is_str(buf_cstr(&b), "ascii only", "ASCII stays as is");
	buf_reset(&b);
	mime_encode_word(&b, "Café", true);
	is_str(buf_cstr(&b), "=?UTF-8?B?Q2Fmw6k=?=", "non-ASCII becomes an encoded word");
	buf_reset(&b);
	char longs[400] = "";
	for (int i = 0; i < 40; i++)
		strcat(longs, "é☕ ");
	mime_encode_word(&b, longs, true);
	ok(strstr(buf_cstr(&b), "?=\r\n =?UTF-8?B?") != NULL, "long subjects fold between words");
	buf_reset(&b);
	mime_mailbox(&b, "Joe \"the\" Blog", "a@example.org");
	is_str(buf_cstr(&b), "\"Joe \\\"the\\\" Blog\" <a@example.org>", "ASCII display names are quoted");
	buf_reset(&b);

	struct mime_msg m = {.from = "a@example.org",
	                     .to = "b@example.org",
	                     .subject = "Hi ☕",
	                     .text = "héllo\n",
	                     .html = "<p>héllo</p>",
	                     .list_unsubscribe = "<https://x.example/u>",
	                     .one_click = true,
	                     .msgid_domain = "example.org",
	                     .date = 1795564800};
	ok(mime_build(&m, &b) == 0, "builds");
	const char *s = buf_cstr(&b);
	ok(strstr(s, "Date: Wed, 25 Nov 2026 00:00:00 +0000\r\n") != NULL, "RFC 5322 date");
	ok(strstr(s, "Message-ID: <") && strstr(s, "@example.org>\r\n"), "Message-ID");
	ok(strstr(s, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != NULL, "one-click header");
	ok(strstr(s, "Content-Type: multipart/alternative; boundary=") != NULL, "multipart/alternative");
	ok(strstr(s, "Content-Type: text/plain; charset=utf-8") &&
	       strstr(s, "Content-Type: text/html; charset=utf-8"),
	   "both parts in UTF-8");
	ok(strstr(s, "aMOpbGxvCg==") != NULL, "the text in base64");
	bool short_lines = true;
	for (const char *p = s, *e; (e = strstr(p, "\r\n")); p = e + 2)
		short_lines &= e - p <= 998;
	ok(short_lines, "no line over 998 bytes");
	buf_reset(&b);
	m.to = "b@example.org\r\nBcc: victim@example.org";
	ok(mime_build(&m, &b) < 0, "a recipient with CRLF is refused");
	m.to = "b@example.org";
	m.subject = "Hi\nBcc: v@example.org";
	ok(mime_build(&m, &b) < 0, "a subject with LF is refused");
	buf_free(&b);
	return tap_done();
}
