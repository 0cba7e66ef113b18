/* SPDX-License-Identifier: GPL-3.0-or-later */
/* data.c: run data in memory, and its CSV files.
 *
 * samples.csv  one row per host sample; per-profile columns guests_NAME and
 *              alloc_NAME_kib follow the fixed ones, in plan order
 * guests.csv   one row per guest per sample
 * events.csv   creations, failures with the toolstack's text, dom0 balloon
 *              steps, swap onsets, balloon settling
 *
 * run.done     written last: the three files' sizes and checksums
 *
 * Sizes are KiB integers, times seconds (C locale, '.' decimals).  Files
 * are written as they are formatted (a run's data is never held twice in
 * memory) and read back whole through xv_file_read(), bounded. */
#include "data.h"
#include "atomic_file.h"
#include "buf.h"
#include "csv.h"
#include "file.h"
#include "num.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xv_bench_data_init(struct xv_bench_data *d)
{
	memset(d, 0, sizeof(*d));
}

void xv_bench_data_release(struct xv_bench_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nevents; i++)
		free(d->events[i].text);
	for (size_t i = 0; i < d->nguests; i++)
		free(d->guest_names[i]);
	free(d->samples);
	free(d->gsamples);
	free(d->events);
	free(d->guest_names);
	xv_bench_data_init(d);
}

struct xv_bench_sample *xv_bench_data_add_sample(struct xv_bench_data *d)
{
	d->samples = xv_grow(d->samples, sizeof(*d->samples), d->nsamples + 1, &d->samples_alloc);
	memset(&d->samples[d->nsamples], 0, sizeof(*d->samples));
	return &d->samples[d->nsamples++];
}

struct xv_bench_gsample *xv_bench_data_add_gsample(struct xv_bench_data *d)
{
	d->gsamples = xv_grow(d->gsamples, sizeof(*d->gsamples), d->ngsamples + 1, &d->gsamples_alloc);
	memset(&d->gsamples[d->ngsamples], 0, sizeof(*d->gsamples));
	return &d->gsamples[d->ngsamples++];
}

struct xv_bench_rec_event *xv_bench_data_add_event(struct xv_bench_data *d)
{
	d->events = xv_grow(d->events, sizeof(*d->events), d->nevents + 1, &d->events_alloc);
	memset(&d->events[d->nevents], 0, sizeof(*d->events));
	d->events[d->nevents].guest = -1;
	d->events[d->nevents].profile = -1;
	return &d->events[d->nevents++];
}

unsigned xv_bench_data_add_guest(struct xv_bench_data *d, const char *name)
{
	d->guest_names = xv_grow(d->guest_names, sizeof(*d->guest_names), d->nguests + 1,
				 &d->guest_names_alloc);
	d->guest_names[d->nguests] = xv_strdup(name);
	return (unsigned)d->nguests++;
}

/* --- writing ---------------------------------------------------------------- */

/* FNV-1a, 64 bits: enough to tell the files of two runs apart. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* A CSV file being written: rows collect in `rows` and go to the file every
 * 64 KiB, counted and hashed for run.done.  Only whole rows go: a row cut
 * short (memory ran out while it was formatted) is left out. */
struct csv_out {
	struct xv_atomic_file af;
	struct xv_buf rows;
	size_t whole; /* bytes of rows that end a row */
	uint64_t size, hash;
};

static int csv_open(struct csv_out *o, const char *dir, const char *name, struct xv_error *e)
{
	char *path = xv_asprintf("%s/%s", dir, name);
	int rc = xv_atomic_file_open(&o->af, path, 0644, e);

	free(path);
	xv_buf_init(&o->rows);
	o->whole = 0;
	o->size = 0;
	o->hash = FNV_OFFSET;
	return rc;
}

static void csv_flush(struct csv_out *o, size_t at_least)
{
	if (o->whole < at_least)
		return;
	o->hash = fnv1a(o->hash, o->rows.data, o->whole);
	o->size += o->whole;
	/* a failed write leaves the stream in error: the caller reports it */
	(void)!fwrite(o->rows.data, 1, o->whole, o->af.fp);
	xv_buf_reset(&o->rows);
	o->whole = 0;
}

