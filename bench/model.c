/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.c: the host memory simulation behind the model driver. */
#include "model.h"
#include "prng.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum guest_state { G_BOOTING, G_RUNNING, G_GONE };

/* One thread of the stress workload: sleeps, then holds thread_alloc of
 * committed memory while it writes a random chunk, then frees it. */
struct thread {
	bool active;
	uint64_t next_ms;  /* sleeping: when it wakes; active: when it frees */
	uint64_t start_ms; /* when the current write began */
	uint64_t chunk_kib;
};

struct guest {
	const struct xv_bench_profile *p;
	unsigned profile;
	enum guest_state state;
	uint64_t created_ms, boot_done_ms;
	uint64_t alloc_kib;     /* Xen's allocation to it */
	uint64_t target_kib;    /* balloon target in force */
	uint64_t directed_kib;  /* set by the toolstack; 0: self-ballooning */
	uint64_t committed_kib; /* Committed_AS */
	uint64_t ws_kib;        /* working set */
	uint64_t floor_kib, idle_target_kib;
	bool swapping, ever_swapped, settled;
	uint64_t last_swap_ms;
	struct xv_rng rng;
	struct thread *threads;
};

struct xv_model {
	const struct xv_bench_plan *plan;
	const struct xv_bench_model_params *par;
	uint64_t seed;
	uint64_t step_ms;  /* time of the last balloon period boundary */
	uint64_t carry_ms; /* time asked for beyond it */
	uint64_t dom0_kib;
	struct xv_rng rng; /* host-level choices: who balloons up first */
	struct guest *guests;
	unsigned nguests;
	size_t guests_alloc;
	xv_bench_event_fn sink;
	void *sink_ctx;
};

static void emit(struct xv_model *m, enum xv_bench_event_kind kind, int guest, uint64_t v1,
		 uint64_t v2)
{
	struct xv_bench_event ev = {
		.time_ms = m->step_ms + m->carry_ms, .kind = kind, .guest = guest,
		.profile = guest >= 0 ? (int)m->guests[guest].profile : -1,
		.value_kib = v1, .value2_kib = v2,
	};

	if (m->sink)
		m->sink(m->sink_ctx, &ev);
}

static bool ballooning(const struct guest *g)
{
	return g->p->image != XV_IMAGE_PLAIN;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

struct xv_model *xv_model_new(const struct xv_bench_plan *plan, uint64_t seed)
{
	struct xv_model *m = xv_calloc(1, sizeof(*m));

	m->plan = plan;
	m->par = &plan->model;
	m->seed = seed;
	m->dom0_kib = plan->host.dom0_kib;
	xv_rng_seed(&m->rng, seed);
	return m;
}

void xv_model_free(struct xv_model *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nguests; i++)
		free(m->guests[i].threads);
	free(m->guests);
	free(m);
}

void xv_model_set_event_sink(struct xv_model *m, xv_bench_event_fn fn, void *ctx)
{
	m->sink = fn;
	m->sink_ctx = ctx;
}

uint64_t xv_model_now_ms(const struct xv_model *m)
{
	return m->step_ms + m->carry_ms;
}

unsigned xv_model_guest_count(const struct xv_model *m)
{
	return m->nguests;
}

static uint64_t guests_kib(const struct xv_model *m)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < m->nguests; i++)
		if (m->guests[i].state != G_GONE)
			sum += m->guests[i].alloc_kib + m->par->domain_overhead_kib;
	return sum;
}

static uint64_t host_free(const struct xv_model *m)
{
	uint64_t used = m->plan->host.xen_kib + m->dom0_kib + guests_kib(m);
	uint64_t total = m->plan->host.memory_kib;

	return used < total ? total - used : 0;
}

/* Moves every thread of a running stress guest to time t and sets the
 * guest's Committed_AS and working set as they are at t. */
static void advance_workload(struct guest *g, uint64_t t)
{
	const struct xv_bench_profile *p = g->p;
	uint64_t committed = p->committed_kib + p->threads * p->stack_kib;
	uint64_t ws = p->kernel_kib + p->resident_kib;

	for (unsigned i = 0; i < p->threads; i++) {
		struct thread *th = &g->threads[i];

		while (th->next_ms <= t) {
			if (!th->active) {
				uint64_t write_ms;
				th->active = true;
				th->start_ms = th->next_ms;
				th->chunk_kib = xv_rng_range(&g->rng, 1, p->chunk_max_kib);
				write_ms = th->chunk_kib * 1000 / p->write_rate_kib_s;
				/* malloc(), the first touch and free() take at
				 * least a millisecond; it also keeps time moving */
				th->next_ms += write_ms ? write_ms : 1;
			} else {
				th->active = false;
				th->next_ms += xv_rng_range(&g->rng, 0, p->sleep_max_ms / 1000) * 1000;
			}
		}
		if (th->active) {
			uint64_t written = (t - th->start_ms) * p->write_rate_kib_s / 1000;
			committed += p->thread_alloc_kib;
			ws += min_u64(written, th->chunk_kib);
		}
	}
	g->committed_kib = committed;
	g->ws_kib = ws;
}

