/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario_edit.c: line edits of sim: scenario files, checked and atomic. */
#include "scenario_edit.h"
#include "atomic_file.h"
#include "file.h"
#include "scenario.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCENARIO_MAX_BYTES (16u << 20)

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The section a header line names, normalised as the parser sees it
 * ("domain NAME"), into buf; false if the line is not a header. */
static bool header_name(const char *line, char *buf, size_t size)
{
	const char *end;
	size_t n;

	if (line[0] != '[' || !(end = strchr(line, ']')))
		return false;
	line++;
	n = (size_t)(end - line);
	if (n >= size)
		n = size - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	if (!strncmp(buf, "domain", 6) && blank(buf[6])) {
		char *name = buf + 7;
		while (blank(*name))
			name++;
		memmove(buf + 7, name, strlen(name) + 1);
		buf[6] = ' ';
	}
	return true;
}

/* If `line` is `key = value` (or `key: value`) for `key`, the start of its
 * value; else NULL. */
static const char *key_value(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n))
		return NULL;
	line += n;
	while (blank(*line))
		line++;
	if (*line != '=' && *line != ':')
		return NULL;
	line++;
	while (blank(*line))
		line++;
	return line;
}

/* Index of the header of `section`, or -1. */
static long find_section(const struct xv_scenario_edit *ed, const char *section)
{
	char name[512];

	for (size_t i = 0; i < ed->n_lines; i++)
		if (header_name(ed->lines[i], name, sizeof(name)) && !strcmp(name, section))
			return (long)i;
	return -1;
}

/* First line after the section starting at `head` that is a header, or the end. */
static size_t section_end(const struct xv_scenario_edit *ed, size_t head)
{
	char name[512];
	size_t i;

	for (i = head + 1; i < ed->n_lines; i++)
		if (header_name(ed->lines[i], name, sizeof(name)))
			break;
	return i;
}

static void add_line(struct xv_scenario_edit *ed, size_t at, char *line)
{
	ed->lines = xv_grow(ed->lines, sizeof(*ed->lines), ed->n_lines + 1, &ed->alloc_lines);
	memmove(&ed->lines[at + 1], &ed->lines[at], (ed->n_lines - at) * sizeof(*ed->lines));
	ed->lines[at] = line;
	ed->n_lines++;
}

int xv_scenario_edit_open(struct xv_scenario_edit *ed, const char *path, struct xv_error *e)
{
	struct xv_buf text = XV_BUF_INIT;
	int rc = -1;

	memset(ed, 0, sizeof(*ed));
	xv_snapshot_init(&ed->snap);
	ed->path = xv_strdup(path);
	if (xv_file_read(path, SCENARIO_MAX_BYTES, 1, &text, e) ||
	    xv_scenario_parse(path, text.data, text.len, &ed->snap, NULL, e))
		goto out;
	for (const char *p = text.data, *end = text.data + text.len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		add_line(ed, ed->n_lines, xv_strndup(p, n));
		p = eol ? eol + 1 : end;
	}
	rc = 0;
out:
	xv_buf_release(&text);
	return rc;
}

const char *xv_scenario_edit_get(const struct xv_scenario_edit *ed, const char *section,
				 const char *key, size_t nth, char *buf, size_t size)
{
	long head = find_section(ed, section);

	if (head < 0)
		return NULL;
	for (size_t i = (size_t)head + 1, end = section_end(ed, (size_t)head); i < end; i++) {
		const char *v = key_value(ed->lines[i], key);
		size_t n;
		if (!v || nth--)
			continue;
		/* the parser's rules: an inline comment after a blank, optional quotes */
		for (n = 0; v[n]; n++)
			if (v[n] == ';' && n && blank(v[n - 1]))
				break;
		while (n && blank(v[n - 1]))
			n--;
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v++;
			n -= 2;
		}
		if (n >= size)
			n = size - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

int xv_scenario_edit_set(struct xv_scenario_edit *ed, const char *section, const char *key,
			 const char *value)
{
	long head = find_section(ed, section);
	size_t end;

	if (head < 0)
		return -1;
	end = section_end(ed, (size_t)head);
	for (size_t i = (size_t)head + 1; i < end; i++) {
		if (key_value(ed->lines[i], key)) {
			free(ed->lines[i]);
			ed->lines[i] = xv_asprintf("%s = %s", key, value);
			return 0;
		}
	}
	add_line(ed, (size_t)head + 1, xv_asprintf("%s = %s", key, value));
	return 0;
}

int xv_scenario_edit_remove(struct xv_scenario_edit *ed, const char *section)
{
	long head = find_section(ed, section);
	size_t end, keep;

	if (head < 0)
		return -1;
	end = section_end(ed, (size_t)head);
	/* comments right above the next header describe that section */
	keep = end;
	if (end < ed->n_lines)
		while (keep > (size_t)head + 1 &&
		       (ed->lines[keep - 1][0] == '#' || ed->lines[keep - 1][0] == ';'))
			keep--;
	for (size_t i = (size_t)head; i < keep; i++)
		free(ed->lines[i]);
	memmove(&ed->lines[head], &ed->lines[keep], (ed->n_lines - keep) * sizeof(*ed->lines));
	ed->n_lines -= keep - (size_t)head;
	return 0;
}

void xv_scenario_edit_append(struct xv_scenario_edit *ed, const char *text)
{
	while (*text) {
		const char *eol = strchr(text, '\n');
		size_t n = eol ? (size_t)(eol - text) : strlen(text);
		add_line(ed, ed->n_lines, xv_strndup(text, n));
		text += n + (eol ? 1 : 0);
	}
}

int xv_scenario_edit_commit(struct xv_scenario_edit *ed, struct xv_error *e)
{
	struct xv_buf text = XV_BUF_INIT;
	struct xv_snapshot check;
	struct xv_atomic_file af;
	struct stat st;
	int rc = -1;

	for (size_t i = 0; i < ed->n_lines; i++) {
		xv_buf_adds(&text, ed->lines[i]);
		xv_buf_addch(&text, '\n');
	}
	if (xv_scenario_parse(ed->path, text.data, text.len, &check, NULL, e)) {
		xv_error_prefix(e, "the edited scenario would be refused");
		e->code = XV_E_SOFTWARE;
		goto out;
	}
	xv_snapshot_release(&check);
	if (stat(ed->path, &st) < 0) {
		xv_error(e, XV_E_IO, "cannot rewrite '%s': %s", ed->path, strerror(errno));
		goto out;
	}
	if (xv_atomic_file_open(&af, ed->path, st.st_mode & 07777, e))
		goto out;
	fwrite(text.data, 1, text.len, af.fp);
	if (xv_atomic_file_commit(&af, e))
		goto out;
	rc = 0;
out:
	xv_buf_release(&text);
	return rc;
}

void xv_scenario_edit_release(struct xv_scenario_edit *ed)
{
	for (size_t i = 0; i < ed->n_lines; i++)
		free(ed->lines[i]);
	free(ed->lines);
	free(ed->path);
	xv_snapshot_release(&ed->snap);
	memset(ed, 0, sizeof(*ed));
	xv_snapshot_init(&ed->snap);
}

void xv_scenario_format_kib(uint64_t kib, char *buf, size_t size)
{
	if (kib && kib % (1024 * 1024) == 0)
		snprintf(buf, size, "%lluG", (unsigned long long)(kib / (1024 * 1024)));
	else if (kib && kib % 1024 == 0)
		snprintf(buf, size, "%lluM", (unsigned long long)(kib / 1024));
	else
		snprintf(buf, size, "%lluK", (unsigned long long)kib);
}
