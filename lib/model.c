/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.c: the host simulation (see model.h).
 *
 * Time is in milliseconds.  Three kinds of moments move it:
 *   - a guest's daemon period (its "tick"), every balloon interval at the
 *     guest's own phase, kept in a queue sorted by time for the guests that
 *     are active (a guest that ticks goes to the back: every other active
 *     guest ticks within one interval, so the queue stays sorted at O(1)
 *     a tick);
 *   - the whole-second boundary, where the CPU shares of the memory eaters
 *     are worked out again;
 *   - what the caller asks for (a creation's waits, the runner's waits).
 * A guest leaves the queue once nothing about it can change by itself (a
 * plain guest after boot, an idle guest at its target), so settled guests
 * cost nothing. */
#include "model.h"
#include "prng.h"
#include "balloon_law.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB_PER_MIB 1024ULL
#define KIB_PER_GIB (1024ULL * 1024ULL)
#define SECOND_MS 1000ULL

enum guest_state { G_BOOTING, G_RUNNING, G_GONE };

/* One thread of the memory eater: asleep until next_ms, or writing a chunk
 * since start with `written` done by pos_ms. */
struct thread {
	bool active;
	uint64_t next_ms;
	uint64_t pos_ms;
	uint64_t chunk_kib, written_kib;
};

struct guest {
	enum guest_state state;
	int profile;                        /* -1: adopted */
	const struct xv_model_profile *p;   /* NULL: adopted */
	bool ballooning;
	uint64_t memory_kib, maxmem_kib;
	uint64_t reserve_kib, minmem_kib;
	bool base_memtotal;
	uint64_t created_ms, boot_done_ms, phase_ms, next_tick_ms;
	uint64_t alloc_kib;
	uint64_t target_kib;    /* what the daemon aims at (self or directed) */
	uint64_t directed_kib;  /* 0: self-ballooning */
	uint64_t committed_kib; /* Committed_AS now */
	uint64_t idle_committed_kib;
	uint64_t base_ws_kib;   /* kernel + idle resident */
	uint64_t ws_kib;
	uint64_t memtotal_hw_kib;
	uint64_t idle_target_kib;
	uint64_t swap_kib;
	bool swapping, ever_swapped, settled;
	uint64_t last_swap_ms;
	/* the memory eater */
	struct thread *threads;
	unsigned nthreads, active_threads;
	unsigned vcpus;
	unsigned writer_cpus;   /* CPUs its writers can use at once (rand(): 1) */
	uint64_t floor_kib;     /* minmb() of memtotal_hw_kib */
	unsigned cpu_permille;  /* of the CPU it wants, what it gets this second */
	uint64_t adv_ms;        /* its eater has been moved to here */
	struct xv_rng rng;
	bool queued;            /* in the queue of active guests */
	bool dirty;
};

/* A queue entry keeps its key, so ordering touches no guest. */
struct slot {
	uint64_t at_ms;
	int id;
};

struct xv_model {
	struct xv_model_host host;
	const struct xv_model_profile *profiles;
	unsigned nprofiles;
	struct xv_model_params par;
	uint64_t seed;
	uint64_t now_ms;
	uint64_t next_second_ms;
	uint64_t work;
	bool shares_stale;      /* an eater's CPU demand changed since the shares */
	uint64_t dom0_kib;
	uint64_t guests_kib;    /* Σ alloc + overhead of live guests */
	uint64_t memory_kib, swap_kib;
	unsigned alive, booting, swapping;
	unsigned count[XV_MODEL_MAX_PROFILES];
	uint64_t prof_alloc[XV_MODEL_MAX_PROFILES];
	unsigned cpu_demand_milli, cpu_used_milli, waiting;
	struct guest *guests;
	unsigned nguests;
	size_t guests_alloc;
	struct slot *queue;     /* active guests by next_tick_ms: [qhead, qhead + nq) */
	size_t qhead, nq, queue_alloc;
	int *workers;           /* live guests with a workload */
	size_t nworkers, workers_alloc;
	int *dirty;
	size_t ndirty, dirty_alloc;
	int *changed;           /* handed out by xv_model_changed() */
	size_t changed_alloc;
	unsigned *cpu_scratch;
	size_t cpu_scratch_alloc;
	xv_model_event_fn sink;
	void *sink_ctx;
};

/* --- defaults -------------------------------------------------------------- */

