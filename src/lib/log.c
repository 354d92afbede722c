/* log: escapes control characters so request data can never forge a log line. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void log_msg(const char *fmt, ...)
{
	char line[2048], out[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)line; *p && o + 5 < sizeof out; p++) {
		if (*p < 0x20 || *p == 0x7F)
			o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	fprintf(stderr, "quire: %s\n", out);
}
