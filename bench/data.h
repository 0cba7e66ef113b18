/* SPDX-License-Identifier: GPL-3.0-or-later */
/* data.h: what a run measured — host samples, per-guest samples and events.
 *
 * The runner fills it from a driver; xv_bench_data_load() rebuilds it from the
 * CSV files of an output directory, so charts and analysis work the same on a
 * fresh run and on an old one. */
#ifndef XV_BENCH_DATA_H
#define XV_BENCH_DATA_H

#include "buf.h"
#include "driver.h"
#include "error.h"
#include "plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The host at one moment. */
struct xv_bench_sample {
	uint64_t time_ms;
	unsigned step;     /* procedure step; 0: the guests running before it */
	unsigned guests;   /* domUs in existence */
	unsigned added;    /* guests the procedure has added so far */
	unsigned booting;
	unsigned swapping; /* guests whose working set exceeds their allocation */
	unsigned failures; /* creation failures so far */
	uint64_t total_kib, free_kib, xen_kib, dom0_kib;
	uint64_t guests_kib; /* Σ allocation + Xen overhead: what guests use */
	uint64_t memory_kib; /* Σ configured memory=: what guests were promised */
	uint64_t swap_kib;
	unsigned count[XV_BENCH_MAX_PROFILES];     /* guests per profile */
	uint64_t alloc_kib[XV_BENCH_MAX_PROFILES]; /* Σ allocation per profile */
};

/* One guest at one sample. */
struct xv_bench_gsample {
	uint64_t time_ms;
	unsigned guest;   /* index into data->guest_names */
	unsigned profile;
	bool booting;
	uint64_t memory_kib; /* its memory= */
	uint64_t alloc_kib, target_kib, committed_kib, ws_kib, swap_kib;
};

struct xv_bench_rec_event {
	uint64_t time_ms;
	enum xv_bench_event_kind kind;
	int guest;        /* index into data->guest_names, -1 for the host */
	int profile;      /* -1 if none */
	unsigned guests;  /* domUs at the time */
	unsigned added;   /* procedure guests at the time */
	uint64_t value_kib, value2_kib;
	char *text;       /* owned; may be NULL */
};

struct xv_bench_data {
	unsigned nprofiles;
	char profile_names[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];
	struct xv_bench_sample *samples;
	size_t nsamples, samples_alloc;
	struct xv_bench_gsample *gsamples;
	size_t ngsamples, gsamples_alloc;
	struct xv_bench_rec_event *events;
	size_t nevents, events_alloc;
	char **guest_names;
	size_t nguests, guest_names_alloc;
	bool interrupted;
};

void xv_bench_data_init(struct xv_bench_data *d);
void xv_bench_data_release(struct xv_bench_data *d);

/* Append and return a zeroed slot; pointers stay valid until the next add. */
struct xv_bench_sample *xv_bench_data_add_sample(struct xv_bench_data *d);
struct xv_bench_gsample *xv_bench_data_add_gsample(struct xv_bench_data *d);
struct xv_bench_rec_event *xv_bench_data_add_event(struct xv_bench_data *d);
/* Records a guest name; returns its index. */
unsigned xv_bench_data_add_guest(struct xv_bench_data *d, const char *name);

/* The files of an output directory.  run.done is written last: it names
 * the three CSV files with their sizes and checksums, so `plot` knows the
 * set is complete and of one run. */
#define XV_BENCH_SAMPLES_CSV "samples.csv"
#define XV_BENCH_GUESTS_CSV "guests.csv"
#define XV_BENCH_EVENTS_CSV "events.csv"
#define XV_BENCH_MANIFEST "run.done"

/* The largest CSV file `plot` reads (the bounds of plan.h keep a run's files
 * well below it). */
#define XV_BENCH_CSV_MAX_BYTES (256u << 20)

/* Writes `content` to dir/name atomically.  0 or -1 with e set. */
int xv_bench_write_file(const char *dir, const char *name, const struct xv_buf *content,
			struct xv_error *e);

/* The three CSV files of a run, written as the rows come (in a run
 * directory that is renamed into place whole, so a reader never sees them
 * half written): guests.csv holds a row for a guest only when its figures
 * changed since its previous row.  Close writes run.done last.  Rows are
 * buffered; a write error is found at close. */
struct xv_bench_csv;
struct xv_bench_csv *xv_bench_csv_open(const char *dir, unsigned nprofiles,
				       const char (*names)[XV_BENCH_NAME_MAX], struct xv_error *e);
void xv_bench_csv_sample(struct xv_bench_csv *w, const struct xv_bench_sample *s);
void xv_bench_csv_guest(struct xv_bench_csv *w, const char *name, const struct xv_bench_gsample *g);
/* guest: the guest's name, or NULL for a host event. */
void xv_bench_csv_event(struct xv_bench_csv *w, const char *guest, const struct xv_bench_rec_event *e);
/* Commits the files and writes run.done; frees w either way.  0 or -1 with e
 * (XV_E_CANTCREAT, XV_E_IO). */
int xv_bench_csv_close(struct xv_bench_csv *w, struct xv_error *e);
/* Removes the files; frees w (NULL is fine). */
void xv_bench_csv_abort(struct xv_bench_csv *w);

/* Writes data held in memory the same way (tests). */
int xv_bench_data_write(const struct xv_bench_data *d, const char *dir, struct xv_error *e);

/* Reads them back, checked against run.done.  0 or -1 with e set:
 * XV_E_NOINPUT for a file that cannot be read (run.done missing: not a
 * complete run), XV_E_DATA for content ("FILE:LINE: problem"), files that do
 * not match run.done, or values beyond the bounds of a run. */
int xv_bench_data_load(struct xv_bench_data *d, const char *dir, struct xv_error *e);

/* The parsing part of xv_bench_data_load(): samples.csv, guests.csv and
 * events.csv already read into text[0..2] (taken over, left empty), named
 * dir/NAME in messages.  For tests and fuzzing. */
int xv_bench_data_parse(struct xv_bench_data *d, const char *dir, struct xv_buf text[3],
			struct xv_error *e);

#endif