void xv_model_params_defaults(struct xv_model_params *p)
{
	memset(p, 0, sizeof(*p));
	p->domain_overhead_kib = 1 * KIB_PER_MIB;
	p->balloon_interval_ms = 1000;
	p->down_hysteresis = 10;
	p->up_hysteresis = 1;
	/* the lab's busybox PV guests were ready 13-19 s after creation under
	 * TCG on a machine at load 15-22 (../shared/FACTS.md); 4-7 s on a
	 * quiet one, which the lab's plan sets (docs/bench.md) */
	p->boot_ms = 13 * SECOND_MS;
	p->boot_jitter_ms = 6 * SECOND_MS;
	p->settle_tolerance_kib = 64 * KIB_PER_MIB;
	p->swap_quiet_ms = 60 * SECOND_MS;
}

/* Guest kernel memory: text, data and slab, plus the struct page array
 * (56 bytes per 4 KiB page) a PV kernel sizes for its maximum at boot. */
#define GUEST_KERNEL_BASE_KIB (24 * KIB_PER_MIB)
#define MEM_MAP_BYTES_PER_PAGE 56

void xv_model_profile_defaults(struct xv_model_profile *p)
{
	uint64_t pages = p->maxmem_kib / 4;

	p->kernel_kib = GUEST_KERNEL_BASE_KIB + pages * MEM_MAP_BYTES_PER_PAGE / 1024;
	p->reserve_kib = 0;
	p->base_memtotal = false;
	p->committed_kib = 380 * KIB_PER_MIB;
	p->resident_kib = 120 * KIB_PER_MIB;
	p->minmem_kib = 0;
	p->threads = 0;
	p->thread_alloc_kib = 0;
	p->chunk_max_kib = 0;
	p->write_rate_kib_s = 0;
	p->sleep_max_ms = 0;
	p->stack_kib = 0;
	if (p->image == XV_MODEL_STRESS) {
		/* seed 2.4.4: 4 threads, 1 GB malloc()ed, up to 512 MB of
		 * random data written, freed, sleep up to 63 s */
		p->threads = 4;
		p->thread_alloc_kib = 1 * KIB_PER_GIB;
		p->chunk_max_kib = 512 * KIB_PER_MIB;
		p->sleep_max_ms = 63 * SECOND_MS;
		/* xvb-stress's rand() writer, one thread with a CPU:
		 * 43.3 MiB per CPU-second, the mean of ten runs
		 * (docs/bench-measured/xvb-stress-rate.txt) */
		p->write_rate_kib_s = 43 * KIB_PER_MIB;
		p->serial_writers = true;
		/* glibc sizes thread stacks by RLIMIT_STACK, 10 MiB on EL5 */
		p->stack_kib = 10 * KIB_PER_MIB;
	}
}

