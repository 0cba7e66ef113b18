/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_capacity: how many more guests of a given size and image a Xen
 * host (or each host of a pool) can take before a creation fails or a guest
 * starts to swap — the bench's model run forward from the live host. */
#include "capacity.h"
#include "inventory.h"
#include "num.h"
#include "plugin.h"
#include "pool.h"
#include "source.h"
#include "util.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Time kept back from -t to print the result before the alarm fires. */

static const char usage[] =
	"check_xen_capacity -m SIZE [-s SOURCE | -i INVENTORY [-p POOL]] [--maxmem SIZE]\n"
	"       [--image plain|clean|stress] [--vcpus N] [--committed SIZE] [--minmem SIZE]\n"
	"       [--toolstack xend|libxl] [--dom0-floor SIZE] [--no-autoballoon]\n"
	"       [--step DURATION] [--seeds N] [--max-guests N] [-w RANGE] [-c RANGE]\n"
	"       [-t SECONDS[:STATE]] [-v]";

static const char help[] =
	"Predicts how many more guests of one kind a Xen host can take before a\n"
	"creation fails or a guest starts to swap, and alerts on that number.  The\n"
	"prediction is xvmon-bench's model started from the live host: its free\n"
	"memory, dom0 and what the hypervisor holds; every running guest with what it\n"
	"holds now, or the balloon target it is on its way to; then new guests\n"
	"created one by one, a step apart, under xenballoond's law, the\n"
	"way the toolstack creates them (dom0 auto-ballooning included).  The long\n"
	"output lists the assumptions.\n"
	"\n"
	"Options:\n"
	" -s, --source=URI      the host: xen: (default) or sim:FILE\n"
	" -i, --inventory=FILE  a pool instead: every host of it is asked at once\n"
	" -p, --pool=NAME       the pool; needed when the inventory has several\n"
	" -m, --memory=SIZE     memory= of a new guest (required), e.g. 4G\n"
	" --maxmem=SIZE         its maxmem= (default: memory)\n"
	" --image=IMAGE         plain (no balloon), clean (idle, self-ballooning; the\n"
	"                       default) or stress (the seed's memory eater)\n"
	" --vcpus=N             its vCPUs (default 2)\n"
	" --committed=SIZE      its idle Committed_AS (default 380M)\n"
	" --minmem=SIZE         its XENBALLOON_MINMEM (default 0: xenballoond's rule)\n"
	" --toolstack=NAME      libxl (xl, Xen 4; default) or xend (Xen 3)\n"
	" --dom0-floor=SIZE     the lowest dom0 goes: xend's dom0-min-mem; libxl\n"
	"                       refuses below 128 MiB (the default)\n"
	" --no-autoballoon      dom0 never gives memory back\n"
	" --step=DURATION       time from one new guest to the next (default 10m)\n"
	" --seeds=N             runs for images that draw random numbers; the least\n"
	"                       headroom counts (default 5)\n"
	" --max-guests=N        count no further (default 1000)\n"
	" -w, --warning=RANGE   guests; default 2: (warn when fewer than 2 fit)\n"
	" -c, --critical=RANGE  default 1:\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"    give up after SECONDS (default 10) with STATE (default CRITICAL)\n"
	" -v, --verbose         -v: the assumptions of every host of a pool;\n"
	"                       -vv: also the thresholds and source; -vvv: timings\n"
	" -h, --help, -V, --version\n"
	"\n"
	"Sizes take binary units (512M, 4G); durations ms, s, m, h.\n"
	"\n"
	"Perfdata: headroom, headroom_create, headroom_swap (when a guest swaps\n"
	"first), need, idle_footprint, free, dom0_give (bytes); for a pool the sum\n"
	"and HOST_headroom per host.\n"
	"\n"
	"Examples:\n"
	"  check_xen_capacity -m 4G --image clean -w 2: -c 1:\n"
	"  check_xen_capacity -m 2G --image stress --toolstack xend --dom0-floor 196M\n"
	"  check_xen_capacity -i " XV_DEFAULT_INVENTORY " -p prod -m 4G\n";

enum {
	OPT_MAXMEM = 256,
	OPT_IMAGE,
	OPT_VCPUS,
	OPT_COMMITTED,
	OPT_MINMEM,
	OPT_TOOLSTACK,
	OPT_DOM0_FLOOR,
	OPT_NO_AUTOBALLOON,
	OPT_STEP,
	OPT_SEEDS,
	OPT_MAX_GUESTS,
};