static uint64_t self_target(const struct guest *g)
{
	uint64_t t = g->directed_kib ? g->directed_kib : max_u64(g->committed_kib, g->floor_kib);

	return min_u64(t, g->p->maxmem_kib);
}

static void boot_finished(struct guest *g)
{
	g->state = G_RUNNING;
	/* rc.local starts the workload as boot ends; all threads at once */
	for (unsigned i = 0; i < g->p->threads; i++) {
		g->threads[i].active = false;
		g->threads[i].next_ms = g->boot_done_ms;
	}
}

/* One balloon period: the guests' daemons act on what they see at its end. */
static void step(struct xv_model *m)
{
	const struct xv_bench_model_params *par = m->par;
	uint64_t t = m->step_ms + par->balloon_interval_ms;
	uint64_t free_kib;
	unsigned first;

	for (unsigned i = 0; i < m->nguests; i++) {
		struct guest *g = &m->guests[i];

		if (g->state == G_GONE)
			continue;
		if (g->state == G_BOOTING && t >= g->boot_done_ms)
			boot_finished(g);
		if (g->state != G_RUNNING)
			continue;
		advance_workload(g, t);
		if (!ballooning(g))
			continue;
		g->target_kib = self_target(g);
		if (g->alloc_kib > g->target_kib)
			g->alloc_kib -= (g->alloc_kib - g->target_kib) / par->down_hysteresis;
	}
	m->step_ms = t;

	/* Growing guests take free memory in turn; the turn rotates at random
	 * so no guest is always served first. */
	free_kib = host_free(m);
	first = m->nguests ? (unsigned)xv_rng_below(&m->rng, m->nguests) : 0;
	for (unsigned k = 0; k < m->nguests; k++) {
		struct guest *g = &m->guests[(first + k) % m->nguests];
		uint64_t want;

		if (g->state != G_RUNNING || !ballooning(g) || g->target_kib <= g->alloc_kib)
			continue;
		want = g->target_kib - g->alloc_kib;
		want = (want + par->up_hysteresis - 1) / par->up_hysteresis;
		want = min_u64(want, free_kib);
		g->alloc_kib += want;
		free_kib -= want;
	}

	for (unsigned i = 0; i < m->nguests; i++) {
		struct guest *g = &m->guests[i];

		if (g->state != G_RUNNING)
			continue;
		if (g->ws_kib > g->alloc_kib) {
			if (!g->swapping && (!g->ever_swapped || t - g->last_swap_ms >= par->swap_quiet_ms))
				emit(m, XV_EV_SWAP_ON, (int)i, g->ws_kib - g->alloc_kib, 0);
			g->swapping = g->ever_swapped = true;
			g->last_swap_ms = t;
		} else {
			g->swapping = false;
		}
		if (ballooning(g) && !g->settled &&
		    g->alloc_kib <= g->idle_target_kib + par->settle_tolerance_kib) {
			g->settled = true;
			emit(m, XV_EV_SETTLED, (int)i, g->alloc_kib, 0);
		}
	}
}

void xv_model_advance(struct xv_model *m, uint64_t ms)
{
	uint64_t until = m->step_ms + m->carry_ms + ms;

	/* while stepping, "now" is the period boundary being simulated */
	m->carry_ms = 0;
	while (m->step_ms + m->par->balloon_interval_ms <= until)
		step(m);
	m->carry_ms = until - m->step_ms;
}

int xv_model_create(struct xv_model *m, unsigned profile, const char *name, int *id,
		    struct xv_error *e)
{
	const struct xv_bench_host *host = &m->plan->host;
	const struct xv_bench_profile *p = &m->plan->profiles[profile];
	uint64_t need = p->memory_kib + m->par->domain_overhead_kib;
	uint64_t deadline = xv_model_now_ms(m) + m->par->create_retry_ms;
	struct guest *g;
	size_t n;