uint64_t xv_model_xen_overhead_kib(uint64_t memory_kib)
{
	uint64_t pages = memory_kib / 4;

	/* Per 4 KiB page of RAM: 32 bytes of frame table (struct page_info),
	 * 8 of machine-to-phys table, 4 of its 32-bit compat copy; plus the
	 * hypervisor's text, heap and per-CPU data. */
	return pages * (32 + 8 + 4) / 1024 + 32 * KIB_PER_MIB;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The MemTotal a guest starts with: memory= less the boot reserve. */
static uint64_t boot_memtotal(uint64_t memory_kib, uint64_t reserve_kib)
{
	return memory_kib > reserve_kib ? memory_kib - reserve_kib : 0;
}

uint64_t xv_model_idle_target_kib(const struct xv_model_profile *p)
{
	if (p->image == XV_MODEL_PLAIN)
		return p->memory_kib;
	return xv_balloon_settled_kib(p->committed_kib + p->threads * p->stack_kib,
				      boot_memtotal(p->memory_kib, p->reserve_kib), p->minmem_kib,
				      p->maxmem_kib);
}

/* --- bookkeeping ------------------------------------------------------------ */

static void emit(struct xv_model *m, enum xv_model_event_kind kind, int guest, uint64_t v1,
		 uint64_t v2)
{
	struct xv_model_event ev = {
		.time_ms = m->now_ms, .kind = kind, .guest = guest,
		.profile = guest >= 0 ? m->guests[guest].profile : -1,
		.value_kib = v1, .value2_kib = v2,
	};

	if (m->sink)
		m->sink(m->sink_ctx, &ev);
}

static void mark(struct xv_model *m, int id)
{
	struct guest *g = &m->guests[id];

	if (g->dirty)
		return;
	g->dirty = true;
	m->dirty = xv_grow(m->dirty, sizeof(*m->dirty), m->ndirty + 1, &m->dirty_alloc);
	m->dirty[m->ndirty++] = id;
}

/* Every change of a guest's allocation goes through here, so the host's
 * sums stay exact without a pass over all guests. */
static void set_alloc(struct xv_model *m, int id, uint64_t kib)
{
	struct guest *g = &m->guests[id];

	if (kib == g->alloc_kib)
		return;
	m->guests_kib = m->guests_kib - g->alloc_kib + kib;
	if (g->profile >= 0)
		m->prof_alloc[g->profile] = m->prof_alloc[g->profile] - g->alloc_kib + kib;
	g->alloc_kib = kib;
	mark(m, id);
}

static void set_swap(struct xv_model *m, int id)
{
	struct guest *g = &m->guests[id];
	uint64_t swap = g->ws_kib > g->alloc_kib ? g->ws_kib - g->alloc_kib : 0;

	if (swap == g->swap_kib)
		return;
	m->swap_kib = m->swap_kib - g->swap_kib + swap;
	if (!g->swap_kib != !swap)
		m->swapping += swap ? 1 : -1u;
	g->swap_kib = swap;
	mark(m, id);
}

static uint64_t host_free(const struct xv_model *m)
{
	uint64_t used = m->host.xen_kib + m->dom0_kib + m->guests_kib;

	return used < m->host.memory_kib ? m->host.memory_kib - used : 0;
}

/* --- the queue of active guests ------------------------------------------------ */

static bool before(const struct slot *x, const struct slot *y)
{
	return x->at_ms < y->at_ms || (x->at_ms == y->at_ms && x->id < y->id);
}

/* Puts a guest in the queue at next_tick_ms, looking from the back (where
 * a guest that just ticked belongs). */
static void enqueue(struct xv_model *m, int id)
{
	struct slot v = { m->guests[id].next_tick_ms, id };
	size_t i;

	if (m->qhead + m->nq == m->queue_alloc) {
		if (m->qhead > m->nq) {
			memmove(m->queue, m->queue + m->qhead, m->nq * sizeof(*m->queue));
			m->qhead = 0;
		} else {
			m->queue = xv_grow(m->queue, sizeof(*m->queue), m->qhead + m->nq + 1,
					   &m->queue_alloc);
		}
	}
	i = m->qhead + m->nq;
	if (i > m->qhead && before(&v, &m->queue[i - 1]))
		for (; i > m->qhead && before(&v, &m->queue[i - 1]); i--)
			m->queue[i] = m->queue[i - 1];
	m->queue[i] = v;
	m->nq++;
	m->guests[id].queued = true;
}

static int dequeue_front(struct xv_model *m)
{
	int id = m->queue[m->qhead].id;

	m->qhead++;
	if (!--m->nq)
		m->qhead = 0;
	m->guests[id].queued = false;
	return id;
}

static void dequeue(struct xv_model *m, int id)
{
	for (size_t i = m->qhead; i < m->qhead + m->nq; i++) {
		if (m->queue[i].id != id)
			continue;
		memmove(m->queue + i, m->queue + i + 1, (m->qhead + m->nq - i - 1) * sizeof(*m->queue));
		if (!--m->nq)
			m->qhead = 0;
		break;
	}
	m->guests[id].queued = false;
}

/* The guest's next daemon period at or after `t`. */
static uint64_t next_tick(const struct xv_model *m, const struct guest *g, uint64_t t)
{
	uint64_t iv = m->par.balloon_interval_ms, first = g->boot_done_ms + g->phase_ms;

	if (t <= first)
		return first;
	return first + (t - first + iv - 1) / iv * iv;
}

static void activate(struct xv_model *m, int id)
{
	struct guest *g = &m->guests[id];

	if (g->queued || g->state == G_GONE)
		return;
	g->next_tick_ms = g->state == G_BOOTING ? g->boot_done_ms : next_tick(m, g, m->now_ms);
	enqueue(m, id);
}

/* --- CPUs ------------------------------------------------------------------------ */

/* What a guest's eater asks of the CPUs: one per active thread, at most its
 * vCPUs. */
static unsigned writer_cpus(const struct guest *g)
{
	return g->writer_cpus;
}

static unsigned cpu_demand(const struct guest *g)
{
	unsigned cpus = writer_cpus(g);

	return (g->active_threads < cpus ? g->active_threads : cpus) * 1000;
}

/* The eaters' demands in ascending order into cpu_scratch.  Demands are
 * whole CPUs (at most 512, the most vCPUs a guest has): a counting sort. */
static void sort_demands(struct xv_model *m)
{
	unsigned counts[513], k = 0, top = 0;

	m->cpu_scratch = xv_grow(m->cpu_scratch, sizeof(*m->cpu_scratch), m->nworkers,
				 &m->cpu_scratch_alloc);
	counts[0] = 0;
	for (size_t i = 0; i < m->nworkers; i++) {
		unsigned d = cpu_demand(&m->guests[m->workers[i]]) / 1000;

		d = d < 512 ? d : 512;
		while (top < d)
			counts[++top] = 0;
		counts[d]++;
	}
	for (unsigned d = 0; d <= top; d++)
		for (unsigned c = 0; c < counts[d]; c++)
			m->cpu_scratch[k++] = d * 1000;
}

/* Xen's credit scheduler with equal weights: when the domains want more
 * CPUs than there are, each gets the same share, a domain that wants less
 * than that share keeps what it wants and the rest is shared again (water
 * filling).  Idle domains (dom0, clean and plain guests) want nothing.
 * Each eater learns which fraction of its demand it gets (a thread that
 * wakes later in the second gets the level the others got). */
static void share_cpus(struct xv_model *m)
{
	uint64_t total = (uint64_t)m->host.cpus * 1000, demand = 0, level = UINT64_MAX, left = total;
	uint64_t spare;
	size_t n = m->nworkers;

	m->waiting = 0;
	for (size_t i = 0; i < n; i++)
		demand += cpu_demand(&m->guests[m->workers[i]]);
	m->cpu_demand_milli = (unsigned)demand;
	if (m->host.cpus && demand > total) {
		sort_demands(m);
		/* the level every domain that wants more gets */
		for (size_t k = 0; k < n; k++) {
			uint64_t d = m->cpu_scratch[k];
			if (d * (n - k) > left) {
				level = left / (n - k);
				break;
			}
			left -= d;
		}
	}
	/* what a domain that wants nothing now would get if a thread woke */
	if (!m->host.cpus || total - (demand < total ? demand : total) >= 1000)
		spare = 1000;
	else if (level != UINT64_MAX)
		spare = level < 1000 ? level : 1000;
	else
		spare = total - demand;
	m->cpu_used_milli = 0;
	for (size_t i = 0; i < n; i++) {
		struct guest *g = &m->guests[m->workers[i]];
		uint64_t d = cpu_demand(g), got = d <= level ? d : level;

		m->cpu_used_milli += (unsigned)got;
		if (got < d)
			m->waiting++;
		if (d)
			g->cpu_permille = (unsigned)(got * 1000 / d);
		else
			g->cpu_permille = (unsigned)spare;
	}
}

/* --- the memory eater ----------------------------------------------------------- */

/* Moves every thread of guest g to time t at a CPU share of `permille`.
 * The threads share their guest's CPUs as they did at its previous period
 * (how many were busy then): a balloon period's resolution. */
static void workload_segment(struct guest *g, uint64_t t, unsigned permille)
{
	const struct xv_model_profile *p = g->p;
	uint64_t busy = g->active_threads ? g->active_threads : 1, rate;

	/* each active thread's rate: its guest's vCPUs shared by its busy
	 * threads, at the fraction of them the host gives */
	rate = p->write_rate_kib_s * (busy < g->writer_cpus ? busy : g->writer_cpus) / busy *
	       permille / 1000;
	for (unsigned i = 0; i < g->nthreads; i++) {
		struct thread *th = &g->threads[i];

		for (;;) {
			if (!th->active) {
				if (th->next_ms > t)
					break;
				/* wakes: malloc() (committed at once), then writes */
				th->active = true;
				th->pos_ms = th->next_ms;
				th->chunk_kib = xv_rng_range(&g->rng, 1, p->chunk_max_kib);
				th->written_kib = 0;
				continue;
			}
			if (th->pos_ms >= t)
				break;
			{
				uint64_t dt = t - th->pos_ms;
				uint64_t can = dt == 1000 ? rate : rate * dt / 1000;
				uint64_t left = th->chunk_kib - th->written_kib;

				if (rate && can >= left) {
					uint64_t need = (left * 1000 + rate - 1) / rate;
					uint64_t end = th->pos_ms + (need ? need : 1);

					/* free(), then sleep whole seconds */
					th->active = false;
					th->written_kib = 0;
					th->next_ms = end + xv_rng_range(&g->rng, 0, p->sleep_max_ms / 1000) *
							    SECOND_MS;
					continue;
				}
				th->written_kib += can;
				th->pos_ms = t;
			}
		}
	}
}

/* Moves the eater of guest id to time t and sets the guest's Committed_AS
 * and working set as they are at t.  The stretch since the guest's previous
 * period runs at the CPU share worked out last (at most a second old: the
 * balloon period's own resolution). */
static void advance_workload(struct xv_model *m, int id, uint64_t t)
{
	struct guest *g = &m->guests[id];
	const struct xv_model_profile *p = g->p;
	uint64_t written = 0;
	unsigned active = 0;

	if (t <= g->adv_ms)
		return;
	workload_segment(g, t, g->cpu_permille);
	g->adv_ms = t;
	for (unsigned i = 0; i < g->nthreads; i++) {
		active += g->threads[i].active;
		written += g->threads[i].written_kib; /* 0 while asleep */
	}
	if ((active < g->writer_cpus ? active : g->writer_cpus) !=
	    (g->active_threads < g->writer_cpus ? g->active_threads : g->writer_cpus))
		m->shares_stale = true;
	g->active_threads = active;
	g->committed_kib = g->idle_committed_kib + g->nthreads * p->stack_kib +
			   active * p->thread_alloc_kib;
	g->ws_kib = g->base_ws_kib + written;
	mark(m, id);
}

/* --- a daemon period ------------------------------------------------------------ */

static void boot_finished(struct xv_model *m, int id)
{
	struct guest *g = &m->guests[id];

	g->state = G_RUNNING;
	m->booting--;
	mark(m, id);
	/* rc.local starts the eater as boot ends: every thread wakes */
	for (unsigned i = 0; i < g->nthreads; i++) {
		g->threads[i].active = false;
		g->threads[i].next_ms = g->boot_done_ms;
	}
	if (g->nthreads) {
		m->workers = xv_grow(m->workers, sizeof(*m->workers), m->nworkers + 1,
				     &m->workers_alloc);
		m->workers[m->nworkers++] = id;
		m->shares_stale = true;
		g->cpu_permille = 1000;
		g->adv_ms = g->boot_done_ms;
	}
}

/* One period of guest id at m->now_ms; false when it has nothing left to
 * do by itself (it leaves the queue). */
static bool tick(struct xv_model *m, int id)
{
	struct guest *g = &m->guests[id];
	const struct xv_model_params *par = &m->par;
	uint64_t t = m->now_ms, free_kib, want;
	bool moving = false;

	if (g->state == G_BOOTING) {
		boot_finished(m, id);
		if (!g->ballooning && !g->nthreads)
			return false;
		/* the daemon's first period comes at its phase */
		g->next_tick_ms = g->boot_done_ms + g->phase_ms;
		return true;
	}
	if (g->nthreads)
		advance_workload(m, id, t);
	if (g->ballooning) {
		uint64_t memtotal = boot_memtotal(g->alloc_kib, g->reserve_kib);
		uint64_t base = g->base_memtotal ? memtotal : g->alloc_kib, next, target;

		/* the daemon stores the highest MemTotal it has seen */
		if (memtotal > g->memtotal_hw_kib) {
			g->memtotal_hw_kib = memtotal;
			g->floor_kib = xv_balloon_floor_kib(memtotal, g->minmem_kib);
		}
		target = g->directed_kib ? g->directed_kib
			 : xv_balloon_selftarget_kib(g->committed_kib, g->floor_kib);
		target = min_u64(target, g->maxmem_kib);
		if (target != g->target_kib) {
			g->target_kib = target;
			mark(m, id);
		}
		next = min_u64(xv_balloon_step_kib(base, target, par->down_hysteresis, par->up_hysteresis),
			       g->maxmem_kib);
		if (next < g->alloc_kib) {
			set_alloc(m, id, next);
			moving = true;
		} else if (next > g->alloc_kib) {
			/* the driver takes what Xen can give now; xenballoond
			 * asks again next period */
			free_kib = host_free(m);
			want = min_u64(next - g->alloc_kib, free_kib);
			set_alloc(m, id, g->alloc_kib + want);
			moving = true;
		}
	}
	set_swap(m, id);
	if (g->swap_kib) {
		if (!g->swapping && (!g->ever_swapped || t - g->last_swap_ms >= par->swap_quiet_ms))
			emit(m, XV_MODEL_EV_SWAP_ON, id, g->swap_kib, 0);
		g->swapping = g->ever_swapped = true;
		g->last_swap_ms = t;
	} else {
		g->swapping = false;
	}
	if (g->ballooning && !g->settled && g->alloc_kib <= g->idle_target_kib + par->settle_tolerance_kib) {
		g->settled = true;
		emit(m, XV_MODEL_EV_SETTLED, id, g->alloc_kib, 0);
	}
	/* an idle guest whose daemon left it where it was stays there */
	return g->nthreads || moving;
}

/* At a whole second: new CPU shares, from what each eater was doing at its
 * last period.  An eater that was not moved on since the shares before (a
 * balloon period longer than a second) is moved on now, at those. */
static void second(struct xv_model *m)
{
	if (m->par.balloon_interval_ms > SECOND_MS)
		for (size_t i = 0; i < m->nworkers; i++)
			advance_workload(m, m->workers[i], m->now_ms);
	if (m->shares_stale)
		share_cpus(m);
	m->shares_stale = false;
}

void xv_model_advance(struct xv_model *m, uint64_t ms)
{
	uint64_t until = m->now_ms + ms;

	for (;;) {
		uint64_t next = m->next_second_ms;
		bool is_tick = false;

		if (m->nq && m->queue[m->qhead].at_ms < next) {
			next = m->queue[m->qhead].at_ms;
			is_tick = true;
		}
		if (next > until)
			break;
		m->now_ms = next;
		if (!is_tick) {
			second(m);
			m->next_second_ms += SECOND_MS;
			continue;
		}
		{
			int id = dequeue_front(m);
			struct guest *g = &m->guests[id];

			m->work += 1 + g->nthreads;
			if (tick(m, id)) {
				if (g->next_tick_ms <= m->now_ms)
					g->next_tick_ms = m->now_ms + m->par.balloon_interval_ms;
				enqueue(m, id);
			}
		}
	}
	m->now_ms = until;
}

uint64_t xv_model_now_ms(const struct xv_model *m)
{
	return m->now_ms;
}

uint64_t xv_model_work(const struct xv_model *m)
{
	return m->work;
}

/* --- life cycle ------------------------------------------------------------------ */

struct xv_model *xv_model_new(const struct xv_model_host *host,
			      const struct xv_model_profile *profiles, unsigned nprofiles,
			      const struct xv_model_params *params, uint64_t seed)
{
	struct xv_model *m = xv_calloc(1, sizeof(*m));

	m->host = *host;
	m->profiles = profiles;
	m->nprofiles = nprofiles < XV_MODEL_MAX_PROFILES ? nprofiles : XV_MODEL_MAX_PROFILES;
	m->par = *params;
	if (!m->par.balloon_interval_ms)
		m->par.balloon_interval_ms = 1000;
	m->seed = seed;
	m->dom0_kib = host->dom0_kib;
	m->next_second_ms = SECOND_MS;
	return m;
}

void xv_model_free(struct xv_model *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nguests; i++)
		free(m->guests[i].threads);
	free(m->guests);
	free(m->queue);
	free(m->workers);
	free(m->dirty);
	free(m->changed);
	free(m->cpu_scratch);
	free(m);
}

