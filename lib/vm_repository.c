/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_repository.c: expected VMs from vm.cfg / xl config files. */
#include "vm_repository.h"
#include "buf.h"
#include "file.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Config files are small; anything bigger is not a VM config. */
#define MAX_CONFIG_BYTES (1024 * 1024)

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Parses the value of `name = ...` on one line: a single- or double-quoted
 * string, then nothing but blanks or a comment.  Returns NULL with *why set. */
static char *parse_value(const char *p, const char *end, const char **why)
{
	char quote;
	const char *start;

	p = skip_blanks(p, end);
	if (p >= end || (*p != '"' && *p != '\''))
		return *why = "the name is not a quoted string", NULL;
	quote = *p++;
	start = p;
	while (p < end && *p != quote) {
		if (*p == '\\')
			return *why = "escapes in the name are not supported", NULL;
		p++;
	}
	if (p >= end)
		return *why = "the name's closing quote is missing", NULL;
	if (p == start)
		return *why = "the name is empty", NULL;
	const char *after = skip_blanks(p + 1, end);
	if (after < end && *after != '#' && *after != '\r')
		return *why = "unexpected text after the name", NULL;
	return xv_strndup(start, (size_t)(p - start));
}

int xv_repo_parse_config(const char *file, const char *text, size_t len, char **name,
			 unsigned *line, struct xv_error *e)
{
	const char *p = text, *end = text + len;
	unsigned n = 0, found_line = 0;
	char *found = NULL;

	if (memchr(text, '\0', len))
		return xv_error_at(e, XV_E_DATA, file, 0, "NUL byte in file (is it a config file?)");
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q, *why = NULL;
		char *value;
		if (!eol)
			eol = end;
		n++;
		q = skip_blanks(p, eol);
		p = eol + 1;
		if ((size_t)(eol - q) <= 4 || strncmp(q, "name", 4))
			continue;
		q = skip_blanks(q + 4, eol);
		if (q >= eol || *q != '=')
			continue;
		if (found) {
			free(found);
			return xv_error_at(e, XV_E_DATA, file, n, "name is set twice (first on line %u)",
					   found_line);
		}
		if (!(value = parse_value(q + 1, eol, &why)))
			return xv_error_at(e, XV_E_DATA, file, n, "%s", why);
		found = value;
		found_line = n;
	}
	if (!found)
		return xv_error_at(e, XV_E_DATA, file, 0, "no name = \"...\" line");
	*name = found;
	*line = found_line;
	return 0;
}

static int scan_file(const char *path, xv_repo_vm_fn on_vm, void *user, struct xv_error *e)
{
	struct xv_buf text = XV_BUF_INIT;
	char *name = NULL;
	unsigned line = 0;
	int rc = -1;

	if (xv_file_read(path, MAX_CONFIG_BYTES, 0, &text, e) ||
	    xv_repo_parse_config(path, text.data, text.len, &name, &line, e))
		goto out;
	rc = on_vm(user, name, path, line, e);
out:
	free(name);
	xv_buf_release(&text);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && !strcmp(s + n - m, suffix);
}

/* One entry of the repository: DIR/X/vm.cfg for a directory X, DIR/X.cfg for
 * a file.  Anything else is not a VM and is passed over. */
static int scan_entry(const char *dir, const char *entry, xv_repo_vm_fn on_vm, void *user,
		      struct xv_error *e)
{
	char *path = xv_asprintf("%s/%s", dir, entry), *cfg = NULL;
	struct stat st;
	int rc = 0;

	if (lstat(path, &st) < 0) {
		if (errno != ENOENT) /* gone since scandir(): nothing to read */
			rc = xv_error(e, XV_E_NOINPUT, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode) && stat(path, &st) < 0) {
		/* a link to nothing is a VM whose config vanished, if it looks like one */
		if (ends_with(entry, ".cfg") || errno != ENOENT)
			rc = xv_error(e, XV_E_NOINPUT, "cannot read '%s': %s", path,
				      errno == ENOENT ? "it is a dangling symbolic link"
						      : strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		struct stat cst;
		cfg = xv_asprintf("%s/vm.cfg", path);
		if (lstat(cfg, &cst) == 0)
			rc = scan_file(cfg, on_vm, user, e);
		else if (errno != ENOENT)
			rc = xv_error(e, XV_E_NOINPUT, "cannot read '%s': %s", cfg, strerror(errno));
	} else if (ends_with(entry, ".cfg")) {
		rc = scan_file(path, on_vm, user, e);
	}
out:
	free(cfg);
	free(path);
	return rc;
}

int xv_repo_scan(const char *dir, xv_repo_vm_fn on_vm, void *user, struct xv_error *e)
{
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, by_name);
	int rc = 0;

	if (n < 0)
		return xv_error(e, XV_E_NOINPUT, "cannot scan VM repository '%s': %s", dir,
				strerror(errno));
	for (int i = 0; i < n; i++) {
		if (!rc && entries[i]->d_name[0] != '.')
			rc = scan_entry(dir, entries[i]->d_name, on_vm, user, e);
		free(entries[i]);
	}
	free(entries);
	return rc;
}