	for (;;) {
		uint64_t free_kib = host_free(m);

		if (free_kib >= need)
			break;
		if (host->dom0_autoballoon && m->dom0_kib > host->dom0_floor_kib) {
			uint64_t give = min_u64(need - free_kib, m->dom0_kib - host->dom0_floor_kib);
			emit(m, XV_EV_DOM0_BALLOON, -1, m->dom0_kib, m->dom0_kib - give);
			m->dom0_kib -= give;
			continue;
		}
		if (xv_model_now_ms(m) >= deadline) {
			return xv_error(e, XV_E_HOST,
				 "cannot create '%s': it needs %llu KiB free, but with dom0 %s %llu KiB "
				 "only %llu KiB are free after waiting %llu s",
				 name, (unsigned long long)need,
				 host->dom0_autoballoon ? "at its floor of" : "(auto-ballooning off) at",
				 (unsigned long long)m->dom0_kib, (unsigned long long)free_kib,
				 (unsigned long long)(m->par->create_retry_ms / 1000));
		}
		xv_model_advance(m, m->par->balloon_interval_ms);
	}

	n = m->nguests;
	m->guests = xv_grow(m->guests, sizeof(*m->guests), n + 1, &m->guests_alloc);
	g = &m->guests[n];
	memset(g, 0, sizeof(*g));
	g->p = p;
	g->profile = profile;
	g->state = G_BOOTING;
	g->created_ms = xv_model_now_ms(m);
	g->boot_done_ms = g->created_ms + m->par->boot_ms;
	g->alloc_kib = p->memory_kib;
	g->committed_kib = p->committed_kib;
	g->ws_kib = p->kernel_kib + p->resident_kib;
	g->floor_kib = xv_bench_balloon_floor_kib(p);
	g->idle_target_kib = min_u64(max_u64(p->committed_kib + p->threads * p->stack_kib, g->floor_kib),
				     p->maxmem_kib);
	g->target_kib = ballooning(g) ? g->alloc_kib : p->memory_kib;
	/* Each guest draws from its own stream, so adding a guest does not
	 * change what the others do. */
	xv_rng_seed(&g->rng, m->seed + 0x9e3779b97f4a7c15ULL * (n + 1));
	g->threads = p->threads ? xv_calloc(p->threads, sizeof(*g->threads)) : NULL;
	m->nguests++;
	*id = (int)n;
	return 0;
}

static struct guest *find(const struct xv_model *m, int id, struct xv_error *e)
{
	if (id < 0 || (unsigned)id >= m->nguests || m->guests[id].state == G_GONE) {
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
	if (!ballooning(g))
		return xv_error(e, XV_E_UNSUPPORTED,
				"guest %d runs a plain image: it has no balloon driver", id);
	if (target_kib > g->p->maxmem_kib)
		return xv_error(e, XV_E_DATA, "target %llu KiB is above guest %d's maxmem of %llu KiB",
				(unsigned long long)target_kib, id,
				(unsigned long long)g->p->maxmem_kib);
	g->directed_kib = target_kib;
	return 0;
}

int xv_model_destroy(struct xv_model *m, int id, struct xv_error *e)
{
	struct guest *g = find(m, id, e);

	if (!g)
		return -1;
	g->state = G_GONE;
	g->alloc_kib = 0;
	g->swapping = false;
	free(g->threads);
	g->threads = NULL;
	return 0;
}

void xv_model_host(const struct xv_model *m, struct xv_bench_host_mem *out)
{
	memset(out, 0, sizeof(*out));
	out->total_kib = m->plan->host.memory_kib;
	out->xen_kib = m->plan->host.xen_kib;
	out->dom0_kib = m->dom0_kib;
	out->guests_kib = guests_kib(m);
	out->free_kib = host_free(m);
	for (unsigned i = 0; i < m->nguests; i++) {
		if (m->guests[i].state == G_GONE)
			continue;
		out->guests++;
		if (m->guests[i].state == G_BOOTING)
			out->booting++;
	}
}

int xv_model_guest(const struct xv_model *m, int id, struct xv_bench_guest_mem *out)
{
	const struct guest *g = find(m, id, NULL);

	if (!g)
		return -1;
	out->memory_kib = g->p->memory_kib;
	out->maxmem_kib = g->p->maxmem_kib;
	out->alloc_kib = g->alloc_kib;
	out->target_kib = g->target_kib;
	out->committed_kib = g->committed_kib;
	out->ws_kib = g->ws_kib;
	out->swap_kib = g->ws_kib > g->alloc_kib ? g->ws_kib - g->alloc_kib : 0;
	out->booting = g->state == G_BOOTING;
	out->ballooning = ballooning(g);
	return 0;
}