static const struct option options[] = {
	{ "source", required_argument, NULL, 's' },
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "memory", required_argument, NULL, 'm' },
	{ "maxmem", required_argument, NULL, OPT_MAXMEM },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "committed", required_argument, NULL, OPT_COMMITTED },
	{ "minmem", required_argument, NULL, OPT_MINMEM },
	{ "toolstack", required_argument, NULL, OPT_TOOLSTACK },
	{ "dom0-floor", required_argument, NULL, OPT_DOM0_FLOOR },
	{ "no-autoballoon", no_argument, NULL, OPT_NO_AUTOBALLOON },
	{ "step", required_argument, NULL, OPT_STEP },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "max-guests", required_argument, NULL, OPT_MAX_GUESTS },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	XV_PLUGIN_COMMON_OPTIONS,
};

static const char *const image_names[] = {
	[XV_MODEL_PLAIN] = "plain",
	[XV_MODEL_CLEAN] = "clean",
	[XV_MODEL_STRESS] = "stress",
};

struct args {
	const char *inventory, *pool;
	struct xv_capacity_config cfg;
	struct xv_thresholds th;
	bool have_memory, have_maxmem, have_committed, have_vcpus;
	uint64_t committed_kib;
	unsigned vcpus;
};

static uint64_t size_option(const struct xv_plugin *p, const char *name, const char *arg)
{
	uint64_t kib;

	if (xv_parse_kib(arg, &kib))
		xv_plugin_usage_error(p, "invalid %s '%s': a size like 512M or 4G", name, arg);
	return kib;
}

static uint64_t count_option(const struct xv_plugin *p, const char *name, const char *arg,
			     uint64_t min, uint64_t max)
{
	uint64_t n;

	if (xv_parse_u64(arg, min, max, &n))
		xv_plugin_usage_error(p, "invalid %s '%s': a number from %llu to %llu", name, arg,
				      (unsigned long long)min, (unsigned long long)max);
	return n;
}

static void parse_options(struct xv_plugin *p, struct args *a, int argc, char **argv)
{
	struct xv_model_profile *g = &a->cfg.guest;
	uint64_t ms;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:i:p:m:w:c:" XV_PLUGIN_COMMON_SHORT, options,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			p->source_uri = optarg;
			break;
		case 'i':
			a->inventory = optarg;
			break;
		case 'p':
			a->pool = optarg;
			break;
		case 'm':
			g->memory_kib = size_option(p, "memory", optarg);
			a->have_memory = true;
			break;
		case OPT_MAXMEM:
			g->maxmem_kib = size_option(p, "maxmem", optarg);
			a->have_maxmem = true;
			break;
		case OPT_IMAGE:
			for (g->image = XV_MODEL_PLAIN; g->image <= XV_MODEL_STRESS; g->image++)
				if (!strcmp(optarg, image_names[g->image]))
					break;
			if (g->image > XV_MODEL_STRESS)
				xv_plugin_usage_error(p, "invalid image '%s': plain, clean or stress", optarg);
			break;
		case OPT_VCPUS:
			a->vcpus = (unsigned)count_option(p, "vcpus", optarg, 1, 512);
			a->have_vcpus = true;
			break;
		case OPT_COMMITTED:
			a->committed_kib = size_option(p, "committed", optarg);
			a->have_committed = true;
			break;
		case OPT_MINMEM:
			g->minmem_kib = size_option(p, "minmem", optarg);
			break;
		case OPT_TOOLSTACK:
			if (xv_toolstack_parse(optarg, &a->cfg.toolstack))
				xv_plugin_usage_error(p, "invalid toolstack '%s': libxl or xend", optarg);
			break;
		case OPT_DOM0_FLOOR:
			a->cfg.dom0_floor_kib = size_option(p, "dom0 floor", optarg);
			break;
		case OPT_NO_AUTOBALLOON:
			a->cfg.autoballoon = false;
			break;
		case OPT_STEP:
			if (xv_parse_duration_ms(optarg, &ms) || !ms || ms > 24 * 3600 * 1000ULL)
				xv_plugin_usage_error(p, "invalid step '%s': a duration up to 24h, like 10m",
						      optarg);
			a->cfg.step_ms = ms;
			break;
		case OPT_SEEDS:
			a->cfg.seeds = (unsigned)count_option(p, "seeds", optarg, 1, 100);
			break;
		case OPT_MAX_GUESTS:
			a->cfg.max_guests = (unsigned)count_option(p, "max-guests", optarg, 1, 10000);
			break;
		case 'w':
			xv_plugin_opt_range(p, "warning", optarg, XV_ALLOW_PLAIN, &a->th.warning,
					    &a->th.has_warning);
			break;
		case 'c':
			xv_plugin_opt_range(p, "critical", optarg, XV_ALLOW_PLAIN, &a->th.critical,
					    &a->th.has_critical);
			break;
		default:
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	if (!a->have_memory || !g->memory_kib)
		xv_plugin_usage_error(p, "no guest size: give one with -m SIZE");
	if (!a->have_maxmem)
		g->maxmem_kib = g->memory_kib;
	if (g->maxmem_kib < g->memory_kib)
		xv_plugin_usage_error(p, "maxmem is below memory");
	if (a->inventory && strcmp(p->source_uri, "xen:"))
		xv_plugin_usage_error(p, "-s and -i exclude each other");
	/* the image's own figures, then what the command line says */
	{
		uint64_t minmem = g->minmem_kib;
		xv_model_profile_defaults(g);
		g->minmem_kib = minmem;
	}
	g->vcpus = a->have_vcpus ? a->vcpus : 2;
	if (a->have_committed)
		g->committed_kib = a->committed_kib;
}

