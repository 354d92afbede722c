/* options: the site options' keys, their validation and how they lay over the INI's values. */
#include "options.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "log.h"
#include "text.h"

const struct opt_def opt_defs[OPT_COUNT] = {
    [OPT_TITLE] = {"title", "site.title", "Site title"},
    [OPT_DESCRIPTION] = {"description", "site.description", "Description"},
    [OPT_LANGUAGE] = {"language", "site.language", "Language"},
    [OPT_POSTS_PER_PAGE] = {"posts_per_page", "site.posts_per_page", "Posts per page"},
    [OPT_MODERATION] = {"moderation", "comments.moderation", "Moderation"},
    [OPT_CLOSE_AFTER_DAYS] = {"close_after_days", "comments.close_after_days", "Close comments after (days)"},
    [OPT_MAX_LINKS] = {"max_links", "comments.max_links", "Links before holding"},
    [OPT_DISALLOWED_WORDS] = {"disallowed_words", "comments.disallowed_words", "Disallowed words"},
    [OPT_COMMENTS_PER_PAGE] = {"comments_per_page", "comments.per_page", "Comments per page"},
    [OPT_POST_MAILS] = {"post_mails", NULL, "New-post emails to subscribers"},
};

static const char *const moderation_words[] = {"first", "all", "none"};

int opt_find(const char *name)
{
	for (int k = 0; k < OPT_COUNT; k++)
		if (strcmp(opt_defs[k].key, name) == 0)
			return k;
	return -1;
}

/* s without the blanks around it, copied into out. */
static void add_trimmed(struct buf *out, const char *s, size_t n)
{
	while (n && strchr(" \t\r\n", *s))
		s++, n--;
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	buf_add(out, s, n);
}

static bool all_of(const char *s, size_t n, int (*cls)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!cls((unsigned char)s[i]))
			return false;
	return true;
}

bool bcp47_valid(const char *s)
{
	size_t total = strlen(s);
	if (total == 0 || total > OPT_LANGUAGE_MAX)
		return false;
	/* the subtags in order: language (2-3 or 5-8 letters, or "x" for all private use), an
	 * extended language, script (4 letters), region (2 letters or 3 digits), variants (5-8
	 * alphanumerics, or a digit and 3), extensions (a singleton and 2-8), private use (x and 1-8) */
	int stage = 0; /* 0 language, 1 extlang, 2 script, 3 region, 4 variants, 5 extension, 6 private */
	bool ext_needs = false;
	const char *p = s;
	for (int i = 0;; i++) {
		size_t n = strcspn(p, "-");
		if (n == 0 || n > 8 || !all_of(p, n, isalnum))
			return false;
		bool alpha = all_of(p, n, isalpha), digit = all_of(p, n, isdigit);
		if (i == 0) {
			if (n == 1 && (*p == 'x' || *p == 'X'))
				stage = 6, ext_needs = true;
			else if (!alpha || n == 4 || n < 2)
				return false;
			else
				stage = n <= 3 ? 1 : 2;
		} else if (stage == 6) {
			ext_needs = false; /* anything of 1-8 alphanumerics */
		} else if (n == 1) {
			if (ext_needs)
				return false;
			stage = (*p == 'x' || *p == 'X') ? 6 : 5;
			ext_needs = true; /* a singleton needs a subtag after it */
		} else if (stage == 5) {
			ext_needs = false;
		} else if (stage <= 1 && n == 3 && alpha) {
			stage = 2; /* one extended language subtag */
		} else if (stage <= 2 && n == 4 && alpha) {
			stage = 3;
		} else if (stage <= 3 && ((n == 2 && alpha) || (n == 3 && digit))) {
			stage = 4;
		} else if ((n >= 5 || (n == 4 && isdigit((unsigned char)*p)))) {
			stage = 4;
		} else {
			return false;
		}
		p += n;
		if (!*p)
			break;
		p++;
		if (!*p)
			return false; /* a trailing '-' */
	}
	return !ext_needs;
}