static void csv_row_end(struct csv_out *o)
{
	xv_buf_addch(&o->rows, '\n');
	o->whole = o->rows.len;
	csv_flush(o, 1u << 16);
}

static int csv_close(struct csv_out *o, struct xv_error *e)
{
	int rc;

	csv_flush(o, 0);
	rc = xv_atomic_file_commit(&o->af, e);
	xv_buf_release(&o->rows);
	return rc;
}

static void csv_abort(struct csv_out *o)
{
	xv_atomic_file_abort(&o->af);
	xv_buf_release(&o->rows);
}

/* Text from outside (a driver's message) as one CSV field: valid UTF-8, and
 * on one line, since the reader reads records line by line. */
/* Names the runner makes ("stress-007") need neither cleaning nor quoting. */
static bool plain_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static void add_text(struct xv_buf *b, const char *s)
{
	struct xv_buf clean = XV_BUF_INIT;

	if (!s)
		return;
	if (plain_name(s)) {
		xv_buf_adds(b, s);
		return;
	}
	xv_text_clean(&clean, s, XV_TEXT_DOCUMENT);
	for (char *p = clean.data; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	xv_csv_add_field(b, clean.data);
	xv_buf_release(&clean);
}

/* Decimal digits of v, without printf: a run writes millions of them. */
static void add_digits(struct xv_buf *b, uint64_t v)
{
	char num[24];
	size_t i = sizeof(num);

	do
		num[--i] = (char)('0' + v % 10);
	while (v /= 10);
	xv_buf_add(b, num + i, sizeof(num) - i);
}

/* Seconds with up to three decimals and no trailing zeros ("12.5", "300"),
 * as xv_format_double() prints ms / 1000. */
static void add_time(struct xv_buf *b, uint64_t ms)
{
	unsigned frac = (unsigned)(ms % 1000);
	char dec[5] = { '.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
			(char)('0' + frac % 10), 0 };
	size_t n = 4;

	add_digits(b, ms / 1000);
	if (!frac)
		return;
	while (dec[n - 1] == '0')
		n--;
	xv_buf_add(b, dec, n);
}

static void add_u64(struct xv_buf *b, uint64_t v)
{
	xv_buf_addch(b, ',');
	add_digits(b, v);
}

static const char *const sample_columns[] = {
	"time_s", "step", "guests", "added", "booting", "swapping", "failures",
	"host_total_kib", "host_free_kib", "host_used_kib", "xen_kib", "dom0_kib",
	"guest_alloc_kib", "guest_memory_kib", "swap_kib",
};
#define NFIXED XV_ARRAY_SIZE(sample_columns)

static void samples_header(unsigned nprofiles, const char (*names)[XV_BENCH_NAME_MAX],
			   struct csv_out *o)
{
	struct xv_buf *b = &o->rows;

	for (size_t i = 0; i < NFIXED; i++)
		xv_buf_addf(b, "%s%s", i ? "," : "", sample_columns[i]);
	for (unsigned p = 0; p < nprofiles; p++)
		xv_buf_addf(b, ",guests_%s", names[p]);
	for (unsigned p = 0; p < nprofiles; p++)
		xv_buf_addf(b, ",alloc_%s_kib", names[p]);
	csv_row_end(o);
}

static void sample_row(unsigned nprofiles, const struct xv_bench_sample *s, struct csv_out *o)
{
	struct xv_buf *b = &o->rows;

	add_time(b, s->time_ms);
	add_u64(b, s->step);
	add_u64(b, s->guests);
	add_u64(b, s->added);
	add_u64(b, s->booting);
	add_u64(b, s->swapping);
	add_u64(b, s->failures);
	add_u64(b, s->total_kib);
	add_u64(b, s->free_kib);
	add_u64(b, s->total_kib - s->free_kib);
	add_u64(b, s->xen_kib);
	add_u64(b, s->dom0_kib);
	add_u64(b, s->guests_kib);
	add_u64(b, s->memory_kib);
	add_u64(b, s->swap_kib);
	for (unsigned p = 0; p < nprofiles; p++)
		add_u64(b, s->count[p]);
	for (unsigned p = 0; p < nprofiles; p++)
		add_u64(b, s->alloc_kib[p]);
	csv_row_end(o);
}

static void guests_header(struct csv_out *o)
{
	xv_buf_adds(&o->rows, "time_s,guest,profile,booting,memory_kib,alloc_kib,target_kib,"
			      "committed_kib,ws_kib,swap_kib");
	csv_row_end(o);
}

static void guest_row(const char *name, const char *profile, const struct xv_bench_gsample *g,
		      struct csv_out *o)
{
	struct xv_buf *b = &o->rows;

	add_time(b, g->time_ms);
	xv_buf_addch(b, ',');
	add_text(b, name);
	xv_buf_addch(b, ',');
	xv_csv_add_field(b, profile);
	add_u64(b, g->booting);
	add_u64(b, g->memory_kib);
	add_u64(b, g->alloc_kib);
	add_u64(b, g->target_kib);
	add_u64(b, g->committed_kib);
	add_u64(b, g->ws_kib);
	add_u64(b, g->swap_kib);
	csv_row_end(o);
}

static void events_header(struct csv_out *o)
{
	xv_buf_adds(&o->rows, "time_s,event,guest,profile,guests,added,value_kib,value2_kib,text");
	csv_row_end(o);
}

static void event_row(const char *name, const char *profile, const struct xv_bench_rec_event *e,
		      struct csv_out *o)
{
	struct xv_buf *b = &o->rows;

	add_time(b, e->time_ms);
	xv_buf_addf(b, ",%s,", xv_bench_event_name(e->kind));
	if (name)
		add_text(b, name);
	xv_buf_addch(b, ',');
	if (profile)
		xv_csv_add_field(b, profile);
	add_u64(b, e->guests);
	add_u64(b, e->added);
	add_u64(b, e->value_kib);
	add_u64(b, e->value2_kib);
	xv_buf_addch(b, ',');
	add_text(b, e->text);
	csv_row_end(o);
}

int xv_bench_write_file(const char *dir, const char *name, const struct xv_buf *b,
			struct xv_error *e)
{
	struct xv_atomic_file af;
	char *path = xv_asprintf("%s/%s", dir, name);
	int rc = -1;

	if (xv_atomic_file_open(&af, path, 0644, e))
		goto out;
	if (fwrite(b->data, 1, b->len, af.fp) != b->len) {
		xv_error(e, XV_E_IO, "cannot write '%s': %s", path, strerror(errno));
		xv_atomic_file_abort(&af);
		goto out;
	}
	rc = xv_atomic_file_commit(&af, e);
out:
	free(path);
	return rc;
}

static const char *const csv_names[] = {
	XV_BENCH_SAMPLES_CSV, XV_BENCH_GUESTS_CSV, XV_BENCH_EVENTS_CSV,
};

#define MANIFEST_HEAD "xvmon-bench run: complete\n"

enum { F_SAMPLES, F_GUESTS, F_EVENTS, F_COUNT };

struct xv_bench_csv {
	char *dir;
	unsigned nprofiles;
	char names[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];
	struct csv_out out[F_COUNT];
	bool live[F_COUNT]; /* opened, neither committed nor aborted */
};

struct xv_bench_csv *xv_bench_csv_open(const char *dir, unsigned nprofiles,
				       const char (*names)[XV_BENCH_NAME_MAX], struct xv_error *e)
{
	struct xv_bench_csv *w = xv_calloc(1, sizeof(*w));

	w->dir = xv_strdup(dir);
	w->nprofiles = nprofiles < XV_BENCH_MAX_PROFILES ? nprofiles : XV_BENCH_MAX_PROFILES;
	for (unsigned p = 0; p < w->nprofiles; p++)
		xv_strlcpy(w->names[p], names[p], XV_BENCH_NAME_MAX);
	for (unsigned i = 0; i < F_COUNT; i++) {
		if (csv_open(&w->out[i], dir, csv_names[i], e)) {
			xv_bench_csv_abort(w);
			return NULL;
		}
		w->live[i] = true;
	}
	samples_header(w->nprofiles, (const char (*)[XV_BENCH_NAME_MAX])w->names, &w->out[F_SAMPLES]);
	guests_header(&w->out[F_GUESTS]);
	events_header(&w->out[F_EVENTS]);
	return w;
}

static const char *profile_name(const struct xv_bench_csv *w, int p)
{
	return p >= 0 && (unsigned)p < w->nprofiles ? w->names[p] : NULL;
}

void xv_bench_csv_sample(struct xv_bench_csv *w, const struct xv_bench_sample *s)
{
	sample_row(w->nprofiles, s, &w->out[F_SAMPLES]);
}

void xv_bench_csv_guest(struct xv_bench_csv *w, const char *name, const struct xv_bench_gsample *g)
{
	guest_row(name, profile_name(w, (int)g->profile), g, &w->out[F_GUESTS]);
}

void xv_bench_csv_event(struct xv_bench_csv *w, const char *guest, const struct xv_bench_rec_event *e)
{
	event_row(guest, profile_name(w, e->profile), e, &w->out[F_EVENTS]);
}

int xv_bench_csv_close(struct xv_bench_csv *w, struct xv_error *e)
{
	struct xv_buf manifest = XV_BUF_INIT;
	int rc = -1;

	xv_buf_adds(&manifest, MANIFEST_HEAD);
	for (unsigned i = 0; i < F_COUNT; i++) {
		struct csv_out *o = &w->out[i];

		csv_flush(o, 0);
		if (ferror(o->af.fp)) {
			xv_error(e, XV_E_IO, "cannot write '%s/%s': %s", w->dir, csv_names[i],
				 strerror(errno));
			goto out;
		}
		xv_buf_addf(&manifest, "%s %" PRIu64 " %016" PRIx64 "\n", csv_names[i], o->size, o->hash);
	}
	for (unsigned i = 0; i < F_COUNT; i++) {
		w->live[i] = false;
		if (csv_close(&w->out[i], e))
			goto out;
	}
	rc = xv_bench_write_file(w->dir, XV_BENCH_MANIFEST, &manifest, e);
out:
	xv_buf_release(&manifest);
	xv_bench_csv_abort(w);
	return rc;
}

void xv_bench_csv_abort(struct xv_bench_csv *w)
{
	if (!w)
		return;
	for (unsigned i = 0; i < F_COUNT; i++)
		if (w->live[i])
			csv_abort(&w->out[i]);
	free(w->dir);
	free(w);
}

/* Writes in-memory data as the three CSV files and run.done (tests). */
int xv_bench_data_write(const struct xv_bench_data *d, const char *dir, struct xv_error *e)
{
	struct xv_bench_csv *w = xv_bench_csv_open(dir, d->nprofiles, d->profile_names, e);

	if (!w)
		return -1;
	for (size_t i = 0; i < d->nsamples; i++)
		xv_bench_csv_sample(w, &d->samples[i]);
	for (size_t i = 0; i < d->ngsamples; i++)
		xv_bench_csv_guest(w, d->guest_names[d->gsamples[i].guest], &d->gsamples[i]);
	for (size_t i = 0; i < d->nevents; i++)
		xv_bench_csv_event(w, d->events[i].guest >= 0 ? d->guest_names[d->events[i].guest] : NULL,
				   &d->events[i]);
	return xv_bench_csv_close(w, e);
}

/* --- reading ---------------------------------------------------------------- */

#define MAX_FIELDS (NFIXED + 2 * XV_BENCH_MAX_PROFILES + 4)

/* Bounds of values read back: a run never records more. */
#define MAX_TIME_MS (2 * XV_BENCH_MAX_SIM_MS) /* events of the step that passed it */
#define MAX_COUNT XV_BENCH_MAX_GUESTS
#define MAX_KIB XV_KIB_MAX                                /* one host or guest */
#define MAX_SUM_KIB (XV_KIB_MAX * (uint64_t)XV_BENCH_MAX_GUESTS) /* all guests */

struct manifest_entry {
	uint64_t size, hash;
};

struct reader {
	char *path;
	struct xv_buf text;
	size_t pos;
	unsigned line;
	char *fields[MAX_FIELDS];
	int nfields;
	int width; /* fields in the header */
	uint64_t rows, max_rows;
	struct xv_error *e;
};

static int reader_fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reader_fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror_at(r->e, XV_E_DATA, r->path, r->line, fmt, ap);
	va_end(ap);
	return -1;
}