void xv_model_set_event_sink(struct xv_model *m, xv_model_event_fn fn, void *ctx)
{
	m->sink = fn;
	m->sink_ctx = ctx;
}

unsigned xv_model_guest_count(const struct xv_model *m)
{
	return m->nguests;
}

static struct guest *new_guest(struct xv_model *m, int *id)
{
	struct guest *g;
	size_t n = m->nguests;

	m->guests = xv_grow(m->guests, sizeof(*m->guests), n + 1, &m->guests_alloc);
	g = &m->guests[n];
	memset(g, 0, sizeof(*g));
	/* each guest draws from its own stream, so adding a guest does not
	 * change what the others do */
	xv_rng_seed(&g->rng, m->seed + 0x9e3779b97f4a7c15ULL * (n + 1));
	g->created_ms = m->now_ms;
	m->nguests++;
	m->alive++;
	*id = (int)n;
	return g;
}

/* Sets dom0's balloon target; dom0's driver reaches it at once. */
static void set_dom0(struct xv_model *m, uint64_t target_kib)
{
	if (target_kib >= m->dom0_kib)
		return; /* neither toolstack grows dom0 back */
	emit(m, XV_MODEL_EV_DOM0_BALLOON, -1, m->dom0_kib, target_kib);
	m->dom0_kib = target_kib;
}

