/* frontmatter: a strict line parser; the body is everything after the closing `---`. */
#include "frontmatter.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

static char *unquote(char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && ((v[0] == '"' && v[n - 1] == '"') || (v[0] == '\'' && v[n - 1] == '\''))) {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

static char *next_line(char **p, char *end)
{
	if (*p >= end)
		return NULL;
	char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = end;
	}
	size_t len = strlen(line);
	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}

int fm_parse(char *text, size_t n, struct frontmatter *fm, char *err, size_t errsz)
{
	memset(fm, 0, sizeof *fm);
	fm->draft = fm->sticky = fm->notify = -1;
	if (n > FM_MAX_FILE) {
		snprintf(err, errsz, "file larger than %d bytes", FM_MAX_FILE);
		return -1;
	}
	if (strlen(text) != n || !utf8_valid(text, n)) {
		snprintf(err, errsz, "not valid UTF-8 text");
		return -1;
	}
	char *p = text, *end = text + n;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	char *line = next_line(&p, end);
	if (!line || strcmp(trim(line), "---") != 0) {
		snprintf(err, errsz, "line 1: expected '---' to open the front matter");
		return -1;
	}
	int lineno = 1;
	bool closed = false;
	while ((line = next_line(&p, end))) {
		lineno++;
		if (strlen(line) > FM_MAX_LINE) {
			snprintf(err, errsz, "line %d: line too long", lineno);
			return -1;
		}
		char *s = trim(line);
		if (strcmp(s, "---") == 0) {
			closed = true;
			break;
		}
		if (*s == '\0' || *s == '#')
			continue;
		char *colon = strchr(s, ':');
		if (!colon) {
			snprintf(err, errsz, "line %d: expected 'key: value'", lineno);
			return -1;
		}
		*colon = '\0';
		char *key = trim(s), *val = unquote(trim(colon + 1));
		if (has_control(val, strlen(val))) {
			snprintf(err, errsz, "line %d: control character in %s", lineno, key);
			return -1;
		}
		if (strcmp(key, "title") == 0) {
			fm->title = val;
		} else if (strcmp(key, "slug") == 0) {
			fm->slug = val;
		} else if (strcmp(key, "date") == 0) {
			fm->date = val;
		} else if (strcmp(key, "updated") == 0) {
			fm->updated = val;
		} else if (strcmp(key, "tags") == 0) {
			fm->tags = val;
		} else if (strcmp(key, "author") == 0) {
			fm->author = val;
		} else if (strcmp(key, "excerpt") == 0) {
			fm->excerpt = val;
		} else if (strcmp(key, "draft") == 0 || strcmp(key, "sticky") == 0 ||
		           strcmp(key, "notify") == 0) {
			int *flag = strcmp(key, "draft") == 0    ? &fm->draft
			            : strcmp(key, "sticky") == 0 ? &fm->sticky
			                                         : &fm->notify;
			if (strcmp(val, "true") == 0 || strcmp(val, "yes") == 0) {
				*flag = 1;
			} else if (strcmp(val, "false") == 0 || strcmp(val, "no") == 0) {
				*flag = 0;
			} else {
				snprintf(err, errsz, "line %d: %s must be true or false", lineno, key);
				return -1;
			}
		} else if (!fm->warning[0]) {
			snprintf(fm->warning, sizeof fm->warning, "line %d: unknown key '%.40s' ignored",
			         lineno, key);
		}
	}
	if (!closed) {
		snprintf(err, errsz, "line %d: front matter is not closed by '---'", lineno);
		return -1;
	}
	if (!fm->title || !*fm->title) {
		snprintf(err, errsz, "front matter has no title");
		return -1;
	}
	if (utf8_len(fm->title, strlen(fm->title)) > TITLE_MAX) {
		snprintf(err, errsz, "title longer than %d characters", TITLE_MAX);
		return -1;
	}
	if (fm->slug && *fm->slug && (strlen(fm->slug) > SLUG_MAX || !slug_valid(fm->slug))) {
		snprintf(err, errsz, "slug '%.60s' must be lowercase letters, digits and single dashes",
		         fm->slug);
		return -1;
	}
	fm->body = p;
	fm->body_len = (size_t)(end - p);
	return 0;
}

int fm_split_tags(char *tags, char *out[TAGS_MAX], char *err, size_t errsz)
{
	int count = 0;
	size_t n = strlen(tags);
	if (n >= 2 && tags[0] == '[' && tags[n - 1] == ']') {
		tags[n - 1] = '\0';
		tags++;
	}
	char *save = NULL;
	for (char *t = strtok_r(tags, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		t = unquote(trim(t));
		if (!*t)
			continue;
		if (utf8_len(t, strlen(t)) > TAG_MAX) {
			snprintf(err, errsz, "tag '%.40s...' longer than %d characters", t, TAG_MAX);
			return -1;
		}
		if (count == TAGS_MAX) {
			snprintf(err, errsz, "more than %d tags", TAGS_MAX);
			return -1;
		}
		bool dup = false;
		for (int i = 0; i < count; i++)
			dup |= strcmp(out[i], t) == 0;
		if (!dup)
			out[count++] = t;
	}
	return count;
}
