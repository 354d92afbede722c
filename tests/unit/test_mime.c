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
	const char *ascii_long = "A long plain subject about harbours, tides, boats and gulls at dawn, "
	                         "written to be longer than seventy-eight columns";
	mime_encode_word(&b, ascii_long, true);
	const char *folded = buf_cstr(&b), *nl = strstr(folded, "\r\n ");
	ok(nl && (size_t)(nl - folded) + SUBJECT_HEADER_LEN <= HEADER_FOLD_WIDTH &&
	       strlen(nl + 2) <= HEADER_FOLD_WIDTH,
	   "a long ASCII subject folds at a space within 78 columns");
	struct buf unf = BUF_INIT;
	for (const char *p = folded; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n') && !(p > folded && p[-1] == '\r' && p[0] == '\n'))
			buf_addc(&unf, *p);
	is_str(buf_cstr(&unf), ascii_long, "and unfolds to the very subject");
	buf_free(&unf);
	buf_reset(&b);
	mime_encode_word(&b, ascii_long, false);
	is_str(buf_cstr(&b), ascii_long, "unfolded where folding is not asked for");
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

	/* List-Id, host of base_url */
	char host[64];
	mime_url_host("https://Blog.Example.org:8443/path?x", host, sizeof host);
	is_str(host, "blog.example.org", "host of a URL: lower-case, without port or path");
	mime_url_host("http://user@127.0.0.1:8080", host, sizeof host);
	is_str(host, "127.0.0.1", "without userinfo");
	mime_url_host("http://[::1]:80/", host, sizeof host);
	is_str(host, "[::1]", "an IPv6 literal keeps its brackets");
	ok(mime_host_ok("blog.example.org") && !mime_host_ok("[::1]") && !mime_host_ok("a..b") &&
	       !mime_host_ok("") && !mime_host_ok(".a"),
	   "hosts usable in Message-ID and List-Id");
	buf_reset(&b);
	ok(mime_list_id(&b, "Harbour \"Notes\"", "blog.example.org") == 0, "List-Id built");
	is_str(buf_cstr(&b), "\"Harbour \\\"Notes\\\"\" <list.blog.example.org>",
	       "List-Id: quoted title, list.HOST");
	buf_reset(&b);
	mime_list_id(&b, "Café", "blog.example.org");
	is_str(buf_cstr(&b), "=?UTF-8?B?Q2Fmw6k=?= <list.blog.example.org>",
	       "a non-ASCII title is an encoded word");
	buf_reset(&b);
	ok(mime_list_id(&b, "x", "[::1]") < 0 && b.len == 0,
	   "no List-Id for a host that cannot be a list id");

	/* wrapping the text part at 72 columns */
	buf_reset(&b);
	mime_wrap_text(&b, "short line\n\nsecond", 72);
	is_str(buf_cstr(&b), "short line\n\nsecond", "short lines and blank lines stay as they are");
	buf_reset(&b);
	mime_wrap_text(&b, "aaaa bbbb cccc dddd", 9);
	is_str(buf_cstr(&b), "aaaa bbbb\ncccc dddd", "long lines break at spaces");
	buf_reset(&b);
	const char *url = "https://blog.example.org/unsubscribe?id=12&token=0123456789abcdef0123456789abcdef";
	char line[300];
	snprintf(line, sizeof line, "Unsubscribe: %s now", url);
	mime_wrap_text(&b, line, 40);
	char want[300];
	snprintf(want, sizeof want, "Unsubscribe:\n%s\nnow", url);
	is_str(buf_cstr(&b), want, "a URL longer than the width stays whole on its own line");
	buf_reset(&b);
	mime_wrap_text(&b, "é é é é é é", 5);
	is_str(buf_cstr(&b), "é é é\né é é", "width counts characters, not bytes");
	buf_reset(&b);
	char para[600] = "";
	for (int i = 0; i < 60; i++)
		strcat(para, "word ");
	mime_wrap_text(&b, para, 72);
	bool fits = true;
	for (const char *p = buf_cstr(&b), *e; *p; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		e = e ? e : p + strlen(p);
		fits &= e - p <= 72;
	}
	ok(fits, "a long paragraph: no line over 72");
	buf_free(&b);
	return tap_done();
}