/* One of the toolstack's waits for free memory; 0 or -1 with its message. */
static int wait_for_memory(struct xv_model *m, uint64_t need_kib, char *msg, size_t msglen)
{
	struct xv_toolstack_host th = {
		.toolstack = m->host.toolstack, .autoballoon = m->host.dom0_autoballoon,
		.total_kib = m->host.memory_kib,
		.dom0_floor_kib = xv_toolstack_dom0_floor_kib(m->host.toolstack, m->host.dom0_floor_kib),
	};
	struct xv_creation c;
	struct xv_creation_action act;

	xv_creation_begin(&c, &th, need_kib);
	for (;;) {
		xv_creation_look(&c, host_free(m), m->dom0_kib, &act);
		if (act.set_dom0)
			set_dom0(m, act.dom0_target_kib);
		switch (act.step) {
		case XV_CREATION_BUILD:
			return 0;
		case XV_CREATION_FAIL:
			xv_strlcpy(msg, act.message, msglen);
			return -1;
		case XV_CREATION_WAIT:
			xv_model_advance(m, act.wait_ms);
			break;
		}
	}
}

int xv_model_create(struct xv_model *m, unsigned profile, const char *name, int *id,
		    struct xv_error *e)
{
	const struct xv_model_profile *p;
	struct guest *g;
	char msg[256];
	uint64_t need, build;

