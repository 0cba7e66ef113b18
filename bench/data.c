/* SPDX-License-Identifier: GPL-3.0-or-later */
/* data.c: run data in memory, and its CSV files.
 *
 * samples.csv  one row per host sample; per-profile columns guests_NAME and
 *              alloc_NAME_kib follow the fixed ones, in plan order
 * guests.csv   one row per guest per sample
 * events.csv   creations, failures with the toolstack's text, dom0 balloon
 *              steps, swap onsets, balloon settling
 *
 * Sizes are KiB integers, times seconds (C locale, '.' decimals). */
#include "data.h"
#include "atomic_file.h"
#include "buf.h"
#include "csv.h"
#include "num.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
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

static void add_time(struct xv_buf *b, uint64_t ms)
{
	char num[32];

	xv_format_double((double)ms / 1000.0, num, sizeof(num));
	xv_buf_adds(b, num);
}

static void add_u64(struct xv_buf *b, uint64_t v)
{
	xv_buf_addf(b, ",%" PRIu64, v);
}

static const char *const sample_columns[] = {
	"time_s", "step", "guests", "added", "booting", "swapping", "failures",
	"host_total_kib", "host_free_kib", "host_used_kib", "xen_kib", "dom0_kib",
	"guest_alloc_kib", "guest_memory_kib", "swap_kib",
};
#define NFIXED XV_ARRAY_SIZE(sample_columns)

static void format_samples(const struct xv_bench_data *d, struct xv_buf *b)
{
	for (size_t i = 0; i < NFIXED; i++)
		xv_buf_addf(b, "%s%s", i ? "," : "", sample_columns[i]);
	for (unsigned p = 0; p < d->nprofiles; p++)
		xv_buf_addf(b, ",guests_%s", d->profile_names[p]);
	for (unsigned p = 0; p < d->nprofiles; p++)
		xv_buf_addf(b, ",alloc_%s_kib", d->profile_names[p]);
	xv_buf_addch(b, '\n');
	for (size_t i = 0; i < d->nsamples; i++) {
		const struct xv_bench_sample *s = &d->samples[i];

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
		for (unsigned p = 0; p < d->nprofiles; p++)
			add_u64(b, s->count[p]);
		for (unsigned p = 0; p < d->nprofiles; p++)
			add_u64(b, s->alloc_kib[p]);
		xv_buf_addch(b, '\n');
	}
}

static void format_guests(const struct xv_bench_data *d, struct xv_buf *b)
{
	xv_buf_adds(b, "time_s,guest,profile,booting,memory_kib,alloc_kib,target_kib,committed_kib,ws_kib,swap_kib\n");
	for (size_t i = 0; i < d->ngsamples; i++) {
		const struct xv_bench_gsample *g = &d->gsamples[i];

		add_time(b, g->time_ms);
		xv_buf_addch(b, ',');
		xv_csv_add_field(b, d->guest_names[g->guest]);
		xv_buf_addch(b, ',');
		xv_csv_add_field(b, d->profile_names[g->profile]);
		add_u64(b, g->booting);
		add_u64(b, g->memory_kib);
		add_u64(b, g->alloc_kib);
		add_u64(b, g->target_kib);
		add_u64(b, g->committed_kib);
		add_u64(b, g->ws_kib);
		add_u64(b, g->swap_kib);
		xv_buf_addch(b, '\n');
	}
}

static void format_events(const struct xv_bench_data *d, struct xv_buf *b)
{
	xv_buf_adds(b, "time_s,event,guest,profile,guests,added,value_kib,value2_kib,text\n");
	for (size_t i = 0; i < d->nevents; i++) {
		const struct xv_bench_rec_event *e = &d->events[i];

		add_time(b, e->time_ms);
		xv_buf_addf(b, ",%s,", xv_bench_event_name(e->kind));
		if (e->guest >= 0)
			xv_csv_add_field(b, d->guest_names[e->guest]);
		xv_buf_addch(b, ',');
		if (e->profile >= 0)
			xv_csv_add_field(b, d->profile_names[e->profile]);
		add_u64(b, e->guests);
		add_u64(b, e->added);
		add_u64(b, e->value_kib);
		add_u64(b, e->value2_kib);
		xv_buf_addch(b, ',');
		xv_csv_add_field(b, e->text);
		xv_buf_addch(b, '\n');
	}
}

