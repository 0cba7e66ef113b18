/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_index.c: the UUID -> vmIndex map and its state file.
 *
 * The file is text, one entry a line, so an operator can read it:
 *
 *   # xvmon-agentx vmIndex map (INDEX LAST-SEEN KEY)
 *   1 1764590000 00000000-0000-0000-0000-000000000000
 *   2 1764590000 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01
 */
#include "vm_index.h"
#include "atomic_file.h"
#include "buf.h"
#include "file.h"
#include "num.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX_BYTES (128u << 20)
#define HEADER "# xvmon-agentx vmIndex map (INDEX LAST-SEEN KEY)"

struct entry {
	char key[XVA_VM_INDEX_KEY_MAX + 1];
	int32_t index;
	time_t seen;
};

struct xva_vm_index {
	char *path;
	uint64_t retention_s;
	struct entry *e;      /* sorted by key */
	size_t n, alloc;
	uint64_t *used;       /* bit i: index i is taken */
	size_t used_words;
	int32_t lowest_free;  /* no free index below this one */
	bool dirty;
};

struct xva_vm_index *xva_vm_index_new(const char *path, uint64_t retention_s)
{
	struct xva_vm_index *m = xv_calloc(1, sizeof(*m));

	m->path = path ? xv_strdup(path) : NULL;
	m->retention_s = retention_s;
	m->lowest_free = 1;
	return m;
}

void xva_vm_index_free(struct xva_vm_index *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->e);
	free(m->used);
	free(m);
}

size_t xva_vm_index_count(const struct xva_vm_index *m)
{
	return m->n;
}

static bool is_used(const struct xva_vm_index *m, int32_t i)
{
	size_t w = (size_t)i / 64;
	return w < m->used_words && (m->used[w] >> (i % 64) & 1);
}

static void set_used(struct xva_vm_index *m, int32_t i, bool on)
{
	size_t w = (size_t)i / 64;

	if (w >= m->used_words) {
		size_t words = m->used_words ? m->used_words : 16;
		while (words <= w)
			words *= 2;
		m->used = xv_realloc(m->used, words * sizeof(*m->used));
		memset(m->used + m->used_words, 0, (words - m->used_words) * sizeof(*m->used));
		m->used_words = words;
	}
	if (on)
		m->used[w] |= 1ULL << (i % 64);
	else
		m->used[w] &= ~(1ULL << (i % 64));
}

/* The position of `key`, or where it would go (then *found is false). */
static size_t find(const struct xva_vm_index *m, const char *key, bool *found)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->e[mid].key, key);
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct entry *insert_at(struct xva_vm_index *m, size_t pos)
{
	m->e = xv_grow(m->e, sizeof(*m->e), m->n + 1, &m->alloc);
	memmove(&m->e[pos + 1], &m->e[pos], (m->n - pos) * sizeof(*m->e));
	m->n++;
	return &m->e[pos];
}

static int32_t take_lowest_free(struct xva_vm_index *m)
{
	int32_t i = m->lowest_free;

	while (i > 0 && i <= XVA_VM_INDEX_MAX && is_used(m, i))
		i++;
	if (i <= 0 || i > XVA_VM_INDEX_MAX)
		return 0;
	set_used(m, i, true);
	m->lowest_free = i + 1;
	return i;
}

int32_t xva_vm_index_get(struct xva_vm_index *m, const char *key, time_t now)
{
	bool found;
	size_t pos = find(m, key, &found);
	struct entry *e;
	int32_t i;

	if (found) {
		m->e[pos].seen = now;
		return m->e[pos].index;
	}
	if (strlen(key) > XVA_VM_INDEX_KEY_MAX || m->n >= XVA_VM_INDEX_MAX_ENTRIES)
		return 0;
	i = take_lowest_free(m);
	if (!i)
		return 0;
	e = insert_at(m, pos);
	xv_strlcpy(e->key, key, sizeof(e->key));
	e->index = i;
	e->seen = now;
	m->dirty = true;
	return i;
}