	if (profile >= m->nprofiles)
		return xv_error(e, XV_E_SOFTWARE, "cannot create '%s': no profile %u", name, profile);
	p = &m->profiles[profile];
	need = xv_toolstack_need_kib(m->host.toolstack, p->memory_kib, p->maxmem_kib);
	/* xend makes sure of 4 MiB before the domain exists, then of the
	 * whole need before it builds it */
	if ((m->host.toolstack == XV_TOOLSTACK_XEND && wait_for_memory(m, 4 * KIB_PER_MIB, msg, sizeof(msg))) ||
	    wait_for_memory(m, need, msg, sizeof(msg)))
		return xv_error(e, XV_E_HOST, "cannot create '%s': %s", name, msg);
	build = p->memory_kib + m->par.domain_overhead_kib;
	if (host_free(m) < build)
		return xv_error(e, XV_E_HOST, "cannot create '%s': Xen has %llu KiB free, the domain needs %llu",
				name, (unsigned long long)host_free(m), (unsigned long long)build);
	g = new_guest(m, id);
	g->profile = (int)profile;
	g->p = p;
	g->ballooning = p->image != XV_MODEL_PLAIN;
	g->memory_kib = p->memory_kib;
	g->maxmem_kib = p->maxmem_kib;
	g->reserve_kib = p->reserve_kib;
	g->minmem_kib = p->minmem_kib;
	g->base_memtotal = p->base_memtotal;
	g->vcpus = p->vcpus ? p->vcpus : 1;
	g->state = G_BOOTING;
	g->boot_done_ms = m->now_ms + m->par.boot_ms +
			  (m->par.boot_jitter_ms ? xv_rng_range(&g->rng, 0, m->par.boot_jitter_ms) : 0);
	g->phase_ms = 1 + xv_rng_below(&g->rng, m->par.balloon_interval_ms);
	g->idle_committed_kib = p->committed_kib;
	g->committed_kib = p->committed_kib;
	g->base_ws_kib = p->kernel_kib + p->resident_kib;
	g->ws_kib = g->base_ws_kib;
	g->memtotal_hw_kib = boot_memtotal(p->memory_kib, p->reserve_kib);
	g->idle_target_kib = xv_model_idle_target_kib(p);
	g->nthreads = p->image == XV_MODEL_STRESS ? p->threads : 0;
	g->writer_cpus = p->serial_writers ? 1 : g->vcpus;
	g->floor_kib = xv_balloon_floor_kib(g->memtotal_hw_kib, g->minmem_kib);
	g->threads = g->nthreads ? xv_calloc(g->nthreads, sizeof(*g->threads)) : NULL;
	/* a new guest holds its whole memory= while it boots */
	g->alloc_kib = 0;
	m->guests_kib += m->par.domain_overhead_kib;
	set_alloc(m, *id, p->memory_kib);
	g->target_kib = g->ballooning ? g->alloc_kib : p->memory_kib;
	m->memory_kib += p->memory_kib;
	m->count[profile]++;
	m->booting++;
	activate(m, *id);
	return 0;
}