static void reader_close(struct reader *r)
{
	free(r->path);
	xv_buf_release(&r->text);
}

/* Next record into r->fields; 1, 0 at the end, -1 on error. */
static int reader_next(struct reader *r)
{
	char *start, *nl, *end;

	if (r->pos >= r->text.len)
		return 0;
	start = r->text.data + r->pos;
	nl = memchr(start, '\n', r->text.len - r->pos);
	end = nl ? nl : r->text.data + r->text.len;
	r->pos = (size_t)(end - r->text.data) + (nl ? 1 : 0);
	*end = '\0';
	if (end > start && end[-1] == '\r')
		*--end = '\0';
	r->line++;
	/* a byte-order mark before the header, as spreadsheets write */
	if (r->line == 1 && !strncmp(start, "\xEF\xBB\xBF", 3))
		start += 3;
	r->nfields = xv_csv_split(start, r->fields, MAX_FIELDS);
	if (r->nfields < 0)
		return reader_fail(r, "malformed CSV record (a quote not closed, or more than %zu fields)",
				   (size_t)MAX_FIELDS);
	return 1;
}

static int col(const struct reader *r, const char *name)
{
	for (int i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i], name))
			return i;
	return -1;
}

/* Takes over `text` (the content of `path`), reads its header and finds
 * each of names[0..n) in it (positions to cols).  r->fields still holds the
 * header after.  0, or -1 with e set; reader_close() in either case. */
