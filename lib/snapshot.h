/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot.h: what a source reports about one host at one moment.
 *
 * Memory is in KiB everywhere (names end in _kib).  XV_KIB_UNKNOWN marks a
 * value the source cannot provide (say, a balloon target over a protocol that
 * does not carry it); consumers must check for it before doing arithmetic.
 *
 * A snapshot owns every string it points to; they stay valid until
 * xv_snapshot_release().  Snapshots are plain data: safe to read from any
 * thread once taken, cheap to keep (the SNMP agent serves the last one). */
#ifndef XV_SNAPSHOT_H
#define XV_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define XV_KIB_UNKNOWN UINT64_MAX

/* An uptime the source cannot know. */
#define XV_UPTIME_UNKNOWN UINT64_MAX

/* The most vCPUs one domain may have in a snapshot (Xen 4.17 allows 128 for
 * HVM guests and fewer for PV ones): bounds per-vCPU arrays. */
#define XV_MAX_VCPUS 4096

/* Domain ids below DOMID_FIRST_RESERVED (0x7FF0): no host has more. */
#define XV_MAX_DOMAINS 0x7FF0

/* Xen reports a set of state flags, not one state: a paused domain can also
 * be blocked, a crashed one is also shut down.  These mirror libxenstat. */
enum xv_dom_flag {
	XV_DOM_RUNNING = 1u << 0,
	XV_DOM_BLOCKED = 1u << 1,
	XV_DOM_PAUSED = 1u << 2,
	XV_DOM_SHUTDOWN = 1u << 3, /* shut down for a reason other than a crash */
	XV_DOM_CRASHED = 1u << 4,
	XV_DOM_DYING = 1u << 5,
};

/* The one state a domain is reported in, worst first when flags combine. */
enum xv_dom_state {
	XV_STATE_CRASHED,
	XV_STATE_DYING,
	XV_STATE_SHUTDOWN,
	XV_STATE_PAUSED,
	XV_STATE_RUNNING,
	XV_STATE_BLOCKED,
	XV_STATE_NONE, /* no flag at all: Xen shows "------" (runnable, not on a CPU) */
	XV_STATE_COUNT
};

/* A cumulative counter (CPU time, bytes, operations since the domain
 * started) the source does not report.  Counters are differenced between two
 * snapshots, never summed over domains: they may wrap, and a domain that
 * restarts begins again from zero. */
#define XV_COUNTER_UNKNOWN UINT64_MAX
/* The largest counter kept in KiB (guest swap traffic): it still converts to
 * bytes in 64 bits and prints exactly as a double (perfdata, metrics). */
#define XV_KIB_COUNTER_MAX (1ULL << 53)

/* What the guest itself says about its memory: its /proc/meminfo as a
 * self-ballooning guest publishes it to xenstore (memory/meminfo, as
 * xenballoond does), the virtio balloon's statistics through libvirt, a
 * scenario's figures.  The guest writes these, so a source passes them
 * through xv_guest_memory_validate() and refuses the lot rather than hand on
 * figures that cannot be true.  A field the source has no figure for is
 * XV_KIB_UNKNOWN (XV_COUNTER_UNKNOWN for the swap counters), never 0. */
enum xv_guest_report {
	XV_GUEST_NONE = 0, /* nothing: the source has no such channel, or the guest
			    * publishes nothing (no balloon daemon, no driver) */
	XV_GUEST_REPORTED, /* the known fields below are the guest's own figures */
	XV_GUEST_REFUSED,  /* the guest published figures that cannot be true;
			    * every field is unknown */
	XV_GUEST_REPORT_COUNT
};

struct xv_guest_memory {
	enum xv_guest_report report;
	uint64_t total_kib;      /* MemTotal: the RAM the guest sees; less than its
				  * allocation (the kernel keeps some for itself) */
	uint64_t free_kib;       /* MemFree */
	uint64_t available_kib;  /* MemAvailable: free plus what it can reclaim at once */
	uint64_t cached_kib;     /* Buffers + Cached: the page cache */
	uint64_t committed_kib;  /* Committed_AS: what its processes have been promised
				  * (xenballoond's self-balloon target); may exceed total */
	uint64_t swap_total_kib; /* SwapTotal */
	uint64_t swap_used_kib;  /* SwapTotal - SwapFree */
	uint64_t swap_in_kib;    /* counter: read back from swap since boot (pswpin) */
	uint64_t swap_out_kib;   /* counter: written to swap since boot (pswpout) */
};

/* Block and network traffic of a domain, summed over its devices: counters
 * (XV_COUNTER_UNKNOWN where the source has none), seen from the guest
 * (net_tx is what the guest sent). */
struct xv_domain_io {
	uint64_t disk_read_bytes, disk_write_bytes;
	uint64_t disk_read_ops, disk_write_ops;
	uint64_t net_rx_bytes, net_tx_bytes;
	uint64_t net_rx_packets, net_tx_packets;
};

/* What only some sources know of a domain, kept out of line: without it a
 * domain is half the size, and a snapshot of thousands of domains touches
 * half the memory (on a virtual machine, each page first touched costs tens
 * of microseconds).  Owned by the domain's snapshot. */