int xv_model_adopt(struct xv_model *m, const struct xv_model_adopted *a, int *id)
{
	struct guest *g = new_guest(m, id);

	g->profile = -1;
	g->ballooning = a->ballooning;
	g->memory_kib = a->alloc_kib;
	g->maxmem_kib = a->maxmem_kib > a->alloc_kib ? a->maxmem_kib : a->alloc_kib;
	g->vcpus = 1;
	g->state = G_RUNNING;
	g->boot_done_ms = m->now_ms;
	g->phase_ms = 1 + xv_rng_below(&g->rng, m->par.balloon_interval_ms);
	g->idle_committed_kib = g->committed_kib = a->committed_kib;
	g->base_ws_kib = g->ws_kib = a->working_kib;
	g->memtotal_hw_kib = a->memtotal_hw_kib;
	g->floor_kib = xv_balloon_floor_kib(g->memtotal_hw_kib, 0);
	g->directed_kib = a->target_kib;
	m->guests_kib += m->par.domain_overhead_kib;
	set_alloc(m, *id, a->alloc_kib);
	g->target_kib = g->alloc_kib;
	g->idle_target_kib = g->ballooning
		? min_u64(a->target_kib ? a->target_kib
			  : xv_balloon_settled_kib(a->committed_kib, a->memtotal_hw_kib, 0, g->maxmem_kib),
			  g->maxmem_kib)
		: a->alloc_kib;
	g->settled = !g->ballooning || g->alloc_kib <= g->idle_target_kib;
	m->memory_kib += a->alloc_kib;
	set_swap(m, *id);
	if (g->ballooning)
		activate(m, *id);
	return 0;
}

