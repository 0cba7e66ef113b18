/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ini_file.c: the INI reader of every xvmon file; see ini_file.h for what
 * is refused and why. */
#include "ini_file.h"
#include "file.h"
#include "util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_KEY XV_INI_MAX_KEYS

struct xv_ini {
	const char *path;
	size_t size; /* bytes of the whole input */
	unsigned line;
	/* where the line being parsed starts: in the text given to
	 * parse_lines(), which starts at byte chunk_offset of the input */
	const char *chunk, *line_start;
	size_t chunk_offset;
	int stop; /* a line was refused or a callback failed */
	char section[XV_INI_MAX_NAME + 1];
	const struct xv_ini_callbacks *cb;
	void *user;
	struct xv_error err; /* code XV_E_NONE while no error is recorded */
	/* The key table used last, and for each of its keys the one that came
	 * after it last time (FIRST_KEY: the first of a section): sections of
	 * one kind give their keys in the same order, so the key looked for is
	 * most often found at the first try. */
	const struct xv_ini_key *last_keys;
	uint8_t key_after[XV_INI_MAX_KEYS + 1];
	uint8_t prev_key;
	/* The required keys of required_keys[], as a bit set */
	const struct xv_ini_key *required_keys;
	size_t required_n;
	xv_ini_seen required;
};

size_t xv_ini_size(const struct xv_ini *ini)
{
	return ini->size;
}

unsigned xv_ini_line(const struct xv_ini *ini)
{
	return ini->line;
}

size_t xv_ini_offset(const struct xv_ini *ini)
{
	return ini->chunk_offset + (size_t)(ini->line_start - ini->chunk);
}

const char *xv_ini_path(const struct xv_ini *ini)
{
	return ini->path;
}

