/* mime: RFC 5322 / MIME messages: multipart/alternative (text + HTML) in UTF-8, encoded-word
 * subjects, and header values that can never start a new header. */
#ifndef QUIRE_MIME_H
#define QUIRE_MIME_H
#include <stdbool.h>
#include <time.h>

#include "buf.h"

#define HEADER_VALUE_MAX 998
#define HEADER_FOLD_WIDTH 78 /* the line length headers keep to where they can */
#define SUBJECT_HEADER_LEN 9 /* "Subject: " */

struct mime_msg {
	const char *from; /* "Name <addr>" or addr */
	const char *to;
	const char *subject;          /* UTF-8; encoded if not ASCII */
	const char *text, *html;      /* the two alternatives, UTF-8 */
	const char *list_unsubscribe; /* full header value, or NULL */
	const char *list_id;          /* full header value (RFC 2919), or NULL */
	bool one_click;               /* adds List-Unsubscribe-Post (RFC 8058) */
	const char *msgid_domain;     /* right side of Message-ID */
	time_t date;
};

/* True when v may be a header value: no CR, LF or other control characters, not too long. */
bool header_value_ok(const char *v);
/* Writes the whole message (CRLF line ends) into out; -1 when a header value is not allowed. */
int mime_build(const struct mime_msg *m, struct buf *out);
/* RFC 2047 encoded-words (B) of s when it is not plain ASCII, else s as is; fold (for Subject)
 * puts each encoded word on its own continuation line, and folds plain ASCII at spaces to keep
 * lines within HEADER_FOLD_WIDTH; else everything shares one line. */
void mime_encode_word(struct buf *out, const char *s, bool fold);
/* A display name and address for From/To: "Name" <addr>, the name quoted or encoded. */
void mime_mailbox(struct buf *out, const char *name, const char *addr);

/* The host of an http(s) URL, lower-case, without userinfo or port; "" when there is none. */
void mime_url_host(const char *url, char *out, size_t outsz);
/* True when host can stand in a Message-ID or List-Id: letters, digits, '-' and inner dots. */
bool mime_host_ok(const char *host);
/* The List-Id value (RFC 2919): the title as a phrase, then <list.HOST>; -1 for a bad host. */
int mime_list_id(struct buf *out, const char *title, const char *host);
/* text with every line longer than width characters broken at spaces; a word longer than the
 * width (a URL) stays whole on a line of its own. Line breaks already there are kept. */
void mime_wrap_text(struct buf *out, const char *text, size_t width);

#endif
