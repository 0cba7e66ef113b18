/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xl_config.c: a strict reader of xl domain configuration files. */
#include "xl_config.h"
#include "buf.h"
#include "file.h"
#include "num.h"
#include "scenario.h"
#include "util.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define XL_CONFIG_MAX_BYTES (1024 * 1024)
#define MAX_LIST 256

struct lexer {
	const char *file, *p, *end;
	unsigned line;
	struct xv_error *e;
};

/* One value: a number or string (`text`), or a list of them. */
struct value {
	bool is_list, is_string;
	char *text;
	char *items[MAX_LIST];
	size_t n_items;
	unsigned line;
};

static void value_release(struct value *v)
{
	free(v->text);
	for (size_t i = 0; i < v->n_items; i++)
		free(v->items[i]);
	memset(v, 0, sizeof(*v));
}

static int bad(struct lexer *l, const char *why)
{
	return xv_error_at(l->e, XV_E_DATA, l->file, l->line, "%s", why);
}

/* Skips blanks and comments; with `newlines`, line ends too. */
static void skip(struct lexer *l, bool newlines)
{
	while (l->p < l->end) {
		if (*l->p == '#') {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
		} else if (*l->p == ' ' || *l->p == '\t' || *l->p == '\r') {
			l->p++;
		} else if (newlines && *l->p == '\n') {
			l->line++;
			l->p++;
		} else {
			break;
		}
	}
}

/* A number or a quoted string into *out. */
static int scalar(struct lexer *l, char **out, bool *is_string)
{
	const char *start;

	if (l->p < l->end && (*l->p == '"' || *l->p == '\'')) {
		char quote = *l->p++;
		start = l->p;
		while (l->p < l->end && *l->p != quote) {
			if (*l->p == '\n')
				return bad(l, "a string does not end on its line");
			if (*l->p == '\\')
				return bad(l, "escapes in strings are not supported");
			l->p++;
		}
		if (l->p >= l->end)
			return bad(l, "a string's closing quote is missing");
		*out = xv_strndup(start, (size_t)(l->p - start));
		l->p++;
		*is_string = true;
		return 0;
	}
	start = l->p;
	while (l->p < l->end && (isalnum((unsigned char)*l->p) || *l->p == '.' || *l->p == '-'))
		l->p++;
	if (l->p == start)
		return bad(l, "expected a number, a quoted string or a [list]");
	*out = xv_strndup(start, (size_t)(l->p - start));
	*is_string = false;
	return 0;
}

static int value(struct lexer *l, struct value *v)
{
	bool str;

	v->line = l->line;
	if (l->p < l->end && *l->p == '[') {
		v->is_list = true;
		l->p++;
		for (;;) {
			skip(l, true);
			if (l->p < l->end && *l->p == ']') {
				l->p++;
				return 0;
			}
			if (v->n_items == MAX_LIST)
				return bad(l, "a list of more than 256 items");
			if (scalar(l, &v->items[v->n_items], &str))
				return -1;
			v->n_items++;
			skip(l, true);
			if (l->p < l->end && *l->p == ',')
				l->p++;
			else if (l->p >= l->end || *l->p != ']')
				return bad(l, "expected ',' or ']' in a list");
		}
	}
	return scalar(l, &v->text, &v->is_string);
}

static int mib(struct lexer *l, const struct value *v, const char *key, uint64_t *kib)
{
	uint64_t n;

	if (v->is_list || v->is_string || xv_parse_u64(v->text, 1, XV_KIB_MAX / 1024, &n))
		return xv_error_at(l->e, XV_E_DATA, l->file, v->line,
				   "%s: expected a whole number of MiB", key);
	*kib = n * 1024;
	return 0;
}

/* The mac= of one vif specification "mac=..,bridge=..", or NULL. */
static int vif_mac(struct lexer *l, const char *spec, unsigned line, char **mac)
{
	char *copy = xv_strdup(spec), *save = NULL;
	int rc = 0;

	*mac = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (strncmp(tok, "mac=", 4))
			continue;
		if (!xv_mac_is_valid(tok + 4)) {
			rc = xv_error_at(l->e, XV_E_DATA, l->file, line,
					 "vif: '%s' is not a MAC address like 00:16:3e:12:34:56", tok + 4);
			break;
		}
		free(*mac);
		*mac = xv_strdup(tok + 4);
	}
	free(copy);
	return rc;
}