/* Exact sizes in the long output: the reader redoes the arithmetic. */
static void format_size(uint64_t kib, char *buf, size_t size)
{
	if (kib && kib % (1024 * 1024) == 0)
		snprintf(buf, size, "%llu GiB", (unsigned long long)(kib >> 20));
	else if (kib && kib % 1024 == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(kib >> 10));
	else
		snprintf(buf, size, "%llu KiB", (unsigned long long)kib);
}

/* "1st", "2nd", "3rd", "4th", "11th", "21st". */
static const char *ordinal(unsigned n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1:
		return "st";
	case 2:
		return "nd";
	case 3:
		return "rd";
	default:
		return "th";
	}
}

/* "room for 12 more clean guests of 4 GiB", the status text of one host. */
static void headroom_text(const struct args *a, const struct xv_capacity_result *r, char *buf,
			  size_t size)
{
	const char *image = image_names[a->cfg.guest.image];
	char mem[32];

	format_size(a->cfg.guest.memory_kib, mem, sizeof(mem));
	if (r->swap_seen && r->swap < r->create)
		snprintf(buf, size, "room for %u more %s guest%s of %s (a guest swaps with the %u%s "
				    "added; creation fails at the %u%s)",
			 r->headroom, image, r->headroom == 1 ? "" : "s", mem, r->swap + 1,
			 ordinal(r->swap + 1), r->create + 1, ordinal(r->create + 1));
	else if (r->create_capped)
		snprintf(buf, size, "room for at least %u more %s guests of %s", r->headroom, image, mem);
	else
		snprintf(buf, size, "room for %u more %s guest%s of %s (creation fails at the %u%s)",
			 r->headroom, image, r->headroom == 1 ? "" : "s", mem, r->create + 1,
			 ordinal(r->create + 1));
}

