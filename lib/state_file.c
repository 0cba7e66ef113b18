/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state_file.c: a check's memory between runs. */
#include "state_file.h"
#include "atomic_file.h"
#include "buf.h"
#include "file.h"
#include "num.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "xvmon-state 2"

void xv_state_file_init(struct xv_state_file *s)
{
	memset(s, 0, sizeof(*s));
}

void xv_state_file_release(struct xv_state_file *s)
{
	free(s->vms);
	xv_state_file_init(s);
}

char *xv_state_file_dir(const char *dir)
{
	const char *env;

	if (dir)
		return xv_strdup(dir);
	if ((env = getenv("XVMON_STATE_DIR")) && *env)
		return xv_strdup(env);
	if ((env = getenv("XDG_STATE_HOME")) && *env)
		return xv_asprintf("%s/xvmon", env);
	return xv_strdup(XV_STATE_DIR_DEFAULT);
}

char *xv_state_file_path(const char *dir, const char *plugin, const void *key, size_t key_len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	const unsigned char *p = key;

	for (size_t i = 0; i < key_len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return xv_asprintf("%s/%s-%016llx.state", dir, plugin, (unsigned long long)h);
}

struct xv_state_vm *xv_state_file_add(struct xv_state_file *s, const struct xv_domain *d,
				      uint64_t time_ms)
{
	struct xv_state_vm *v;

	s->vms = xv_grow(s->vms, sizeof(*s->vms), s->n_vms + 1, &s->alloc_vms);
	v = &s->vms[s->n_vms++];
	memset(v, 0, sizeof(*v));
	memcpy(v->uuid, d->uuid, sizeof(v->uuid));
	v->domid = d->id;
	v->time_ms = time_ms;
	for (int c = 0; c < XV_CTR_COUNT; c++)
		v->counter[c] = xv_domain_counter(d, (enum xv_counter)c);
	return v;
}

static int by_uuid(const void *a, const void *b)
{
	return strcmp(((const struct xv_state_vm *)a)->uuid, ((const struct xv_state_vm *)b)->uuid);
}

void xv_state_file_sort(struct xv_state_file *s)
{
	xv_sort(s->vms, s->n_vms, sizeof(*s->vms), by_uuid);
}

const struct xv_state_vm *xv_state_file_find(const struct xv_state_file *s, const char *uuid)
{
	/* a binary search comparing the keys first: a check of 1000 VMs
	 * looks up 1000, ten steps each, and strcmp() was most of it */
	size_t lo = 0, hi = s->n_vms;
	uint64_t key;

	if (strnlen(uuid, sizeof(s->vms->uuid)) != sizeof(s->vms->uuid) - 1)
		return NULL; /* every UUID kept has 36 characters */
	key = xv_uuid_key(uuid);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k = xv_uuid_key(s->vms[mid].uuid);
		int c = k < key ? -1 : k > key ? 1 : strcmp(s->vms[mid].uuid, uuid);
		if (!c)
			return &s->vms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- reading ------------------------------------------------------------- */

struct reader {
	const char *path;
	unsigned line;
	struct xv_error *e;
};

static int bad(struct reader *r, const char *what)
{
	return xv_error_at(r->e, XV_E_DATA, r->path, r->line, "%s (not a state file xvmon wrote; "
			   "it is started again)", what);
}

/* The next space-separated token of *p (NUL-terminated in place), or NULL
 * at the end; *p moves past it.  Not strtok_r(): its strspn/strcspn setup
 * costs more than the scan, 19 times a line. */
static char *token(char **p)
{
	char *start = *p, *end;

	if (!*start)
		return NULL;
	end = strchrnul(start, ' ');
	if (*end)
		*end++ = '\0';
	*p = end;
	return start;
}

/* The number that starts *p and ends at a space (passed over) or at the
 * end, within [min, max], or "-" (unknown) where `dash_ok`; *p moves past
 * it.  Read in one pass, not split into a token first: a line has 16. */
static bool number(char **p, uint64_t min, uint64_t max, bool dash_ok, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (dash_ok && (*p)[0] == '-' && ((*p)[1] == ' ' || !(*p)[1])) {
		*out = XV_COUNTER_UNKNOWN;
		end = *p + 1;
	} else if (xv_parse_u64_digits(*p, &end, &v) || (*end && *end != ' ') || v < min ||
		   v > max) {
		return false;
	} else {
		*out = v;
	}
	*p = (char *)end + (*end == ' ');
	return true;
}

/* The names of a vm line's values after its time, in order. */
#define GAP_FIELDS "gap_warning_since gap_critical_since"

static bool fields_line(char *rest)
{
	for (int c = 0; c < XV_CTR_COUNT; c++) {
		const char *tok = token(&rest);
		if (!tok || strcmp(tok, xv_counter_name((enum xv_counter)c)))
			return false;
	}
	return !strcmp(rest, GAP_FIELDS);
}

static int parse_vm(struct reader *r, struct xv_state_file *s, char *rest)
{
	char *tok;
	struct xv_state_vm v;
	uint64_t id;

	memset(&v, 0, sizeof(v));
	tok = token(&rest);
	if (!tok || !xv_uuid_normalize(tok, v.uuid))
		return bad(r, "a vm line without a UUID");
	if (!number(&rest, 0, XV_MAX_DOMAINS - 1, false, &id))
		return bad(r, "a vm line without a domain id");
	v.domid = (uint32_t)id;
	if (!number(&rest, 1, UINT64_MAX - 1, false, &v.time_ms))
		return bad(r, "a vm line without its time");
	/* UINT64_MAX is the unknown marker: a real value is below it */
	for (int c = 0; c < XV_CTR_COUNT; c++)
		if (!number(&rest, 0, UINT64_MAX - 1, true, &v.counter[c]))
			return bad(r, "a vm line whose counters are not all there");
	if (!number(&rest, 0, UINT64_MAX - 1, false, &v.gap_warning_since_ms) ||
	    !number(&rest, 0, UINT64_MAX - 1, false, &v.gap_critical_since_ms))
		return bad(r, "a vm line without its balloon gap times");
	if (*rest)
		return bad(r, "a vm line with more fields than xvmon writes");
	if (s->n_vms >= (1u << 22))
		return bad(r, "more VMs than any pool has");
	s->vms = xv_grow(s->vms, sizeof(*s->vms), s->n_vms + 1, &s->alloc_vms);
	s->vms[s->n_vms++] = v;
	return 0;
}

/* A load in progress: where, and what the lines so far had. */
struct load {
	struct reader r;
	struct xv_state_file *s;
	bool have_magic, have_time, have_fields;
};

/* One line, NUL-terminated without its line feed.  Blank lines are passed
 * over (xvmon writes none). */
static int parse_line(struct load *l, char *line)
{
	struct reader *r = &l->r;

	if (!*line)
		return 0;
	if (!l->have_magic) {
		if (strcmp(line, MAGIC))
			return bad(r, "no '" MAGIC "' header");
		l->have_magic = true;
	} else if (!strncmp(line, "time ", 5)) {
		if (l->have_time || xv_parse_u64(line + 5, 1, UINT64_MAX - 1, &l->s->time_ms))
			return bad(r, "a bad time line");
		l->have_time = true;
	} else if (!strncmp(line, "fields ", 7)) {
		/* what the values are, so that a file of another xvmon whose
		 * counters differ is refused rather than misread */
		if (l->have_fields || !fields_line(line + 7))
			return bad(r, "a fields line other than this xvmon's");
		l->have_fields = true;
	} else if (!strncmp(line, "vm ", 3)) {
		if (!l->have_fields)
			return bad(r, "a vm line before the fields line");
		return parse_vm(r, l->s, line + 3);
	} else {
		return bad(r, "a line xvmon does not write");
	}
	return 0;
}

/* The file is read READ_BYTES at a time and its complete lines parsed as
 * they come: the state of 10 000 VMs (a pool) is 1.3 MB, which read whole
 * takes as many pages, on a virtual machine more time than parsing them. */
#define READ_BYTES (64u << 10)

/* xv_file_read_chunks()' reader: the complete lines, and the last one at
 * the end of the file. */
static long take_lines(void *user, char *text, size_t len, bool at_eof)
{
	struct load *l = user;
	char *line = text, *end = text + len, *nl;

	while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
		*nl = '\0';
		l->r.line++;
		if (parse_line(l, line))
			return -1;
		line = nl + 1;
	}
	if (at_eof && line < end) { /* the last line, without its line feed */
		*end = '\0';
		l->r.line++;
		if (parse_line(l, line))
			return -1;
		line = end;
	} else if (line == text && len == READ_BYTES) {
		l->r.line++;
		return bad(&l->r, "a line longer than 64 KiB");
	}
	return line - text;
}

/* After the last line: what the whole file must have. */
static int parse_end(struct load *l)
{
	struct xv_state_file *s = l->s;

	if (!l->have_time || !l->have_fields) {
		l->r.line = 0;
		return bad(&l->r, l->have_time ? "no fields line" : "no time line");
	}
	/* xvmon writes it sorted: checked in one pass, and sorted only when
	 * someone else wrote it otherwise */
	for (size_t i = 1; i < s->n_vms; i++) {
		if (strcmp(s->vms[i - 1].uuid, s->vms[i].uuid) > 0) {
			xv_state_file_sort(s);
			break;
		}
	}
	for (size_t i = 1; i < s->n_vms; i++) {
		if (!strcmp(s->vms[i].uuid, s->vms[i - 1].uuid)) {
			l->r.line = 0;
			return bad(&l->r, "a VM listed twice");
		}
	}
	return 0;
}

int xv_state_file_load(const char *path, struct xv_state_file *s, struct xv_error *e)
{
	struct load l = { .r = { path, 0, e }, .s = s };
	struct stat st;
	size_t size;

	xv_state_file_init(s);
	if (lstat(path, &st) < 0 && errno == ENOENT)
		return 0;
	if (xv_file_read_chunks(path, XV_STATE_FILE_MAX_BYTES, 1, READ_BYTES, &size, take_lines, &l,
				e) ||
	    parse_end(&l)) {
		xv_state_file_release(s);
		return -1;
	}
	return 1;
}

/* --- writing ------------------------------------------------------------- */

#define WRITE_BYTES (32u << 10)

/* mkdir -p, for a state directory under $XDG_STATE_HOME that nobody made. */
static int make_dirs(const char *dir, struct xv_error *e)
{
	char *copy = xv_strdup(dir);
	int rc = 0;

	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char was = *p;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			rc = xv_error(e, XV_E_CANTCREAT, "cannot create the state directory '%s': %s",
				      copy, strerror(errno));
			break;
		}
		*p = was;
		if (!was)
			break;
	}
	free(copy);
	return rc;
}