static int setting(struct lexer *l, struct xv_xl_config *cfg, const char *key, struct value *v,
		   bool *seen_maxmem)
{
	uint64_t n;

	if (!strcmp(key, "name")) {
		if (v->is_list || !v->is_string || !*v->text)
			return xv_error_at(l->e, XV_E_DATA, l->file, v->line,
					   "name: expected a quoted, non-empty string");
		if (cfg->name)
			return xv_error_at(l->e, XV_E_DATA, l->file, v->line, "name is set twice");
		cfg->name = xv_strdup(v->text);
	} else if (!strcmp(key, "memory")) {
		return mib(l, v, key, &cfg->memory_kib);
	} else if (!strcmp(key, "maxmem")) {
		*seen_maxmem = true;
		return mib(l, v, key, &cfg->maxmem_kib);
	} else if (!strcmp(key, "vcpus")) {
		if (v->is_list || v->is_string || xv_parse_u64(v->text, 1, 4096, &n))
			return xv_error_at(l->e, XV_E_DATA, l->file, v->line,
					   "vcpus: expected a number from 1 to 4096");
		cfg->vcpus = (unsigned)n;
	} else if (!strcmp(key, "vif")) {
		if (!v->is_list)
			return xv_error_at(l->e, XV_E_DATA, l->file, v->line,
					   "vif: expected a list like ['bridge=xenbr0']");
		if (v->n_items > XV_XL_MAX_VIFS)
			return xv_error_at(l->e, XV_E_DATA, l->file, v->line,
					   "vif: more than %d interfaces", XV_XL_MAX_VIFS);
		for (size_t i = 0; i < cfg->n_vifs; i++)
			free(cfg->vif_mac[i]);
		cfg->n_vifs = 0;
		for (size_t i = 0; i < v->n_items; i++) {
			if (vif_mac(l, v->items[i], v->line, &cfg->vif_mac[i]))
				return -1;
			cfg->n_vifs++;
		}
	}
	return 0;
}

int xv_xl_config_parse(const char *name, const char *text, size_t len, struct xv_xl_config *cfg,
		       struct xv_error *e)
{
	struct lexer l = { name, text, text + len, 1, e };
	bool seen_maxmem = false;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->memory_kib = 128 * 1024;
	cfg->vcpus = 1;
	if (memchr(text, '\0', len))
		return xv_error_at(e, XV_E_DATA, name, 0, "NUL byte in file (is it an xl config?)");
	for (;;) {
		struct value v = { 0 };
		const char *start;
		char *key;

		skip(&l, true);
		if (l.p >= l.end)
			break;
		start = l.p;
		while (l.p < l.end && (isalnum((unsigned char)*l.p) || *l.p == '_'))
			l.p++;
		if (l.p == start || !isalpha((unsigned char)*start)) {
			bad(&l, "expected a setting like name = \"vm1\"");
			goto out;
		}
		key = xv_strndup(start, (size_t)(l.p - start));
		skip(&l, false);
		if (l.p >= l.end || *l.p != '=') {
			xv_error_at(e, XV_E_DATA, name, l.line, "%s: expected '='", key);
			free(key);
			goto out;
		}
		l.p++;
		skip(&l, false);
		int bad_value = value(&l, &v) || setting(&l, cfg, key, &v, &seen_maxmem);
		cfg->keys = xv_realloc(cfg->keys, (cfg->n_keys + 1) * sizeof(*cfg->keys));
		cfg->keys[cfg->n_keys].key = key;
		cfg->keys[cfg->n_keys++].line = v.line;
		value_release(&v);
		if (bad_value)
			goto out;
		skip(&l, false);
		if (l.p < l.end && *l.p == ';') {
			l.p++; /* another setting may follow on the line */
			continue;
		}
		if (l.p < l.end && *l.p != '\n') {
			bad(&l, "unexpected text after a setting");
			goto out;
		}
	}
	if (!cfg->name) {
		xv_error_at(e, XV_E_DATA, name, 0, "no name = \"...\" setting");
		goto out;
	}
	if (!seen_maxmem)
		cfg->maxmem_kib = cfg->memory_kib;
	if (cfg->maxmem_kib < cfg->memory_kib) {
		xv_error_at(e, XV_E_DATA, name, 0, "maxmem is below memory");
		goto out;
	}
	rc = 0;
out:
	if (rc)
		xv_xl_config_release(cfg);
	return rc;
}

int xv_xl_config_load(const char *path, struct xv_xl_config *cfg, struct xv_error *e)
{
	struct xv_buf text = XV_BUF_INIT;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	rc = xv_file_read(path, XL_CONFIG_MAX_BYTES, 1, &text, e) ||
	     xv_xl_config_parse(path, text.data, text.len, cfg, e);
	xv_buf_release(&text);
	return rc ? -1 : 0;
}

void xv_xl_config_release(struct xv_xl_config *cfg)
{
	free(cfg->name);
	for (size_t i = 0; i < cfg->n_vifs; i++)
		free(cfg->vif_mac[i]);
	for (size_t i = 0; i < cfg->n_keys; i++)
		free(cfg->keys[i].key);
	free(cfg->keys);
	memset(cfg, 0, sizeof(*cfg));
}