static int reader_start(struct reader *r, const char *path, struct xv_buf *text,
			uint64_t max_rows, const char *const *names, size_t n, int *cols,
			struct xv_error *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->text = *text;
	xv_buf_init(text);
	r->e = e;
	r->max_rows = max_rows;
	r->path = xv_strdup(path);
	rc = reader_next(r);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->line = 1;
		return reader_fail(r, "no header row");
	}
	for (int i = 0; i < r->nfields; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(r->fields[i], r->fields[j]))
				return reader_fail(r, "column '%s' appears twice", r->fields[i]);
	for (size_t i = 0; i < n; i++)
		if ((cols[i] = col(r, names[i])) < 0)
			return reader_fail(r, "no column '%s'", names[i]);
	r->width = r->nfields;
	return 0;
}

/* The next data row: 1, 0 at the end, -1 on error, including a row whose
 * width is not the header's. */
static int reader_row(struct reader *r)
{
	int rc = reader_next(r);

	if (rc == 1 && r->nfields != r->width)
		return reader_fail(r, "%d fields where the header has %d", r->nfields, r->width);
	if (rc == 1 && ++r->rows > r->max_rows)
		return reader_fail(r, "more than %" PRIu64 " rows, the most a run records", r->max_rows);
	return rc;
}

static int get_u64(struct reader *r, int i, uint64_t max, uint64_t *v)
{
	enum xv_num_error e = xv_parse_u64(r->fields[i], 0, max, v);

	if (e == XV_NUM_RANGE && r->fields[i][0] != '-')
		return reader_fail(r, "field %d: '%s' is above %" PRIu64 ", more than a run records",
				   i + 1, r->fields[i], max);
	if (e)
		return reader_fail(r, "field %d: '%s' is not a whole number", i + 1, r->fields[i]);
	return 0;
}

