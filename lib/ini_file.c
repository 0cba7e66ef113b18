/* ini_file.c: libinih driven through a line reader that counts lines. */
#include "ini_file.h"
#include "util.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xv_ini {
	const char *path;
	/* input: either a FILE or a memory range */
	FILE *fp;
	const char *text, *text_end;
	unsigned line;
	int stop; /* reader saw something inih must not parse */
	char section[256];
	const struct xv_ini_callbacks *cb;
	void *user;
	char err[512];
	unsigned err_line;
};

unsigned xv_ini_line(const struct xv_ini *ini)
{
	return ini->line;
}

const char *xv_ini_path(const struct xv_ini *ini)
{
	return ini->path;
}

static int verror_at(struct xv_ini *ini, unsigned line, const char *fmt, va_list ap)
{
	if (!ini->err[0]) {
		ini->err_line = line;
		int n = snprintf(ini->err, sizeof(ini->err), "%s:%u: ", ini->path, line);
		if (n > 0 && (size_t)n < sizeof(ini->err))
			vsnprintf(ini->err + n, sizeof(ini->err) - (size_t)n, fmt, ap);
	}
	return -1;
}

int xv_ini_error(struct xv_ini *ini, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(ini, ini->line, fmt, ap);
	va_end(ap);
	return -1;
}

int xv_ini_error_at(struct xv_ini *ini, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(ini, line, fmt, ap);
	va_end(ap);
	return -1;
}

static int next_char(struct xv_ini *ini)
{
	if (ini->fp)
		return getc_unlocked(ini->fp);
	if (ini->text < ini->text_end)
		return (unsigned char)*ini->text++;
	return EOF;
}

/* Reports a section header to the caller as soon as it is read, so empty
 * sections are seen too and the line number is exact. */
static void maybe_section(struct xv_ini *ini, const char *line)
{
	const char *p = line, *end;
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '[')
		return;
	end = strchr(p, ']');
	if (!end)
		return; /* inih reports the syntax error */
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - p);
	if (len >= sizeof(ini->section)) {
		xv_ini_error(ini, "section name too long");
		ini->stop = 1;
		return;
	}
	memcpy(ini->section, p, len);
	ini->section[len] = '\0';
	if (ini->cb->section && ini->cb->section(ini, ini->user, ini->section))
		ini->stop = 1;
}

/* inih's ini_reader: one line per call, like fgets. */
static char *read_line(char *str, int num, void *stream)
{
	struct xv_ini *ini = stream;
	int c = EOF, n = 0;

	if (ini->stop)
		return NULL;
	while (n < num - 3 && (c = next_char(ini)) != EOF) {
		if (c == '\0') {
			ini->line++;
			xv_ini_error(ini, "NUL byte in file (is it a text file?)");
			ini->stop = 1;
			return NULL;
		}
		str[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0 && c == EOF)
		return NULL;
	ini->line++;
	if (n == num - 3 && str[n - 1] != '\n') {
		c = next_char(ini);
		if (c != EOF && c != '\n' && !(c == '\r')) {
			xv_ini_error(ini, "line too long (the limit is %d characters)", num - 3);
			ini->stop = 1;
			return NULL;
		}
		if (c == '\r')
			(void)next_char(ini);
	}
	str[n] = '\0';
	maybe_section(ini, str);
	return ini->stop ? NULL : str;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct xv_ini *ini = user;
	size_t len = strlen(value);
	char *unquoted = NULL;
	int rc;

	if (strcmp(section, ini->section)) {
		xv_ini_error(ini, "malformed section header");
		return 0;
	}
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
		value = unquoted = xv_strndup(value + 1, len - 2);
	rc = ini->cb->key(ini, ini->user, section, name, value);
	free(unquoted);
	if (rc) {
		ini->stop = 1;
		return 0;
	}
	return 1;
}

static int run(struct xv_ini *ini, char *err, size_t errlen)
{
	int rc = ini_parse_stream(read_line, ini, on_pair, ini);

	if (rc == -2)
		xv_die("out of memory");
	/* inih goes on after a syntax error, so a later line may have failed
	 * first in our callbacks: report whichever line comes first. */
	if (rc > 0 && (!ini->err[0] || (unsigned)rc < ini->err_line)) {
		ini->err[0] = '\0';
		xv_ini_error_at(ini, (unsigned)rc, "syntax error (expected [section] or key = value)");
	}
	if (!ini->err[0] && rc == 0 && ini->cb->end)
		ini->cb->end(ini, ini->user);
	if (ini->err[0]) {
		xv_strlcpy(err, ini->err, errlen);
		return -1;
	}
	return 0;
}

int xv_ini_parse_file(const char *path, const struct xv_ini_callbacks *cb, void *user,
		      char *err, size_t errlen)
{
	struct xv_ini ini = { .path = path, .cb = cb, .user = user };
	int rc;

	ini.fp = fopen(path, "r");
	if (!ini.fp) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	rc = run(&ini, err, errlen);
	if (!rc && ferror(ini.fp)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		rc = -1;
	}
	fclose(ini.fp);
	return rc;
}

int xv_ini_parse_string(const char *name, const char *text, size_t len,
			const struct xv_ini_callbacks *cb, void *user, char *err, size_t errlen)
{
	struct xv_ini ini = { .path = name, .text = text, .text_end = text + len, .cb = cb,
			      .user = user };

	return run(&ini, err, errlen);
}

int xv_ini_set_key(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n, unsigned *seen,
		   const char *section, const char *key, const char *value, void *user)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(key, keys[i].name))
			continue;
		if ((*seen & (1u << i)) && !(keys[i].flags & XV_INI_REPEATABLE))
			return xv_ini_error(ini, "duplicate key '%s' in [%s]", key, section);
		*seen |= 1u << i;
		return keys[i].set(ini, user, value);
	}
	return xv_ini_error(ini, "unknown key '%s' in [%s]", key, section);
}

int xv_ini_check_required(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n,
			  unsigned seen, unsigned line, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if ((keys[i].flags & XV_INI_REQUIRED) && !(seen & (1u << i)))
			return xv_ini_error_at(ini, line, "[%s] lacks '%s'", label, keys[i].name);
	return 0;
}

int xv_ini_key_given(const struct xv_ini_key *keys, size_t n, unsigned seen, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].name, name))
			return (seen >> i) & 1u;
	return 0;
}