struct xv_domain_detail {
	struct xv_guest_memory guest;
	struct xv_domain_io io;
};

struct xv_domain {
	uint32_t id;
	char *name;           /* kept by the snapshot: set with xv_domain_name_set() */
	char uuid[37];        /* canonical 8-4-4-4-12 lower-case hex */
	unsigned flags;       /* enum xv_dom_flag bits */
	uint64_t cur_kib;     /* memory the domain holds now (the balloon's actual size) */
	uint64_t target_kib;  /* balloon target (xenstore memory/target) */
	uint64_t max_kib;     /* configured maximum (xenstore memory/static-max) */
	unsigned vcpus;
	uint64_t cpu_ns;      /* counter: CPU time used, all vCPUs together */
	uint64_t cpu_wait_ns; /* counter: time its vCPUs were runnable but waiting
			       * for a physical CPU (libvirt's vcpu delay); Xen
			       * shows this only as a domain with no state flag */
	/* The guest's memory and the I/O counters: NULL when the source knows
	 * none of them.  Read them through xv_domain_guest() and
	 * xv_domain_io(), write through xv_domain_detail(). */
	struct xv_domain_detail *detail;
	uint64_t uptime_ms;   /* since the domain was created; XV_UPTIME_UNKNOWN */
	uint64_t *vcpu_ns;    /* [vcpus] counters: CPU time of each vCPU, or NULL if
			       * the source does not know; owned by the snapshot */
};

struct xv_host {
	char *name;
	char *xen_version;
	/* The pool master this host follows, as the host says (a host that is
	 * its own master names itself); NULL when the source cannot tell. */
	char *pool_master;
	uint64_t total_kib;
	uint64_t free_kib;
	uint64_t dom0_kib;        /* memory held by domain 0 (XV_KIB_UNKNOWN if none) */
	uint64_t scrub_kib;       /* freed pages not yet scrubbed */
	uint64_t outstanding_kib; /* claimed for domains being built */
	unsigned cpus;            /* physical CPUs */
	uint64_t uptime_ms;       /* since the hypervisor started; XV_UPTIME_UNKNOWN */
};

struct xv_name_chunk; /* snapshot.c */

struct xv_snapshot {
	struct xv_host host;
	/* When it was taken: wall-clock milliseconds since the epoch.  The
	 * source sets it if it knows better (a scenario's `time`), else
	 * xv_source_snapshot() stamps the moment it asked.  CPU and I/O rates
	 * divide counter differences by the difference of two of these. */
	uint64_t time_ms;
	struct xv_domain *domains; /* in source order; domain 0 first on Xen */
	size_t n_domains;
	size_t alloc_domains;
	struct xv_name_chunk *names; /* where the domains' names are kept */
};

void xv_snapshot_init(struct xv_snapshot *snap);

/* Refuses what no Xen host reports, with XV_E_HOST: a host or domain without
 * a name, more than XV_MAX_DOMAINS domains or XV_MAX_VCPUS vCPUs, a memory
 * figure above XV_KIB_MAX (num.h), free memory above the total, guest figures
 * that xv_guest_memory_validate() refuses.  Every memory figure that passes can be
 * summed over all domains without overflow. */
int xv_snapshot_check(const struct xv_snapshot *snap, struct xv_error *e);
void xv_snapshot_release(struct xv_snapshot *snap);

/* Appends a zeroed domain (memory fields XV_KIB_UNKNOWN, counters
 * XV_COUNTER_UNKNOWN, uptime XV_UPTIME_UNKNOWN, no detail) and returns
 * it; the pointer is valid until the next append. */
struct xv_domain *xv_snapshot_add_domain(struct xv_snapshot *snap);
/* Names the domain with a copy of name[0..len) kept by the snapshot until it
 * is released.  Names are kept together, not malloc'd one by one: thousands
 * of small allocations were a sixth of the pages a scenario of 3000 domains
 * touched, and on a virtual machine each page first touched costs more
 * than parsing what is on it. */
void xv_domain_name_set(struct xv_snapshot *snap, struct xv_domain *d, const char *name, size_t len);
/* Room for exactly n_domains before they are added: a loader that knows
 * about how many come saves the copies of a growing array (adding more
 * still works).  Not a loose bound: on huge pages, room never used pushes
 * what is allocated after it onto another one. */
void xv_snapshot_reserve(struct xv_snapshot *snap, size_t n_domains);

/* Lookups return a borrowed pointer or NULL.  Names are compared exactly;
 * UUIDs case-insensitively. */
const struct xv_domain *xv_snapshot_find_name(const struct xv_snapshot *snap, const char *name);
const struct xv_domain *xv_snapshot_find_uuid(const struct xv_snapshot *snap, const char *uuid);
const struct xv_domain *xv_snapshot_find_id(const struct xv_snapshot *snap, uint32_t id);

enum xv_dom_state xv_domain_state(const struct xv_domain *d);

/* The domain's guest memory and I/O counters, never NULL: all unknown (no
 * guest report) when the source gave none. */
