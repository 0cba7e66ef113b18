/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_sim.c: the sim: source, a host described by a scenario file.
 *
 * Every snapshot reads the file again, as every Xen snapshot asks the
 * hypervisor again: a daemon watching a sim: host sees the file change.  The
 * file plays the host's answer, so a file that cannot be read or makes no
 * sense is the host failing (XV_E_HOST); only a URI without a file is a
 * configuration error. */
#include "source_impl.h"
#include "scenario.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

static int sim_check(const char *arg, struct xv_error *e)
{
	if (!*arg)
		return xv_error(e, XV_E_CONFIG, "sim: needs a scenario file, as in "
				"sim:tests/data/healthy.sim");
	return 0;
}

static int sim_open(struct xv_source *src, const char *arg, struct xv_error *e)
{
	src->priv = xv_strdup(arg);
	return 0;
}

/* Sleeps the whole of `ms`, even across signals that interrupt nanosleep. */
static void sleep_ms(uint64_t ms)
{
	struct timespec left = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&left, &left) && errno == EINTR)
		;
}

static int sim_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	struct xv_sim_behaviour how;

	if (xv_scenario_load(src->priv, snap, &how, e)) {
		e->code = XV_E_HOST;
		return -1;
	}
	/* A simulated network: the answer takes `delay`, or never comes. */
	while (how.hang)
		sleep_ms(3600 * 1000);
	if (how.delay_ms)
		sleep_ms(how.delay_ms);
	return 0;
}

static void sim_close(struct xv_source *src)
{
	free(src->priv);
	src->priv = NULL;
}

const struct xv_source_ops xv_source_sim_ops = {
	.scheme = "sim",
	.check = sim_check,
	.open = sim_open,
	.snapshot = sim_snapshot,
	.close = sim_close,
};