int xv_bench_write_file(const char *dir, const char *name, const struct xv_buf *b, char *err,
			size_t errlen)
{
	struct xv_atomic_file af;
	char *path = xv_asprintf("%s/%s", dir, name);
	int rc = -1;

	if (xv_atomic_file_open(&af, path, 0644)) {
		xv_strlcpy(err, af.err, errlen);
		goto out;
	}
	if (fwrite(b->data, 1, b->len, af.fp) != b->len) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		xv_atomic_file_abort(&af);
		goto out;
	}
	if (xv_atomic_file_commit(&af)) {
		xv_strlcpy(err, af.err, errlen);
		goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

int xv_bench_data_write(const struct xv_bench_data *d, const char *dir, char *err, size_t errlen)
{
	struct xv_buf b = XV_BUF_INIT;
	int rc;

	format_samples(d, &b);
	rc = xv_bench_write_file(dir, XV_BENCH_SAMPLES_CSV, &b, err, errlen);
	if (!rc) {
		xv_buf_reset(&b);
		format_guests(d, &b);
		rc = xv_bench_write_file(dir, XV_BENCH_GUESTS_CSV, &b, err, errlen);
	}
	if (!rc) {
		xv_buf_reset(&b);
		format_events(d, &b);
		rc = xv_bench_write_file(dir, XV_BENCH_EVENTS_CSV, &b, err, errlen);
	}
	xv_buf_release(&b);
	return rc;
}

/* --- reading ---------------------------------------------------------------- */

#define MAX_FIELDS (NFIXED + 2 * XV_BENCH_MAX_PROFILES + 4)

struct reader {
	FILE *fp;
	char *path;
	unsigned line;
	char *buf;
	size_t bufsize;
	char *fields[MAX_FIELDS];
	int nfields;
	int width; /* fields in the header */
	char *err;
	size_t errlen;
};

static int reader_fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reader_fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s:%u: ", r->path, r->line);

	if (n > 0 && (size_t)n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void reader_close(struct reader *r)
{
	if (r->fp)
		fclose(r->fp);
	free(r->path);
	free(r->buf);
}

/* Next record into r->fields; 1, 0 at the end, -1 on error. */
static int reader_next(struct reader *r)
{
	ssize_t n = getline(&r->buf, &r->bufsize, r->fp);

	if (n < 0)
		return ferror(r->fp) ? reader_fail(r, "read error") : 0;
	r->line++;
	while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
		r->buf[--n] = '\0';
	r->nfields = xv_csv_split(r->buf, r->fields, MAX_FIELDS);
	if (r->nfields < 0)
		return reader_fail(r, "malformed CSV record");
	return 1;
}

static int col(const struct reader *r, const char *name)
{
	for (int i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i], name))
			return i;
	return -1;
}

/* Opens dir/name, reads its header and finds each of names[0..n) in it
 * (their positions go to cols).  r->fields still holds the header after.
 * 0, or -1 with the message in err; reader_close() in either case. */
static int reader_start(struct reader *r, const char *dir, const char *name,
			const char *const *names, size_t n, int *cols, char *err, size_t errlen)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->err = err;
	r->errlen = errlen;
	r->path = xv_asprintf("%s/%s", dir, name);
	r->fp = fopen(r->path, "r");
	if (!r->fp) {
		snprintf(err, errlen, "cannot open '%s': %s", r->path, strerror(errno));
		return -1;
	}
	rc = reader_next(r);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->line = 1;
		return reader_fail(r, "no header row");
	}
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
	return rc;
}

static int get_u64(struct reader *r, int i, uint64_t *v)
{
	if (xv_parse_u64(r->fields[i], 0, UINT64_MAX, v))
		return reader_fail(r, "field %d: '%s' is not a whole number", i + 1, r->fields[i]);
	return 0;
}

static int get_time(struct reader *r, int i, uint64_t *ms)
{
	double s;

	if (xv_parse_double(r->fields[i], &s) || s < 0)
		return reader_fail(r, "field %d: '%s' is not a time in seconds", i + 1, r->fields[i]);
	*ms = (uint64_t)llround(s * 1000.0);
	return 0;
}

static int find_profile(const struct xv_bench_data *d, const char *name)
{
	for (unsigned p = 0; p < d->nprofiles; p++)
		if (!strcmp(d->profile_names[p], name))
			return (int)p;
	return -1;
}

static int find_guest(struct xv_bench_data *d, const char *name)
{
	for (size_t i = d->nguests; i-- > 0;)
		if (!strcmp(d->guest_names[i], name))
			return (int)i;
	return (int)xv_bench_data_add_guest(d, name);
}