/* " VALUE", "-" for an unknown counter. */
static void put_number(struct xv_buf *b, bool counter, uint64_t v)
{
	xv_buf_addch(b, ' ');
	if (counter && v == XV_COUNTER_UNKNOWN)
		xv_buf_addch(b, '-');
	else
		xv_buf_add_u64(b, v);
}

/* The VMs of `s` by uuid into order[0..n_vms), copies of one uuid in the
 * order they were added (the first is kept).  By the uuids' keys, then the
 * few of equal keys (copies of one VM, UUIDs alike in their first eight
 * characters) by the whole uuid. */
static void sort_by_uuid(const struct xv_state_file *s, struct xv_key_index *order)
{
	for (size_t i = 0; i < s->n_vms; i++)
		order[i] = (struct xv_key_index){ xv_uuid_key(s->vms[i].uuid), i };
	xv_sort_by_key(order, s->n_vms);
	for (size_t i = 1; i < s->n_vms; i++) {
		/* insertion within a run of equal keys, kept in added order */
		for (size_t k = i; k > 0 && order[k - 1].key == order[k].key; k--) {
			const struct xv_key_index a = order[k - 1], b = order[k];
			int c = strcmp(s->vms[a.index].uuid, s->vms[b.index].uuid);
			if (c < 0 || (c == 0 && a.index < b.index))
				break;
			order[k - 1] = b;
			order[k] = a;
		}
	}
}