static struct guest *find(const struct xv_model *m, int id, struct xv_error *e)
{
	if (id < 0 || (unsigned)id >= m->nguests || m->guests[id].state == G_GONE) {
		if (e)
			xv_error(e, XV_E_SOFTWARE, "no guest with id %d", id);
		return NULL;
	}
	return &m->guests[id];
}

int xv_model_set_target(struct xv_model *m, int id, uint64_t target_kib, struct xv_error *e)
{
	struct guest *g = find(m, id, e);

	if (!g)
		return -1;
	if (!g->ballooning)
		return xv_error(e, XV_E_UNSUPPORTED, "guest %d runs a plain image: it has no balloon driver",
				id);
	if (target_kib > g->maxmem_kib)
		return xv_error(e, XV_E_DATA, "target %llu KiB is above guest %d's maxmem of %llu KiB",
				(unsigned long long)target_kib, id, (unsigned long long)g->maxmem_kib);
	g->directed_kib = target_kib;
	activate(m, id);
	return 0;
}

int xv_model_destroy(struct xv_model *m, int id, struct xv_error *e)
{
	struct guest *g = find(m, id, e);

	if (!g)
		return -1;
	if (g->queued)
		dequeue(m, id);
	for (size_t i = 0; i < m->nworkers; i++) {
		if (m->workers[i] == id) {
			m->workers[i] = m->workers[--m->nworkers];
			m->shares_stale = true;
			break;
		}
	}
	if (g->state == G_BOOTING)
		m->booting--;
	g->ws_kib = 0;
	set_alloc(m, id, 0);
	set_swap(m, id);
	m->guests_kib -= m->par.domain_overhead_kib;
	m->memory_kib -= g->memory_kib;
	if (g->profile >= 0)
		m->count[g->profile]--;
	m->alive--;
	g->state = G_GONE;
	free(g->threads);
	g->threads = NULL;
	g->nthreads = g->active_threads = 0;
	return 0;
}

void xv_model_host_state(const struct xv_model *m, struct xv_model_host_state *out)
{
	memset(out, 0, sizeof(*out));
	out->total_kib = m->host.memory_kib;
	out->xen_kib = m->host.xen_kib;
	out->dom0_kib = m->dom0_kib;
	out->guests_kib = m->guests_kib;
	out->free_kib = host_free(m);
	out->memory_kib = m->memory_kib;
	out->swap_kib = m->swap_kib;
	out->guests = m->alive;
	out->booting = m->booting;
	out->swapping = m->swapping;
	out->cpu_demand_milli = m->cpu_demand_milli;
	out->cpu_used_milli = m->cpu_used_milli;
	out->waiting = m->waiting;
	for (unsigned p = 0; p < m->nprofiles; p++) {
		out->count[p] = m->count[p];
		out->alloc_kib[p] = m->prof_alloc[p];
	}
}

int xv_model_guest(const struct xv_model *m, int id, struct xv_model_guest_state *out)
{
	const struct guest *g = find(m, id, NULL);

	if (!g)
		return -1;
	out->memory_kib = g->memory_kib;
	out->maxmem_kib = g->maxmem_kib;
	out->alloc_kib = g->alloc_kib;
	out->target_kib = g->target_kib;
	out->committed_kib = g->committed_kib;
	out->ws_kib = g->ws_kib;
	out->swap_kib = g->swap_kib;
	out->profile = g->profile;
	out->booting = g->state == G_BOOTING;
	out->ballooning = g->ballooning;
	return 0;
}

void xv_model_changed(struct xv_model *m, const int **ids, size_t *n)
{
	size_t k = 0;

	m->changed = xv_grow(m->changed, sizeof(*m->changed), m->ndirty ? m->ndirty : 1,
			     &m->changed_alloc);
	for (size_t i = 0; i < m->ndirty; i++) {
		int id = m->dirty[i];

		m->guests[id].dirty = false;
		if (m->guests[id].state != G_GONE)
			m->changed[k++] = id;
	}
	m->ndirty = 0;
	*ids = m->changed;
	*n = k;
}