static int load_samples(struct xv_bench_data *d, const char *dir, char *err, size_t errlen)
{
	struct reader r;
	int fixed[NFIXED], pcount[XV_BENCH_MAX_PROFILES], palloc[XV_BENCH_MAX_PROFILES];
	int rc = -1, more;

	if (reader_start(&r, dir, XV_BENCH_SAMPLES_CSV, sample_columns, NFIXED, fixed, err, errlen))
		goto out;
	/* the profiles are the guests_NAME columns */
	for (int i = 0; i < r.nfields; i++) {
		const char *f = r.fields[i];
		if (strncmp(f, "guests_", 7) || d->nprofiles == XV_BENCH_MAX_PROFILES)
			continue;
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
		struct xv_bench_sample *s;
		uint64_t v[NFIXED];

		if (get_time(&r, fixed[0], &v[0]))
			goto out;
		for (size_t i = 1; i < NFIXED; i++)
			if (get_u64(&r, fixed[i], &v[i]))
				goto out;
		s = xv_bench_data_add_sample(d);
		s->time_ms = v[0];
		s->step = (unsigned)v[1];
		s->guests = (unsigned)v[2];
		s->added = (unsigned)v[3];
		s->booting = (unsigned)v[4];
		s->swapping = (unsigned)v[5];
		s->failures = (unsigned)v[6];
		s->total_kib = v[7];
		s->free_kib = v[8];
		s->xen_kib = v[10];
		s->dom0_kib = v[11];
		s->guests_kib = v[12];
		s->memory_kib = v[13];
		s->swap_kib = v[14];
		for (unsigned p = 0; p < d->nprofiles; p++) {
			uint64_t c;
			if (get_u64(&r, pcount[p], &c) || get_u64(&r, palloc[p], &s->alloc_kib[p]))
				goto out;
			s->count[p] = (unsigned)c;
		}
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

static int load_guests(struct xv_bench_data *d, const char *dir, char *err, size_t errlen)
{
	static const char *const names[] = { "time_s", "guest", "profile", "booting", "memory_kib",
					     "alloc_kib", "target_kib", "committed_kib", "ws_kib",
					     "swap_kib" };
	struct reader r;
	int c[XV_ARRAY_SIZE(names)];
	int rc = -1, more;

	if (reader_start(&r, dir, XV_BENCH_GUESTS_CSV, names, XV_ARRAY_SIZE(names), c, err, errlen))
		goto out;
	while ((more = reader_row(&r)) == 1) {
		struct xv_bench_gsample *g;
		uint64_t t, booting;
		int p = find_profile(d, r.fields[c[2]]);

		if (p < 0) {
			reader_fail(&r, "profile '%s' is not in samples.csv", r.fields[c[2]]);
			goto out;
		}
		if (get_time(&r, c[0], &t) || get_u64(&r, c[3], &booting))
			goto out;
		g = xv_bench_data_add_gsample(d);
		g->time_ms = t;
		g->guest = (unsigned)find_guest(d, r.fields[c[1]]);
		g->profile = (unsigned)p;
		g->booting = booting != 0;
		if (get_u64(&r, c[4], &g->memory_kib) || get_u64(&r, c[5], &g->alloc_kib) ||
		    get_u64(&r, c[6], &g->target_kib) || get_u64(&r, c[7], &g->committed_kib) ||
		    get_u64(&r, c[8], &g->ws_kib) || get_u64(&r, c[9], &g->swap_kib))
			goto out;
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

static int load_events(struct xv_bench_data *d, const char *dir, char *err, size_t errlen)
{
	static const char *const names[] = { "time_s", "event", "guest", "profile", "guests",
					     "added", "value_kib", "value2_kib", "text" };
	struct reader r;
	int c[XV_ARRAY_SIZE(names)];
	int rc = -1, more;

	if (reader_start(&r, dir, XV_BENCH_EVENTS_CSV, names, XV_ARRAY_SIZE(names), c, err, errlen))
		goto out;
	while ((more = reader_row(&r)) == 1) {
		struct xv_bench_rec_event *e;
		uint64_t t, guests, added;
		int kind = xv_bench_event_kind(r.fields[c[1]]);

		if (kind < 0) {
			reader_fail(&r, "unknown event '%s'", r.fields[c[1]]);
			goto out;
		}
		if (get_time(&r, c[0], &t) || get_u64(&r, c[4], &guests) || get_u64(&r, c[5], &added))
			goto out;
		e = xv_bench_data_add_event(d);
		e->time_ms = t;
		e->kind = (enum xv_bench_event_kind)kind;
		e->guests = (unsigned)guests;
		e->added = (unsigned)added;
		if (r.fields[c[2]][0])
			e->guest = find_guest(d, r.fields[c[2]]);
		if (r.fields[c[3]][0])
			e->profile = find_profile(d, r.fields[c[3]]);
		if (r.fields[c[8]][0])
			e->text = xv_strdup(r.fields[c[8]]);
		if (get_u64(&r, c[6], &e->value_kib) || get_u64(&r, c[7], &e->value2_kib))
			goto out;
		if (e->kind == XV_EV_INTERRUPTED)
			d->interrupted = true;
	}
	rc = more < 0 ? -1 : 0;
out:
	reader_close(&r);
	return rc;
}

int xv_bench_data_load(struct xv_bench_data *d, const char *dir, char *err, size_t errlen)
{
	xv_bench_data_init(d);
	if (load_samples(d, dir, err, errlen) || load_guests(d, dir, err, errlen) ||
	    load_events(d, dir, err, errlen)) {
		xv_bench_data_release(d);
		return -1;
	}
	return 0;
}