size_t xva_vm_index_expire(struct xva_vm_index *m, time_t now)
{
	size_t kept = 0, gone;

	for (size_t k = 0; k < m->n; k++) {
		struct entry *e = &m->e[k];
		if (now > e->seen && (uint64_t)(now - e->seen) > m->retention_s) {
			set_used(m, e->index, false);
			if (e->index < m->lowest_free)
				m->lowest_free = e->index;
			continue;
		}
		m->e[kept++] = *e;
	}
	gone = m->n - kept;
	m->n = kept;
	if (gone)
		m->dirty = true;
	return gone;
}

static int parse_line(struct xva_vm_index *m, const char *line, struct xv_error *e,
		      unsigned lineno)
{
	char idx[16], seen[24], key[XVA_VM_INDEX_KEY_MAX + 2];
	uint64_t i, t;
	bool found;
	size_t pos;

	/* three fields, single spaces, no more */
	if (sscanf(line, "%15[0-9] %23[0-9] %65[!-~]", idx, seen, key) != 3 ||
	    strlen(idx) + strlen(seen) + strlen(key) + 2 != strlen(line))
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "expected INDEX LAST-SEEN KEY");
	if (strlen(key) > XVA_VM_INDEX_KEY_MAX)
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "key longer than %d bytes",
				   XVA_VM_INDEX_KEY_MAX);
	if (xv_parse_u64(idx, 1, XVA_VM_INDEX_MAX, &i) || xv_parse_u64(seen, 0, INT64_MAX, &t))
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "index or time out of range");
	if (is_used(m, (int32_t)i))
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "index %s given twice", idx);
	pos = find(m, key, &found);
	if (found)
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "key '%s' given twice", key);
	if (m->n >= XVA_VM_INDEX_MAX_ENTRIES)
		return xv_error_at(e, XV_E_DATA, m->path, lineno, "more than %d entries",
				   XVA_VM_INDEX_MAX_ENTRIES);
	struct entry *en = insert_at(m, pos);
	xv_strlcpy(en->key, key, sizeof(en->key));
	en->index = (int32_t)i;
	en->seen = (time_t)t;
	set_used(m, en->index, true);
	return 0;
}

static void clear(struct xva_vm_index *m)
{
	m->n = 0;
	if (m->used)
		memset(m->used, 0, m->used_words * sizeof(*m->used));
	m->lowest_free = 1;
}

int xva_vm_index_load(struct xva_vm_index *m, struct xv_error *e)
{
	struct xv_buf b = XV_BUF_INIT;
	char *line, *save = NULL;
	unsigned lineno = 0;
	int rc = 0;

	clear(m);
	if (!m->path)
		return 0;
	if (xv_file_read(m->path, FILE_MAX_BYTES, 1, &b, e)) {
		if (e->code == XV_E_NOINPUT && access(m->path, F_OK) && errno == ENOENT)
			rc = 0; /* the first start */
		else
			rc = -1;
		goto out;
	}
	for (line = b.data; *line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (parse_line(m, line, e, lineno)) {
			rc = -1;
			clear(m);
			goto out;
		}
	}
out:
	xv_buf_release(&b);
	m->dirty = false;
	return rc;
}

static int by_index(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (x->index > y->index) - (x->index < y->index);
}

int xva_vm_index_save(struct xva_vm_index *m, struct xv_error *e)
{
	struct xv_atomic_file af;
	struct entry *byindex;

	if (!m->path || !m->dirty)
		return 0;
	if (xv_atomic_file_open(&af, m->path, 0644, e))
		return -1;
	/* in index order, the way a reader looks for a number */
	byindex = xv_calloc(m->n ? m->n : 1, sizeof(*byindex));
	memcpy(byindex, m->e, m->n * sizeof(*byindex));
	xv_sort(byindex, m->n, sizeof(*byindex), by_index);
	fprintf(af.fp, "%s\n", HEADER);
	for (size_t k = 0; k < m->n; k++)
		fprintf(af.fp, "%d %lld %s\n", byindex[k].index, (long long)byindex[k].seen,
			byindex[k].key);
	free(byindex);
	if (xv_atomic_file_commit(&af, e))
		return -1;
	m->dirty = false;
	return 0;
}