static int get_count(struct reader *r, int i, unsigned *v)
{
	uint64_t u;

	if (get_u64(r, i, MAX_COUNT, &u))
		return -1;
	*v = (unsigned)u;
	return 0;
}

static int get_time(struct reader *r, int i, uint64_t *ms)
{
	double s;

	if (xv_parse_double(r->fields[i], &s) || s < 0)
		return reader_fail(r, "field %d: '%s' is not a time in seconds", i + 1, r->fields[i]);
	if (s > (double)(MAX_TIME_MS / 1000))
		return reader_fail(r, "field %d: '%s' is beyond %llu s, more than a run lasts", i + 1,
				   r->fields[i], MAX_TIME_MS / 1000);
	*ms = (uint64_t)xv_round(s * 1000.0);
	return 0;
}

static int find_profile(const struct xv_bench_data *d, const char *name)
{
	for (unsigned p = 0; p < d->nprofiles; p++)
		if (!strcmp(d->profile_names[p], name))
			return (int)p;
	return -1;
}

/* Guest names to indices: an open-addressing hash, so a file of a million
 * rows costs a million lookups, not a million scans. */
struct guest_index {
	unsigned *slot; /* index + 1; 0: empty */
	size_t size;    /* a power of two, more than twice the guests */
};

static int guest_of(struct xv_bench_data *d, struct guest_index *gi, struct reader *r,
		    const char *name)
{
	size_t h, i;

	if (d->nguests * 2 >= gi->size) {
		size_t size = gi->size ? gi->size * 2 : 1024;
		unsigned *slot = xv_calloc(size, sizeof(*slot));
		for (size_t k = 0; k < d->nguests; k++) {
			h = (size_t)fnv1a(FNV_OFFSET, d->guest_names[k], strlen(d->guest_names[k]));
			for (i = h & (size - 1); slot[i]; i = (i + 1) & (size - 1))
				;
			slot[i] = (unsigned)k + 1;
		}
		free(gi->slot);
		gi->slot = slot;
		gi->size = size;
	}
	h = (size_t)fnv1a(FNV_OFFSET, name, strlen(name));
	for (i = h & (gi->size - 1); gi->slot[i]; i = (i + 1) & (gi->size - 1))
		if (!strcmp(d->guest_names[gi->slot[i] - 1], name))
			return (int)gi->slot[i] - 1;
	/* more guests than a host holds can only come from a forged file */
	if (d->nguests >= XV_BENCH_MAX_GUESTS * 4)
		return reader_fail(r, "more than %d guest names, more than a run records",
				   XV_BENCH_MAX_GUESTS * 4);
	gi->slot[i] = (unsigned)xv_bench_data_add_guest(d, name) + 1;
	return (int)gi->slot[i] - 1;
}