/* The tag in its conventional case: language lower, script title, region upper (RFC 5646 2.1.1). */
static void bcp47_case(char *s)
{
	bool first = true, priv = false;
	for (char *p = s; *p;) {
		size_t n = strcspn(p, "-");
		for (size_t i = 0; i < n; i++)
			p[i] = (char)tolower((unsigned char)p[i]);
		if (!first && !priv && n == 1)
			priv = true; /* after a singleton: all lower case */
		else if (!first && !priv && n == 2)
			p[0] = (char)toupper((unsigned char)p[0]), p[1] = (char)toupper((unsigned char)p[1]);
		else if (!first && !priv && n == 4 && isalpha((unsigned char)p[0]))
			p[0] = (char)toupper((unsigned char)p[0]);
		if (first && n == 1)
			priv = true;
		first = false;
		p += n;
		if (*p)
			p++;
	}
}

/* A whole number from min to max, digits only. */
static bool number_in(const char *s, long min, long max, long *out)
{
	s += strspn(s, " \t");
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 9 || s[n + strspn(s + n, " \t")] != '\0')
		return false;
	long v = strtol(s, NULL, 10);
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* False when v is not a whole number from min to max; else its digits (no leading zeros) in out. */
static bool number_opt(const char *v, long min, long max, struct buf *out)
{
	long n;
	if (!number_in(v, min, max, &n))
		return false;
	buf_addf(out, "%ld", n);
	return true;
}

/* One word per line or comma: trimmed, blanks dropped, joined with ", ". */
static const char *words_opt(const char *v, struct buf *out)
{
	size_t count = 0;
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ",\r\n");
		size_t before = out->len;
		if (count)
			buf_adds(out, ", ");
		size_t start = out->len;
		add_trimmed(out, p, n);
		size_t wl = out->len - start;
		if (wl == 0)
			out->len = before;
		else if (utf8_len(out->p + start, wl) > OPT_WORD_MAX)
			return "A word or phrase is longer than 100 characters.";
		else
			count++;
		p += n;
		if (*p)
			p++;
	}
	if (out->len && utf8_len(out->p, out->len) > OPT_WORDS_MAX)
		return "The list is longer than 5000 characters.";
	return NULL;
}

const char *opt_normalize(enum opt_key k, const char *value, struct buf *out)
{
	const char *v = value ? value : "";
	size_t n = strlen(v);
	buf_reset(out);
	if (!utf8_valid(v, n))
		return "This is not valid text (UTF-8): type it again.";
	if (has_control(v, n))
		return "Control characters are not allowed here.";
	if (k != OPT_DISALLOWED_WORDS && strpbrk(v, "\r\n"))
		return "One line only.";
	const char *why = NULL;
	switch (k) {
	case OPT_TITLE:
	case OPT_DESCRIPTION: {
		add_trimmed(out, v, n);
		const char *t = buf_cstr(out);
		size_t max = k == OPT_TITLE ? OPT_TITLE_MAX : OPT_DESCRIPTION_MAX;
		if (k == OPT_TITLE && !*t)
			why = "The site needs a title.";
		else if (utf8_len(t, strlen(t)) > max)
			why = k == OPT_TITLE ? "At most 200 characters." : "At most 500 characters.";
		else if (!field_ok(t, max, true))
			why = "Control characters (such as text direction marks) are not allowed here.";
		break;
	}
	case OPT_LANGUAGE:
		add_trimmed(out, v, n);
		if (!bcp47_valid(buf_cstr(out)))
			why = "A language tag such as en, en-GB, pt-BR or zh-Hant.";
		else
			bcp47_case(out->p);
		break;
	case OPT_POSTS_PER_PAGE:
		why = number_opt(v, 1, POSTS_PER_PAGE_MAX, out) ? NULL : "A whole number from 1 to 100.";
		break;
	case OPT_CLOSE_AFTER_DAYS:
		why = number_opt(v, 0, OPT_DAYS_MAX, out) ? NULL
		                                          : "A whole number of days from 0 (never) to 36500.";
		break;
	case OPT_MAX_LINKS:
		why = number_opt(v, 0, OPT_LINKS_MAX, out) ? NULL : "A whole number from 0 to 1000.";
		break;
	case OPT_COMMENTS_PER_PAGE:
		why =
		    number_opt(v, 1, OPT_COMMENTS_PER_PAGE_MAX, out) ? NULL : "A whole number from 1 to 500.";
		break;
	case OPT_MODERATION:
		why = "Choose first, all or none.";
		for (size_t i = 0; i < sizeof moderation_words / sizeof moderation_words[0]; i++)
			if (strcmp(v, moderation_words[i]) == 0) {
				buf_adds(out, moderation_words[i]);
				why = NULL;
			}
		break;
	case OPT_DISALLOWED_WORDS:
		why = words_opt(v, out);
		break;
	case OPT_POST_MAILS:
		if (strcmp(v, "on") && strcmp(v, "off"))
			why = "On or off.";
		else
			buf_adds(out, v);
		break;
	default:
		why = "Unknown setting.";
	}
	if (!why && out->oom)
		why = "Out of memory.";
	buf_cstr(out);
	return why;
}