static int verror_at(struct xv_ini *ini, unsigned line, const char *fmt, va_list ap)
{
	if (ini->err.code == XV_E_NONE)
		xv_verror_at(&ini->err, XV_E_DATA, ini->path, line, fmt, ap);
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

int xv_ini_error_from(struct xv_ini *ini, const struct xv_error *cause)
{
	if (ini->err.code == XV_E_NONE) {
		xv_error_at(&ini->err, cause->code, ini->path, ini->line, "%s", cause->msg);
		if (ini->err.code == XV_E_NONE)
			ini->err.code = XV_E_DATA;
	}
	return -1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Refuses a line, stopping the parse. */
static int refuse(struct xv_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct xv_ini *ini, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror_at(ini, ini->line, fmt, ap);
	va_end(ap);
	ini->stop = 1;
	return -1;
}

/* A section header: "[name]" and nothing after it but a comment; blanks
 * around the name are dropped. */
static int parse_section(struct xv_ini *ini, const char *p, const char *end)
{
	const char *close = memchr(p, ']', (size_t)(end - p));
	const char *name, *name_end, *after;

	if (!close)
		return refuse(ini, "section header without ']'");
	for (after = close + 1; after < end && is_blank(*after); after++)
		;
	if (after < end && *after != ';' && *after != '#')
		return refuse(ini, "text after the section header");
	for (name = p + 1; name < close && is_blank(*name); name++)
		;
	for (name_end = close; name_end > name && is_blank(name_end[-1]); name_end--)
		;
	if (memchr(name, '[', (size_t)(name_end - name)))
		return refuse(ini, "'[' inside a section name");
	if ((size_t)(name_end - name) > XV_INI_MAX_NAME)
		return refuse(ini, "section name longer than %d characters", XV_INI_MAX_NAME);
	memcpy(ini->section, name, (size_t)(name_end - name));
	ini->section[name_end - name] = '\0';
	ini->prev_key = FIRST_KEY;
	if (ini->cb->section && ini->cb->section(ini, ini->user, ini->section))
		ini->stop = 1;
	return ini->stop ? -1 : 0;
}

/* What ends a key (a table: a scenario of 1000 domains has 20 000 keys). */
static const bool key_end[256] = { ['='] = true, [':'] = true };

/* "key = value" or "key: value": the name ends at the first '=' or ':', the
 * value at " ;" (an inline comment); blanks around both are dropped, and a
 * value may carry one pair of double quotes, which are removed.  Name and
 * value are ended with a NUL in place: the line is not read again, and
 * end[0] may be written (it is the line end, or a byte kept spare). */
static int parse_pair(struct xv_ini *ini, char *p, char *end)
{
	char *sep = p, *name_end, *v, *v_end, saved = *end;

	/* end[0] is ours for a moment: a '=' there ends the search for one */
	*end = '=';
	while (!key_end[(unsigned char)*sep])
		sep++;
	*end = saved;
	if (sep == end)
		return refuse(ini, "syntax error (expected [section] or key = value)");
	for (name_end = sep; name_end > p && is_blank(name_end[-1]); name_end--)
		;
	if (name_end == p)
		return refuse(ini, "a value without a key");
	if ((size_t)(name_end - p) > XV_INI_MAX_NAME)
		return refuse(ini, "key name longer than %d characters", XV_INI_MAX_NAME);
	for (v = sep + 1; v < end && is_blank(*v); v++)
		;
	for (v_end = v; v_end < end; v_end++)
		if (*v_end == ';' && v_end > v && is_blank(v_end[-1]))
			break;
	while (v_end > v && is_blank(v_end[-1]))
		v_end--;
	if (v < v_end && *v == '"') {
		/* a quoted value: one pair of quotes around it, none inside */
		if (v_end - v < 2 || v_end[-1] != '"')
			return refuse(ini, "unbalanced double quote in the value of '%.*s'",
				      (int)(name_end - p), p);
		if (memchr(v + 1, '"', (size_t)(v_end - v - 2)))
			return refuse(ini, "a double quote inside the quoted value of '%.*s'",
				      (int)(name_end - p), p);
		v++;
		v_end--;
	}
	/* a value that does not start with a quote is taken as written */
	*name_end = '\0';
	*v_end = '\0';
	if (ini->cb->key(ini, ini->user, ini->section, p, v))
		ini->stop = 1;
	return ini->stop ? -1 : 0;
}

/* One line, without its line end. */
static int parse_line(struct xv_ini *ini, char *p, char *end)
{
	if (p == end)
		return 0;
	if (is_blank(*p)) {
		const char *q = p;
		while (q < end && is_blank(*q))
			q++;
		if (q == end || *q == ';' || *q == '#')
			return 0;
		return refuse(ini, "indented line (xvmon files have no continuation lines: remove "
			      "the leading blanks)");
	}
	if (*p == ';' || *p == '#')
		return 0;
	if (*p == '[')
		return parse_section(ini, p, end);
	return parse_pair(ini, p, end);
}

/* Parses the lines of text[0..end) that are complete: each ends with a line
 * feed, except the last of the file (at_eof), after which end[0] is a spare
 * byte.  Returns where it stopped: at the start of an unfinished line, or
 * after the line that was refused. */
static char *parse_lines(struct xv_ini *ini, char *text, char *end, bool at_eof)
{
	/* one search for NUL bytes, not one a line: the first line that
	 * holds one is refused */
	const char *nul = memchr(text, '\0', (size_t)(end - text));

	ini->chunk = text;
	while (text < end && !ini->stop) {
		char *start = text, *eol = memchr(text, '\n', (size_t)(end - text));
		char *content_end = eol ? eol : end;

		/* an unfinished line waits for more, unless it is too long
		 * already (with room for a byte-order mark and a '\r') */
		if (!eol && !at_eof && (size_t)(end - start) <= XV_INI_MAX_LINE + 4)
			break;
		text = eol ? eol + 1 : end;
		ini->line++;
		ini->line_start = start;
		if (ini->line == 1 && content_end - start >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3))
			start += 3; /* a UTF-8 byte-order mark */
		if (content_end > start && content_end[-1] == '\r')
			content_end--;
		if ((size_t)(content_end - start) > XV_INI_MAX_LINE)
			refuse(ini, "line too long (the limit is %d characters)", XV_INI_MAX_LINE);
		else if (nul && nul < content_end)
			refuse(ini, "NUL byte in file (is it a text file?)");
		else
			parse_line(ini, start, content_end);
	}
	return text;
}

/* After the last line: the whole-file checks, and the outcome. */
static int finish(struct xv_ini *ini, struct xv_error *e)
{
	if (ini->err.code == XV_E_NONE && ini->cb->end)
		ini->cb->end(ini, ini->user);
	if (ini->err.code != XV_E_NONE) {
		if (e)
			*e = ini->err;
		return -1;
	}
	return 0;
}

int xv_ini_parse_string(const char *name, const char *text, size_t len,
			const struct xv_ini_callbacks *cb, void *user, struct xv_error *e)
{
	struct xv_ini ini = { .path = name, .size = len, .cb = cb, .user = user, .prev_key = FIRST_KEY };
	/* a copy the parse may write into, with its spare byte */
	char *copy = xv_malloc(len + 1);
	int rc;

	memcpy(copy, text, len);
	parse_lines(&ini, copy, copy + len, true);
	rc = finish(&ini, e);
	free(copy);
	return rc;
}

/* xv_file_read_chunks()' reader: the complete lines, or all at the end. */
static long take_lines(void *user, char *text, size_t len, bool at_eof)
{
	struct xv_ini *ini = user;
	char *done = parse_lines(ini, text, text + len, at_eof);

	/* the next text starts where this one was left */
	ini->chunk_offset += (size_t)(done - text);
	return ini->stop ? -1 : done - text;
}

int xv_ini_parse_file(const char *path, size_t max_bytes, const struct xv_ini_callbacks *cb,
		      void *user, struct xv_error *e)
{
	struct xv_ini ini = { .path = path, .cb = cb, .user = user, .prev_key = FIRST_KEY };

	/* NUL bytes are reported by the line reader, with their line */
	if (xv_file_read_chunks(path, max_bytes, 0, XV_INI_READ_BYTES, &ini.size, take_lines, &ini,
				e) && !ini.stop)
		return -1; /* the file could not be read */
	return finish(&ini, e);
}

/* The entry of `key` in keys[0..n), or n: tried first where the key that
 * came after the previous one was last time. */
static size_t find_key(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n, const char *key)
{
	size_t i = n;

	if (ini->last_keys != keys) {
		memset(ini->key_after, 0, sizeof(ini->key_after));
		ini->last_keys = keys;
	}
	size_t guess = ini->key_after[ini->prev_key];
	if (guess < n && key[0] == keys[guess].name[0] && !strcmp(key, keys[guess].name))
		i = guess;
	else
		for (i = 0; i < n; i++)
			if (key[0] == keys[i].name[0] && !strcmp(key, keys[i].name))
				break;
	if (i < n) {
		ini->key_after[ini->prev_key] = (uint8_t)i;
		ini->prev_key = (uint8_t)i;
	}
	return i;
}

int xv_ini_set_key(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n, xv_ini_seen *seen,
		   const char *section, const char *key, const char *value, void *user)
{
	size_t i = find_key(ini, keys, n, key);

	if (i == n)
		return xv_ini_error(ini, "unknown key '%s' in [%s]", key, section);
	if ((*seen & XV_INI_BIT(i)) && !(keys[i].flags & XV_INI_REPEATABLE))
		return xv_ini_error(ini, "duplicate key '%s' in [%s]", key, section);
	*seen |= XV_INI_BIT(i);
	return keys[i].set(ini, user, &keys[i], value);
}

int xv_ini_check_required(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n,
			  xv_ini_seen seen, unsigned line, const char *label)
{
	if (ini->required_keys != keys || ini->required_n != n) {
		/* computed once: thousands of sections share one table */
		ini->required = 0;
		for (size_t i = 0; i < n; i++)
			if (keys[i].flags & XV_INI_REQUIRED)
				ini->required |= XV_INI_BIT(i);
		ini->required_keys = keys;
		ini->required_n = n;
	}
	if (!(ini->required & ~seen))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((keys[i].flags & XV_INI_REQUIRED) && !(seen & XV_INI_BIT(i)))
			return xv_ini_error_at(ini, line, "[%s] lacks '%s'", label, keys[i].name);
	return 0;
}

const char *xv_ini_section_arg(const char *section, const char *kind)
{
	size_t n = strlen(kind);
	const char *name;

	if (strncmp(section, kind, n) || !is_blank(section[n]))
		return NULL;
	for (name = section + n; is_blank(*name); name++)
		;
	return name;
}

int xv_ini_parse_bool(const char *value, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < XV_ARRAY_SIZE(yes); i++) {
		if (!strcmp(value, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(value, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}