/* Writes what b holds to the file and empties it; -1 with e set. */
static int flush(struct xv_buf *b, struct xv_atomic_file *af, struct xv_error *e)
{
	if (fwrite(b->data, 1, b->len, af->fp) != b->len)
		return xv_error(e, XV_E_IO, "cannot write the state file '%s': %s", af->path,
				strerror(errno));
	xv_buf_reset(b);
	return 0;
}

int xv_state_file_save(const char *path, const struct xv_state_file *s, struct xv_error *e)
{
	struct xv_atomic_file af;
	struct xv_buf b = XV_BUF_INIT;
	char *dir = xv_strdup(path), *slash = strrchr(dir, '/');
	struct xv_key_index *sorted = NULL;
	int rc = -1;

	if (slash && slash != dir) {
		*slash = '\0';
		if (make_dirs(dir, e))
			goto out;
	}
	if (xv_atomic_file_open(&af, path, 0644, e))
		goto out;
	/* Renamed into place but not fsync()ed.  The rename alone is what a
	 * reader needs: the next run, even one started while this one writes,
	 * sees the old file or the new, never half of one.  fsync() would only
	 * add durability across a crash of the machine, and the state does not
	 * need it: after a crash the file is the previous one (rates are then
	 * taken over a longer interval, still right since every record carries
	 * its time), or, on a file system that does not order a rename after
	 * the data it replaces, an empty or cut file, which the loader refuses
	 * or (cut at a line) reads with fewer VMs: one run without rates for
	 * them, said in the output, never a wrong figure.  What fsync() costs
	 * instead is paid by every run of every check: two journal commits
	 * (file and directory) that wait for the disk, several milliseconds of
	 * the check's wall time on a dom0 that runs such checks every minute. */
	xv_atomic_file_volatile(&af);
	/* sorted, as a reader wants it, and each uuid once: a VM a pool sees
	 * on two hosts at once (split brain) is kept as one of its copies */
	sorted = xv_malloc((s->n_vms ? s->n_vms : 1) * sizeof(*sorted));
	sort_by_uuid(s, sorted);
	/* Lines are built without printf (a host of 1000 VMs writes 17000
	 * numbers) in one buffer written out each WRITE_BYTES: the same pages
	 * serve the whole file, 130 KB for 1000 VMs. */
	xv_buf_grow(&b, WRITE_BYTES + 512);
	xv_buf_adds(&b, MAGIC "\ntime ");
	xv_buf_add_u64(&b, s->time_ms);
	xv_buf_adds(&b, "\nfields");
	for (int c = 0; c < XV_CTR_COUNT; c++) {
		xv_buf_addch(&b, ' ');
		xv_buf_adds(&b, xv_counter_name((enum xv_counter)c));
	}
	xv_buf_adds(&b, " " GAP_FIELDS "\n");
	for (size_t i = 0; i < s->n_vms; i++) {
		const struct xv_state_vm *v = &s->vms[sorted[i].index];
		if (i && !strcmp(v->uuid, s->vms[sorted[i - 1].index].uuid))
			continue;
		xv_buf_adds(&b, "vm ");
		xv_buf_adds(&b, v->uuid);
		xv_buf_addch(&b, ' ');
		xv_buf_add_u64(&b, v->domid);
		xv_buf_addch(&b, ' ');
		xv_buf_add_u64(&b, v->time_ms);
		for (int c = 0; c < XV_CTR_COUNT; c++)
			put_number(&b, true, v->counter[c]);
		put_number(&b, false, v->gap_warning_since_ms);
		put_number(&b, false, v->gap_critical_since_ms);
		xv_buf_addch(&b, '\n');
		if (b.len >= WRITE_BYTES && flush(&b, &af, e)) {
			xv_atomic_file_abort(&af);
			goto out;
		}
	}
	if (flush(&b, &af, e)) {
		xv_atomic_file_abort(&af);
		goto out;
	}
	if (xv_atomic_file_commit(&af, e))
		goto out;
	rc = 0;
out:
	xv_buf_release(&b);
	free(sorted);
	free(dir);
	return rc;
}