void opt_of_config(const struct config *c, enum opt_key k, struct buf *out)
{
	buf_reset(out);
	switch (k) {
	case OPT_TITLE:
		buf_adds(out, c->title);
		break;
	case OPT_DESCRIPTION:
		buf_adds(out, c->description);
		break;
	case OPT_LANGUAGE:
		buf_adds(out, c->language);
		break;
	case OPT_POSTS_PER_PAGE:
		buf_addf(out, "%ld", c->posts_per_page);
		break;
	case OPT_MODERATION:
		buf_adds(out, config_moderation_name(c->moderation));
		break;
	case OPT_CLOSE_AFTER_DAYS:
		buf_addf(out, "%ld", c->close_after_days);
		break;
	case OPT_MAX_LINKS:
		buf_addf(out, "%ld", c->max_links);
		break;
	case OPT_DISALLOWED_WORDS:
		words_opt(c->disallowed_words, out);
		break;
	case OPT_COMMENTS_PER_PAGE:
		buf_addf(out, "%ld", c->comments_per_page);
		break;
	case OPT_POST_MAILS:
		buf_adds(out, "on");
		break;
	default:
		break;
	}
	buf_cstr(out);
}

int options_put(struct options *o, const char *name, const char *value, time_t at)
{
	if (at > o->changed_at)
		o->changed_at = at;
	if (strcmp(name, OPT_CHANGED_KEY) == 0)
		return 0;
	int k = opt_find(name);
	if (k < 0)
		return 0; /* a key of a later version, or typed by hand: not ours */
	char *copy = strdup(value);
	if (!copy)
		return -1;
	free(o->val[k]);
	o->val[k] = copy;
	return 0;
}

void options_apply(const struct options *o, struct config *c)
{
	struct buf b = BUF_INIT;
	for (int k = 0; k < OPT_COUNT; k++) {
		const char *v = o->val[k];
		if (!v)
			continue;
		if (opt_normalize(k, v, &b) || strcmp(buf_cstr(&b), v) != 0) {
			log_warn("options: site_options.%s is not valid, the file's value holds",
			         opt_defs[k].key);
			continue;
		}
		long n = strtol(v, NULL, 10);
		switch ((enum opt_key)k) {
		case OPT_TITLE:
			c->title = (char *)v;
			break;
		case OPT_DESCRIPTION:
			c->description = (char *)v;
			break;
		case OPT_LANGUAGE:
			c->language = (char *)v;
			break;
		case OPT_POSTS_PER_PAGE:
			c->posts_per_page = n;
			break;
		case OPT_MODERATION:
			c->moderation = !strcmp(v, "all")    ? MOD_ALL
			                : !strcmp(v, "none") ? MOD_NONE
			                                     : MOD_FIRST;
			break;
		case OPT_CLOSE_AFTER_DAYS:
			c->close_after_days = n;
			break;
		case OPT_MAX_LINKS:
			c->max_links = n;
			break;
		case OPT_DISALLOWED_WORDS:
			c->disallowed_words = (char *)v;
			break;
		case OPT_COMMENTS_PER_PAGE:
			c->comments_per_page = n;
			break;
		case OPT_POST_MAILS:
		case OPT_COUNT:
			break;
		}
	}
	buf_free(&b);
}

bool options_post_mails(const struct options *o)
{
	return !o->val[OPT_POST_MAILS] || strcmp(o->val[OPT_POST_MAILS], "off") != 0;
}

void options_free(struct options *o)
{
	for (int k = 0; k < OPT_COUNT; k++)
		free(o->val[k]);
	memset(o, 0, sizeof *o);
}