const struct xv_guest_memory *xv_domain_guest(const struct xv_domain *d);
const struct xv_domain_io *xv_domain_io(const struct xv_domain *d);
/* The domain's detail to fill in, made (all unknown) on first use. */
struct xv_domain_detail *xv_domain_detail(struct xv_domain *d);
/* A detail with nothing known and no report, as a domain starts. */
void xv_domain_detail_clear(struct xv_domain_detail *x);
/* Gives the domain a copy of `x`, unless it says nothing. */
void xv_domain_detail_set(struct xv_domain *d, const struct xv_domain_detail *x);

/* Every counter of a domain, for code that treats them alike (the state
 * kept between runs, rates, metrics). */
enum xv_counter {
	XV_CTR_CPU_NS,
	XV_CTR_CPU_WAIT_NS,
	XV_CTR_SWAP_IN_KIB,
	XV_CTR_SWAP_OUT_KIB,
	XV_CTR_DISK_READ_BYTES,
	XV_CTR_DISK_WRITE_BYTES,
	XV_CTR_DISK_READ_OPS,
	XV_CTR_DISK_WRITE_OPS,
	XV_CTR_NET_RX_BYTES,
	XV_CTR_NET_TX_BYTES,
	XV_CTR_NET_RX_PACKETS,
	XV_CTR_NET_TX_PACKETS,
	XV_CTR_COUNT
};

/* The counter's value (XV_COUNTER_UNKNOWN if the source has none). */
uint64_t xv_domain_counter(const struct xv_domain *d, enum xv_counter c);
/* Adds `v` to a counter that starts unknown (a source summing devices). */
void xv_counter_add(uint64_t *counter, uint64_t v);
/* Its name with its unit: "cpu_ns", "swap_in_kib", "net_rx_packets". */
const char *xv_counter_name(enum xv_counter c);

/* Sets every guest figure unknown, with `report` (NONE or REFUSED). */
void xv_guest_memory_clear(struct xv_guest_memory *g, enum xv_guest_report report);

/* NULL if the figures can be true, else why not ("free memory above
 * MemTotal"): each at most XV_KIB_MAX (counters XV_KIB_COUNTER_MAX); free,
 * available and cache within MemTotal, free plus cache too; swap used within
 * SwapTotal; only a REPORTED record has known figures. */
const char *xv_guest_memory_validate(const struct xv_guest_memory *g);

/* What the guest uses for itself, as free(1) shows it: MemTotal - MemFree -
 * (Buffers + Cached); XV_KIB_UNKNOWN when a part is unknown. */
uint64_t xv_guest_used_kib(const struct xv_guest_memory *g);

/* "none", "reported", "refused". */
const char *xv_guest_report_name(enum xv_guest_report r);

/* "running", "blocked", "paused", "shutdown", "crashed", "dying", "none". */
const char *xv_dom_state_name(enum xv_dom_state s);
/* Up means running or blocked (an idle guest is blocked) and nothing worse. */
bool xv_domain_is_up(const struct xv_domain *d);
/* xl's six-character state column, e.g. "-b----", into buf[7]. */
void xv_domain_flags_string(unsigned flags, char buf[7]);

/* Parses "running", "blocked", "paused", "shutdown", "crashed", "dying" (one
 * name) into a flag; -1 if unknown. */
int xv_dom_flag_parse(const char *name, unsigned *flag);

/* True if `s` is a canonical UUID (any hex case); writes it lower-cased. */
bool xv_uuid_normalize(const char *s, char out[37]);
/* The first eight characters of a UUID (it has 36) as a number that orders
 * as strcmp() orders them: a sort or a search compares these, and the whole
 * UUIDs only where they are equal. */
uint64_t xv_uuid_key(const char *uuid);

/* Writes the 16 bytes of a UUID in canonical form (8-4-4-4-12, lower case). */
void xv_uuid_format(const unsigned char bytes[16], char out[37]);

/* |current - target|, the balloon's distance from its target, or
 * XV_KIB_UNKNOWN when either is unknown.  Plugins and the MIB print this. */
uint64_t xv_domain_balloon_gap_kib(const struct xv_domain *d);

/* Sum of the guests' (not dom0's) configured maximum over physical memory,
 * in thousandths rounded to the nearest (0 when the total is unknown); a
 * guest whose maximum is unknown counts with its current memory.  The text,
 * the perfdata and the threshold all use this value. */
uint64_t xv_snapshot_overcommit_milli(const struct xv_snapshot *snap);

/* The guests' (not dom0's) vCPUs over the physical CPUs, in thousandths
 * rounded to the nearest; 0 when the CPU count is unknown. */
uint64_t xv_snapshot_vcpu_overcommit_milli(const struct xv_snapshot *snap);

/* Memory ballooned out of the guests: the sum over guests (not dom0) of
 * their configured maximum less what they hold, where both are known and the
 * maximum is the larger.  What the host could be asked for back. */
uint64_t xv_snapshot_ballooned_kib(const struct xv_snapshot *snap);

#endif