/* The long output: what the prediction assumed. */
static void assumptions(struct xv_check *c, const struct args *a, const struct xv_capacity_result *r,
			const char *prefix)
{
	const struct xv_model_profile *g = &a->cfg.guest;
	char s1[32], s2[32], s3[32], s4[32];
	uint64_t give = r->dom0_kib > r->dom0_floor_kib && a->cfg.autoballoon
		? r->dom0_kib - r->dom0_floor_kib : 0;

	format_size(r->free_kib, s1, sizeof(s1));
	format_size(r->dom0_kib, s2, sizeof(s2));
	format_size(give, s3, sizeof(s3));
	format_size(r->xen_kib, s4, sizeof(s4));
	xv_check_detail(c, "%shost: %s free, dom0 %s (may give %s), hypervisor and domain overheads %s, "
			   "%u CPUs", prefix, s1, s2, s3, s4, r->cpus);
	format_size(g->memory_kib, s1, sizeof(s1));
	format_size(g->maxmem_kib, s2, sizeof(s2));
	format_size(r->need_kib, s3, sizeof(s3));
	format_size(r->idle_kib, s4, sizeof(s4));
	xv_check_detail(c, "%snew guest: %s image, memory %s, maxmem %s, %u vCPU%s; its creation waits "
			   "for %s free; idle it settles at %s", prefix, image_names[g->image], s1, s2,
			g->vcpus, g->vcpus == 1 ? "" : "s", s3, s4);
	format_size(r->give_back_kib, s1, sizeof(s1));
	xv_check_detail(c, "%srunning guests: %u; %u publish their meminfo and self-balloon on it; %u move "
			   "toward a balloon target (%s to give back); the others keep what they hold",
			prefix, r->adopted, r->reported, r->ballooning, s1);
	if (r->failure[0])
		xv_check_detail(c, "%sfirst failure: %s", prefix, r->failure);
}

static void model_line(struct xv_check *c, const struct args *a, unsigned runs)
{
	char s1[32], s2[32];
	uint64_t floor = xv_toolstack_dom0_floor_kib(a->cfg.toolstack, a->cfg.dom0_floor_kib);
	uint64_t step_s = a->cfg.step_ms / 1000;

	format_size(floor, s1, sizeof(s1));
	if (step_s % 60)
		snprintf(s2, sizeof(s2), "%llu s", (unsigned long long)step_s);
	else
		snprintf(s2, sizeof(s2), "%llu min", (unsigned long long)(step_s / 60));
	xv_check_detail(c, "model: toolstack %s, dom0 auto-ballooning %s (floor %s); new guests one by one, "
			   "%s apart; %u run%s%s", xv_toolstack_name(a->cfg.toolstack),
			a->cfg.autoballoon ? "on" : "off", s1, s2, runs, runs == 1 ? "" : "s",
			runs > 1 ? " with different seeds, the least counted" : "");
}

static void perf_count(struct xv_check *c, const char *label, unsigned v,
		       const struct xv_thresholds *t)
{
	struct xv_perf p = { .label = label, .value = v, .uom = "", .thresholds = t,
			     .has_min = true, .min = 0 };
	xv_check_perf(c, &p);
}

static void perf_bytes(struct xv_check *c, const char *label, uint64_t kib)
{
	struct xv_perf p = { .label = label, .value = (double)kib * 1024.0, .uom = "B",
			     .has_min = true, .min = 0 };
	xv_check_perf(c, &p);
}

static void check_host(const struct args *a, const struct xv_snapshot *snap, struct xv_check *c)
{
	struct xv_capacity_result r;
	struct xv_measure m;
	struct xv_error e;
	char text[256];

	xv_check_subject(c, snap->host.name);
	if (xv_capacity_predict(snap, &a->cfg, &r, &e)) {
		xv_check_add(c, XV_UNKNOWN, "%s", e.msg);
		return;
	}
	headroom_text(a, &r, text, sizeof(text));
	m = (struct xv_measure){ .value = r.headroom };
	xv_check_add(c, xv_thresholds_check(&a->th, &m), "%s", text);
	model_line(c, a, r.runs);
	assumptions(c, a, &r, "");
	perf_count(c, "headroom", r.headroom, &a->th);
	perf_count(c, "headroom_create", r.create, NULL);
	if (r.swap_seen)
		perf_count(c, "headroom_swap", r.swap, NULL);
	perf_bytes(c, "need", r.need_kib);
	perf_bytes(c, "idle_footprint", r.idle_kib);
	perf_bytes(c, "free", r.free_kib);
	perf_bytes(c, "dom0_give", r.dom0_kib > r.dom0_floor_kib && a->cfg.autoballoon
				   ? r.dom0_kib - r.dom0_floor_kib : 0);
}

