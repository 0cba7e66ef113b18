/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver.h: what an experiment needs from a hypervisor, behind one ops table.
 *
 * The runner creates guests, reads host and guest memory and lets time pass;
 * a driver does those things on something real (Xen through libxl, KVM through
 * libvirt) or on the model.  Time belongs to the driver: the model advances
 * its clock instantly, a real driver sleeps, so the same runner drives both.
 *
 * Things that happen between two reads (dom0 giving memory back, a guest
 * starting to swap, a balloon reaching its target) are reported by the driver
 * through the event callback as they happen, stamped with its clock.
 *
 * Every operation returns 0, or -1 with drv->err set: XV_E_HOST when the
 * hypervisor refused (a creation without memory: the runner records it and
 * goes on), other codes for failures of the driver itself. */
#ifndef XV_BENCH_DRIVER_H
#define XV_BENCH_DRIVER_H

#include "error.h"

/* The real drivers compiled in (build switches, bench/module.mk). */
#if defined(XV_HAVE_XEN) && defined(XV_HAVE_XENLIGHT)
#define XV_BENCH_XEN 1
#endif
#ifdef XV_HAVE_LIBVIRT
#define XV_BENCH_LIBVIRT 1
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xv_bench_plan;

/* One host, as Xen's physinfo sees it (KiB). */
struct xv_bench_host_mem {
	uint64_t total_kib;
	uint64_t free_kib;
	uint64_t xen_kib;      /* hypervisor overhead */
	uint64_t dom0_kib;
	uint64_t guests_kib;   /* allocations of all guests, their Xen overhead included */
	unsigned guests;       /* domUs in existence */
	unsigned booting;
};

/* One guest.  Fields a driver cannot know are XV_BENCH_UNKNOWN. */
#define XV_BENCH_UNKNOWN UINT64_MAX
struct xv_bench_guest_mem {
	uint64_t memory_kib;    /* configured memory= */
	uint64_t maxmem_kib;
	uint64_t alloc_kib;     /* what Xen has given it now */
	uint64_t target_kib;    /* its balloon target */
	uint64_t committed_kib; /* Committed_AS inside the guest */
	uint64_t ws_kib;        /* working set: kernel + resident + touched */
	uint64_t swap_kib;      /* working set that does not fit in alloc */
	bool booting;
	bool ballooning;        /* has a self-balloon daemon */
};

enum xv_bench_event_kind {
	XV_EV_CREATE,        /* guest created; value: its memory */
	XV_EV_CREATE_FAILED, /* text: the toolstack's error */
	XV_EV_DOM0_BALLOON,  /* dom0 shrank; value: before, value2: after */
	XV_EV_SWAP_ON,       /* a guest began swapping; value: KiB not fitting */
	XV_EV_SETTLED,       /* a guest's balloon came down to its idle target; value: alloc */
	XV_EV_DESTROY,
	XV_EV_INTERRUPTED,   /* the run was stopped by a signal */
	XV_EV_OOM_KILL,      /* a real guest's kernel killed a process for memory; value: kills so far */
	XV_EV_COUNT,
};

const char *xv_bench_event_name(enum xv_bench_event_kind kind);
/* The kind named `name`, or -1. */
int xv_bench_event_kind(const char *name);

struct xv_bench_event {
	uint64_t time_ms;
	enum xv_bench_event_kind kind;
	int guest;           /* driver's guest id, -1 for host events */
	int profile;         /* plan profile index, -1 if none */
	uint64_t value_kib;
	uint64_t value2_kib;
	const char *text;    /* borrowed for the duration of the callback */
};

struct xv_bench_driver;
typedef void (*xv_bench_event_fn)(void *ctx, const struct xv_bench_event *ev);

struct xv_bench_driver_ops {
	const char *name;
	const char *summary;
	/* Sets up the host the plan describes; `seed` feeds any randomness. */
	int (*open)(struct xv_bench_driver *drv, const struct xv_bench_plan *plan, uint64_t seed);
	/* Creates and starts a guest of plan profile `profile`; on success *id
	 * names it.  May take time (waiting for memory). */
	int (*create)(struct xv_bench_driver *drv, unsigned profile, const char *name, int *id);
	/* Directed ballooning: 0 hands the guest back to its own daemon. */
	int (*set_target)(struct xv_bench_driver *drv, int id, uint64_t target_kib);
	int (*destroy)(struct xv_bench_driver *drv, int id);
	int (*read_host)(struct xv_bench_driver *drv, struct xv_bench_host_mem *out);
	int (*read_guest)(struct xv_bench_driver *drv, int id, struct xv_bench_guest_mem *out);
	/* Lets `ms` of the driver's time pass. */
	int (*wait)(struct xv_bench_driver *drv, uint64_t ms);
	uint64_t (*now_ms)(struct xv_bench_driver *drv);
	/* Optional.  The guests whose figures may have changed since the
	 * previous call (every guest created since, the first time); the
	 * array is the driver's until its next operation.  Without it the
	 * runner reads every guest at every sample. */
	void (*changed)(struct xv_bench_driver *drv, const int **ids, size_t *n);
	/* Optional.  The work the driver did so far, in guest-periods (the
	 * unit of XV_BENCH_MAX_WORK); without it the runner counts every live
	 * guest at every balloon period. */
	uint64_t (*work)(struct xv_bench_driver *drv);
	/* Releases everything; guests are destroyed. */
	void (*close)(struct xv_bench_driver *drv);
};

struct xv_bench_driver {
	const struct xv_bench_driver_ops *ops;
	const char *arg;  /* what followed "NAME:" in the driver's spec ("" if nothing) */
	void *priv;
	xv_bench_event_fn on_event;
	void *event_ctx;
	struct xv_error err;
};

/* The driver a spec names ("model", "xen", "libvirt:qemu:///system": NAME or
 * NAME:ARG), or NULL.  The list is NULL-terminated; a driver whose library
 * was not found at build time is not in it. */
const struct xv_bench_driver_ops *xv_bench_driver_find(const char *spec);
/* The ARG part of a spec ("" without one); points into spec. */
const char *xv_bench_driver_arg(const char *spec);
extern const struct xv_bench_driver_ops *const xv_bench_drivers[];

/* Opens a driver; 0 or -1 with drv->err set.  drv is zeroed first;
 * set on_event afterwards (events start with the first create). */
int xv_bench_driver_open(struct xv_bench_driver *drv, const struct xv_bench_driver_ops *ops,
			 const char *arg, const struct xv_bench_plan *plan, uint64_t seed);
void xv_bench_driver_close(struct xv_bench_driver *drv);

/* For drivers: reports an event to the runner, if it listens. */
void xv_bench_driver_emit(struct xv_bench_driver *drv, const struct xv_bench_event *ev);

#endif
