/* vm_repository.c: expected VMs from vm.cfg / xl config files. */
#include "vm_repository.h"
#include "buf.h"
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
 * string, then nothing but blanks or a comment. */
static int parse_value(const char *p, const char *end, char **name, char *why, size_t whylen)
{
	char quote;
	const char *start;

	p = skip_blanks(p, end);
	if (p >= end || (*p != '"' && *p != '\''))
		return snprintf(why, whylen, "the name is not a quoted string"), -1;
	quote = *p++;
	start = p;
	while (p < end && *p != quote) {
		if (*p == '\\')
			return snprintf(why, whylen, "escapes in the name are not supported"), -1;
		p++;
	}
	if (p >= end)
		return snprintf(why, whylen, "the name's closing quote is missing"), -1;
	if (p == start)
		return snprintf(why, whylen, "the name is empty"), -1;
	*name = xv_strndup(start, (size_t)(p - start));
	p = skip_blanks(p + 1, end);
	if (p < end && *p != '#' && *p != '\r') {
		free(*name);
		*name = NULL;
		return snprintf(why, whylen, "unexpected text after the name"), -1;
	}
	return 0;
}

int xv_repo_parse_config(const char *text, size_t len, char **name, unsigned *line,
			 char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned n = 0, found_line = 0;
	char *found = NULL;

	if (memchr(text, '\0', len))
		return snprintf(err, errlen, "NUL byte in file (is it a config file?)"), -1;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		if (!eol)
			eol = end;
		n++;
		q = skip_blanks(p, eol);
		if ((size_t)(eol - q) > 4 && !strncmp(q, "name", 4)) {
			const char *r = skip_blanks(q + 4, eol);
			if (r < eol && *r == '=') {
				char why[128];
				char *value = NULL;
				if (found) {
					free(found);
					return snprintf(err, errlen, "line %u: name is set twice (first on "
							"line %u)", n, found_line), -1;
				}
				if (parse_value(r + 1, eol, &value, why, sizeof(why))) {
					return snprintf(err, errlen, "line %u: %s", n, why), -1;
				}
				found = value;
				found_line = n;
			}
		}
		p = eol + 1;
	}
	if (!found)
		return snprintf(err, errlen, "no name = \"...\" line"), -1;
	*name = found;
	*line = found_line;
	return 0;
}

static int read_file(const char *path, struct xv_buf *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;

	if (!f)
		return snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno)), -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		xv_buf_add(out, chunk, n);
		if (out->len > MAX_CONFIG_BYTES) {
			fclose(f);
			return snprintf(err, errlen, "'%s' is over %d bytes: not a VM config", path,
					MAX_CONFIG_BYTES), -1;
		}
	}
	if (ferror(f)) {
		fclose(f);
		return snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno)), -1;
	}
	fclose(f);
	return 0;
}

static int scan_file(const char *path, xv_repo_vm_fn on_vm, void *user, char *err, size_t errlen)
{
	struct xv_buf text = XV_BUF_INIT;
	char why[256];
	char *name = NULL;
	unsigned line = 0;
	int rc = -1;

	if (read_file(path, &text, err, errlen))
		goto out;
	if (xv_repo_parse_config(text.data, text.len, &name, &line, why, sizeof(why))) {
		/* "line N: ..." reads better as FILE:N: ... */
		unsigned at;
		int used;
		if (sscanf(why, "line %u: %n", &at, &used) == 1)
			snprintf(err, errlen, "%s:%u: %s", path, at, why + used);
		else
			snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	rc = on_vm(user, name, path, line, err, errlen);
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

int xv_repo_scan(const char *dir, xv_repo_vm_fn on_vm, void *user, char *err, size_t errlen)
{
	struct dirent **entries = NULL;
	int n = scandir(dir, &entries, NULL, by_name);
	int rc = 0;

	if (n < 0)
		return snprintf(err, errlen, "cannot scan VM repository '%s': %s", dir,
				strerror(errno)), -1;
	for (int i = 0; i < n; i++) {
		const char *e = entries[i]->d_name;
		char *path = NULL;
		struct stat st;

		if (rc || e[0] == '.')
			goto next;
		path = xv_asprintf("%s/%s", dir, e);
		if (stat(path, &st) < 0)
			goto next; /* vanished, or a dangling link: nothing to read */
		if (S_ISDIR(st.st_mode)) {
			char *cfg = xv_asprintf("%s/vm.cfg", path);
			if (access(cfg, F_OK) == 0)
				rc = scan_file(cfg, on_vm, user, err, errlen);
			free(cfg);
		} else if (S_ISREG(st.st_mode) && ends_with(e, ".cfg")) {
			rc = scan_file(path, on_vm, user, err, errlen);
		}
next:
		free(path);
		free(entries[i]);
	}
	free(entries);
	return rc;
}