static void check_pool(struct xv_plugin *p, const struct args *a, struct xv_check *c, uint64_t start)
{
	struct xv_inventory inv;
	const struct xv_inv_pool *pool;
	struct xv_pools_poll_options opt = { 0 };
	struct xv_poll_result *results;
	struct xv_capacity_result *r;
	struct xv_error *errors;
	struct xv_buf list = XV_BUF_INIT;
	size_t n_results;
	struct xv_error e;
	unsigned total = 0, answered = 0, runs = 1;
	char text[256], mem[32];

	if (xv_inventory_load(a->inventory, &inv, &e) || !(pool = xv_inventory_choose(&inv, a->pool, &e))) {
		xv_inventory_release(&inv);
		xv_plugin_unknown(p, "%s", e.msg);
	}
	/* the model needs time too: half of what is left goes to the poll */
	opt.deadline_ms = start + (p->answer_by_ms - start) / 2;
	results = xv_pools_poll(&inv, &pool, 1, &opt, &n_results);
	r = xv_calloc(n_results ? n_results : 1, sizeof(*r));
	errors = xv_calloc(n_results ? n_results : 1, sizeof(*errors));
	xv_check_subject(c, pool->name);
	for (size_t i = 0; i < n_results; i++) {
		const char *host = inv.hosts[pool->hosts[i]].name;

		if (xv_poll_outcome(&results[i]) != XV_HOST_UP) {
			errors[i] = results[i].error;
		} else if (!xv_capacity_predict(&results[i].snap, &a->cfg, &r[i], &errors[i])) {
			answered++;
			total += r[i].headroom;
			runs = r[i].runs;
			xv_buf_addf(&list, "%s%s %u", list.len ? ", " : "", host, r[i].headroom);
			continue;
		}
		xv_check_add(c, XV_UNKNOWN, "%s: %s", host, errors[i].msg);
	}
	format_size(a->cfg.guest.memory_kib, mem, sizeof(mem));
	{
		struct xv_measure m = { .value = total };
		struct xv_perf pf = { .label = "headroom", .value = total, .uom = "",
				      .thresholds = &a->th, .has_min = true, .min = 0 };

		xv_check_add(c, xv_thresholds_check(&a->th, &m),
			     "room for %u more %s guest%s of %s on %u host%s%s%s%s", total,
			     image_names[a->cfg.guest.image], total == 1 ? "" : "s", mem, answered,
			     answered == 1 ? "" : "s", list.len ? " (" : "", list.len ? list.data : "",
			     list.len ? ")" : "");
		xv_check_perf(c, &pf);
	}
	model_line(c, a, runs);
	for (size_t i = 0; i < n_results; i++) {
		const char *host = inv.hosts[pool->hosts[i]].name;
		char label[160];

		if (errors[i].code != XV_E_NONE)
			continue;
		headroom_text(a, &r[i], text, sizeof(text));
		xv_check_detail(c, "%s: %s", host, text);
		if (p->verbose)
			assumptions(c, a, &r[i], "  ");
		snprintf(label, sizeof(label), "%s_headroom", host);
		perf_count(c, label, r[i].headroom, NULL);
	}
	free(r);
	free(errors);
	xv_buf_release(&list);
	xv_poll_results_free(results, n_results);
	xv_inventory_release(&inv);
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_capacity", .service = "XEN CAPACITY",
			       .usage = usage, .help = help };
	struct args a;
	struct xv_check check;
	uint64_t start;

	xv_plugin_start(&p);
	memset(&a, 0, sizeof(a));
	xv_capacity_defaults(&a.cfg);
	a.cfg.guest.image = XV_MODEL_CLEAN;
	xv_range_parse("2:", XV_ALLOW_PLAIN, &a.th.warning);
	xv_range_parse("1:", XV_ALLOW_PLAIN, &a.th.critical);
	a.th.has_warning = a.th.has_critical = true;
	parse_options(&p, &a, argc, argv);
	start = xv_monotonic_ms();
	xv_plugin_arm_timeout(&p);

	xv_check_init(&check, p.service);
	if (p.verbose >= 2)
		xv_check_describe_thresholds(&check, "headroom", &a.th);
	if (a.inventory) {
		check_pool(&p, &a, &check, start);
	} else {
		struct xv_snapshot snap;
		struct xv_source *src = xv_source_new(p.source_uri);
		struct xv_error err;

		if (xv_source_snapshot(src, &snap, &err))
			xv_check_add(&check, XV_UNKNOWN, "%s", err.msg);
		else
			check_host(&a, &snap, &check);
		xv_snapshot_release(&snap);
		xv_source_free(src);
	}
	return xv_plugin_finish(&check);
}