static int valid_profile_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= XV_BENCH_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int load_samples(struct xv_bench_data *d, const char *path, struct xv_buf *text,
			struct xv_error *e)
{
	struct reader r;
	int fixed[NFIXED], pcount[XV_BENCH_MAX_PROFILES], palloc[XV_BENCH_MAX_PROFILES];
	int rc = -1, more;

	if (reader_start(&r, path, text, XV_BENCH_MAX_HOST_ROWS, sample_columns, NFIXED, fixed, e))
		goto out;
	/* the profiles are the guests_NAME columns */
	for (int i = 0; i < r.nfields; i++) {
		const char *f = r.fields[i];
		if (strncmp(f, "guests_", 7))
			continue;
		if (!valid_profile_name(f + 7)) {
			reader_fail(&r, "column '%s': '%s' is not a profile name", f, f + 7);
			goto out;
		}
		if (d->nprofiles == XV_BENCH_MAX_PROFILES) {
			reader_fail(&r, "more than %d profiles", XV_BENCH_MAX_PROFILES);
			goto out;
		}
		xv_strlcpy(d->profile_names[d->nprofiles], f + 7, XV_BENCH_NAME_MAX);
		pcount[d->nprofiles] = i;
		d->nprofiles++;
	}
	for (unsigned p = 0; p < d->nprofiles; p++) {
		char name[XV_BENCH_NAME_MAX + 16];
		snprintf(name, sizeof(name), "alloc_%s_kib", d->profile_names[p]);
		palloc[p] = col(&r, name);
		if (palloc[p] < 0) {
			reader_fail(&r, "no column '%s'", name);
			goto out;
		}
	}
	while ((more = reader_row(&r)) == 1) {
		struct xv_bench_sample s = { 0 };
		uint64_t used;

		if (get_time(&r, fixed[0], &s.time_ms) || get_count(&r, fixed[1], &s.step) ||
		    get_count(&r, fixed[2], &s.guests) || get_count(&r, fixed[3], &s.added) ||
		    get_count(&r, fixed[4], &s.booting) || get_count(&r, fixed[5], &s.swapping) ||
		    get_count(&r, fixed[6], &s.failures) || get_u64(&r, fixed[7], MAX_KIB, &s.total_kib) ||
		    get_u64(&r, fixed[8], MAX_KIB, &s.free_kib) || get_u64(&r, fixed[9], MAX_KIB, &used) ||
		    get_u64(&r, fixed[10], MAX_KIB, &s.xen_kib) ||
		    get_u64(&r, fixed[11], MAX_KIB, &s.dom0_kib) ||
		    get_u64(&r, fixed[12], MAX_SUM_KIB, &s.guests_kib) ||
		    get_u64(&r, fixed[13], MAX_SUM_KIB, &s.memory_kib) ||
		    get_u64(&r, fixed[14], MAX_SUM_KIB, &s.swap_kib))
			goto out;
		if (s.free_kib > s.total_kib || used != s.total_kib - s.free_kib) {
			reader_fail(&r, "host_free_kib and host_used_kib do not add up to host_total_kib");
			goto out;
		}
		for (unsigned p = 0; p < d->nprofiles; p++)
			if (get_count(&r, pcount[p], &s.count[p]) ||
			    get_u64(&r, palloc[p], MAX_SUM_KIB, &s.alloc_kib[p]))
				goto out;
		*xv_bench_data_add_sample(d) = s;
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

static int load_guests(struct xv_bench_data *d, const char *path, struct xv_buf *text,
		       struct guest_index *gi, struct xv_error *e)
{
	static const char *const names[] = { "time_s", "guest", "profile", "booting", "memory_kib",
					     "alloc_kib", "target_kib", "committed_kib", "ws_kib",
					     "swap_kib" };
	struct reader r;
	int c[XV_ARRAY_SIZE(names)];
	int rc = -1, more;

	if (reader_start(&r, path, text, XV_BENCH_MAX_GUEST_ROWS, names, XV_ARRAY_SIZE(names), c, e))
		goto out;
	while ((more = reader_row(&r)) == 1) {
		struct xv_bench_gsample g = { 0 };
		uint64_t booting;
		int p = find_profile(d, r.fields[c[2]]), guest;

		if (p < 0) {
			reader_fail(&r, "profile '%s' is not in samples.csv", r.fields[c[2]]);
			goto out;
		}
		if (get_time(&r, c[0], &g.time_ms) || get_u64(&r, c[3], 1, &booting) ||
		    get_u64(&r, c[4], MAX_KIB, &g.memory_kib) || get_u64(&r, c[5], MAX_KIB, &g.alloc_kib) ||
		    get_u64(&r, c[6], MAX_KIB, &g.target_kib) ||
		    get_u64(&r, c[7], MAX_SUM_KIB, &g.committed_kib) ||
		    get_u64(&r, c[8], MAX_SUM_KIB, &g.ws_kib) || get_u64(&r, c[9], MAX_SUM_KIB, &g.swap_kib))
			goto out;
		if ((guest = guest_of(d, gi, &r, r.fields[c[1]])) < 0)
			goto out;
		g.guest = (unsigned)guest;
		g.profile = (unsigned)p;
		g.booting = booting != 0;
		*xv_bench_data_add_gsample(d) = g;
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

static int load_events(struct xv_bench_data *d, const char *path, struct xv_buf *text,
		       struct guest_index *gi, struct xv_error *e)
{
	static const char *const names[] = { "time_s", "event", "guest", "profile", "guests",
					     "added", "value_kib", "value2_kib", "text" };
	struct reader r;
	int c[XV_ARRAY_SIZE(names)];
	int rc = -1, more;

	if (reader_start(&r, path, text, XV_BENCH_MAX_EVENTS + 1, names, XV_ARRAY_SIZE(names), c, e))
		goto out;
	while ((more = reader_row(&r)) == 1) {
		struct xv_bench_rec_event ev = { .guest = -1, .profile = -1 }, *slot;
		int kind = xv_bench_event_kind(r.fields[c[1]]);

		if (kind < 0) {
			reader_fail(&r, "unknown event '%s'", r.fields[c[1]]);
			goto out;
		}
		if (get_time(&r, c[0], &ev.time_ms) || get_count(&r, c[4], &ev.guests) ||
		    get_count(&r, c[5], &ev.added) || get_u64(&r, c[6], MAX_SUM_KIB, &ev.value_kib) ||
		    get_u64(&r, c[7], MAX_SUM_KIB, &ev.value2_kib))
			goto out;
		if (r.fields[c[2]][0] && (ev.guest = guest_of(d, gi, &r, r.fields[c[2]])) < 0)
			goto out;
		if (r.fields[c[3]][0] && (ev.profile = find_profile(d, r.fields[c[3]])) < 0) {
			reader_fail(&r, "profile '%s' is not in samples.csv", r.fields[c[3]]);
			goto out;
		}
		ev.kind = (enum xv_bench_event_kind)kind;
		slot = xv_bench_data_add_event(d);
		*slot = ev;
		if (r.fields[c[8]][0])
			slot->text = xv_strdup(r.fields[c[8]]);
		if (ev.kind == XV_EV_INTERRUPTED)
			d->interrupted = true;
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

/* run.done: "xvmon-bench run: complete", then "NAME SIZE HASH" for each of
 * the three files, in order. */
static int load_manifest(const char *dir, struct manifest_entry *m, struct xv_error *e)
{
	char *path = xv_asprintf("%s/%s", dir, XV_BENCH_MANIFEST);
	struct xv_buf text = XV_BUF_INIT;
	const char *p;
	int rc = -1;

	if (xv_file_read(path, 4096, 1, &text, e)) {
		if (e && e->code == XV_E_NOINPUT)
			xv_error_prefix(e, "'%s' is not a complete xvmon-bench run", dir);
		goto out;
	}
	p = text.data;
	if (strncmp(p, MANIFEST_HEAD, strlen(MANIFEST_HEAD))) {
		xv_error_at(e, XV_E_DATA, path, 1, "not the manifest of an xvmon-bench run");
		goto out;
	}
	p += strlen(MANIFEST_HEAD);
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++) {
		size_t n = strlen(csv_names[i]);
		char *end;

		if (strncmp(p, csv_names[i], n) || p[n] != ' ')
			goto bad;
		p += n + 1;
		if (*p < '0' || *p > '9')
			goto bad;
		errno = 0;
		m[i].size = strtoull(p, &end, 10);
		if (errno || *end != ' ' || end[1] < '0' || (end[1] > '9' && end[1] < 'a') || end[1] > 'f')
			goto bad;
		m[i].hash = strtoull(end + 1, &end, 16);
		if (errno || end - p > 60 || *end != '\n')
			goto bad;
		p = end + 1;
		continue;
bad:
		xv_error_at(e, XV_E_DATA, path, (unsigned)i + 2, "expected '%s SIZE CHECKSUM'",
			    csv_names[i]);
		goto out;
	}
	if (*p) {
		xv_error_at(e, XV_E_DATA, path, 5, "text after the last file");
		goto out;
	}
	rc = 0;
out:
	xv_buf_release(&text);
	free(path);
	return rc;
}

int xv_bench_data_parse(struct xv_bench_data *d, const char *dir, struct xv_buf text[3],
			struct xv_error *e)
{
	struct guest_index gi = { NULL, 0 };
	char *path[XV_ARRAY_SIZE(csv_names)];
	int rc = -1;

	xv_bench_data_init(d);
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++)
		path[i] = xv_asprintf("%s/%s", dir, csv_names[i]);
	if (!load_samples(d, path[0], &text[0], e) && !load_guests(d, path[1], &text[1], &gi, e) &&
	    !load_events(d, path[2], &text[2], &gi, e))
		rc = 0;
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++)
		free(path[i]);
	free(gi.slot);
	if (rc)
		xv_bench_data_release(d);
	return rc;
}

int xv_bench_data_load(struct xv_bench_data *d, const char *dir, struct xv_error *e)
{
	struct manifest_entry m[XV_ARRAY_SIZE(csv_names)];
	struct xv_buf text[XV_ARRAY_SIZE(csv_names)];
	int rc = -1;

	xv_bench_data_init(d);
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++)
		xv_buf_init(&text[i]);
	if (load_manifest(dir, m, e))
		goto out;
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++) {
		char *path = xv_asprintf("%s/%s", dir, csv_names[i]);
		int bad = xv_file_read(path, XV_BENCH_CSV_MAX_BYTES, 1, &text[i], e);
		if (!bad && (text[i].len != m[i].size ||
			     fnv1a(FNV_OFFSET, text[i].data, text[i].len) != m[i].hash))
			bad = xv_error(e, XV_E_DATA, "'%s' does not match %s/%s (%zu bytes, expected %"
				       PRIu64 "): it is not the file of this run", path, dir,
				       XV_BENCH_MANIFEST, text[i].len, m[i].size);
		free(path);
		if (bad)
			goto out;
	}
	rc = xv_bench_data_parse(d, dir, text, e);
out:
	for (size_t i = 0; i < XV_ARRAY_SIZE(csv_names); i++)
		xv_buf_release(&text[i]);
	return rc;
}
