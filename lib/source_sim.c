/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_sim.c: the sim: source, a host described by a scenario file.
 *
 * Every snapshot reads the file again, as every Xen snapshot asks the
 * hypervisor again: a daemon watching a sim: host sees the file change.  The
 * file plays the host's answer, so a file that cannot be read or makes no
 * sense is the host failing (XV_E_HOST); only a URI without a file is a
 * configuration error. */
#include "source_impl.h"
#include "clock.h"
#include "file.h"
#include "num.h"
#include "ini_file.h"
#include "scenario.h"
#include "scenario_edit.h"
#include "util.h"
#include "xl_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int sim_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	struct xv_sim_behaviour how;

	if (xv_scenario_load(src->priv, snap, &how, e)) {
		e->code = XV_E_HOST;
		return -1;
	}
	/* A simulated network: the answer takes `delay`, or never comes. */
	while (how.hang)
		xv_sleep_ms(3600 * 1000);
	if (how.delay_ms)
		xv_sleep_ms(how.delay_ms);
	return 0;
}

static void sim_close(struct xv_source *src)
{
	free(src->priv);
	src->priv = NULL;
}

/* --- actions: the scenario file changes as the host would ----------------
 *
 * A failure to read or rewrite the file is the simulated host failing
 * (XV_E_HOST), as for snapshots; a domain the host does not have is
 * XV_E_DATA.  Shutting down or destroying a domain removes its section and
 * frees its memory (xl's default on_poweroff="destroy"); a paused domain, or
 * one with ignore_shutdown = yes, ignores a shutdown request, as a guest
 * without a working PV shutdown driver does. */

static int edit_open(struct xv_source *src, struct xv_scenario_edit *ed, struct xv_error *e)
{
	if (xv_scenario_edit_open(ed, src->priv, e)) {
		e->code = XV_E_HOST;
		return -1;
	}
	return 0;
}

static int edit_commit(struct xv_scenario_edit *ed, struct xv_error *e)
{
	if (xv_scenario_edit_commit(ed, e)) {
		if (e->code != XV_E_SOFTWARE)
			e->code = XV_E_HOST;
		return -1;
	}
	return 0;
}

static const struct xv_domain *find_domain(struct xv_scenario_edit *ed, const char *name,
					   struct xv_error *e)
{
	const struct xv_domain *d = xv_snapshot_find_name(&ed->snap, name);

	if (!d)
		xv_error(e, XV_E_DATA, "no domain '%s' on %s", name, ed->snap.host.name);
	return d;
}

static void set_free(struct xv_scenario_edit *ed, uint64_t free_kib)
{
	char v[32];

	xv_scenario_format_kib(free_kib, v, sizeof(v));
	xv_scenario_edit_set(ed, "host", "free_memory", v);
}

/* Removes the domain's section and gives its memory back to the host. */
static void remove_domain(struct xv_scenario_edit *ed, const struct xv_domain *d)
{
	char *section = xv_asprintf("domain %s", d->name);

	xv_scenario_edit_remove(ed, section);
	set_free(ed, ed->snap.host.free_kib + d->cur_kib);
	free(section);
}

static int sim_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	struct xv_scenario_edit ed;
	const struct xv_domain *d;
	char *section = xv_asprintf("domain %s", name), buf[16];
	const char *ignore;
	int b = 0, rc = -1;

	if (edit_open(src, &ed, e) || !(d = find_domain(&ed, name, e)))
		goto out;
	ignore = xv_scenario_edit_get(&ed, section, "ignore_shutdown", 0, buf, sizeof(buf));
	if ((ignore && !xv_ini_parse_bool(ignore, &b) && b) ||
	    (d->flags & (XV_DOM_PAUSED | XV_DOM_SHUTDOWN | XV_DOM_CRASHED | XV_DOM_DYING))) {
		rc = 0; /* delivered, and nothing happens */
		goto out;
	}
	remove_domain(&ed, d);
	rc = edit_commit(&ed, e);
out:
	free(section);
	xv_scenario_edit_release(&ed);
	return rc;
}

static int sim_destroy(struct xv_source *src, const char *name, struct xv_error *e)
{
	struct xv_scenario_edit ed;
	const struct xv_domain *d;
	int rc = -1;

	if (edit_open(src, &ed, e) || !(d = find_domain(&ed, name, e)))
		goto out;
	remove_domain(&ed, d);
	rc = edit_commit(&ed, e);
out:
	xv_scenario_edit_release(&ed);
	return rc;
}

static void flags_text(unsigned flags, char *buf, size_t size)
{
	static const char *const names[] = { "running", "blocked", "paused", "shutdown",
					     "crashed", "dying" };
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < XV_ARRAY_SIZE(names); i++)
		if (flags & (1u << i))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						names[i]);
}

static int sim_pause(struct xv_source *src, const char *name, bool pause, struct xv_error *e)
{
	struct xv_scenario_edit ed;
	const struct xv_domain *d;
	char *section = xv_asprintf("domain %s", name), state[96];
	unsigned flags;
	int rc = -1;

	if (edit_open(src, &ed, e) || !(d = find_domain(&ed, name, e)))
		goto out;
	if (d->flags & (XV_DOM_SHUTDOWN | XV_DOM_CRASHED | XV_DOM_DYING)) {
		xv_error(e, XV_E_HOST, "cannot %s '%s' on %s: it is %s", pause ? "pause" : "unpause",
			 name, ed.snap.host.name, xv_dom_state_name(xv_domain_state(d)));
		goto out;
	}
	flags = pause ? (d->flags | XV_DOM_PAUSED) & ~XV_DOM_RUNNING : d->flags & ~XV_DOM_PAUSED;
	if (!flags)
		flags = XV_DOM_RUNNING;
	flags_text(flags, state, sizeof(state));
	xv_scenario_edit_set(&ed, section, "state", state);
	rc = edit_commit(&ed, e);
out:
	free(section);
	xv_scenario_edit_release(&ed);
	return rc;
}

/* What a [domain NAME] header can hold and give back unchanged. */
static bool storable_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 40 || name[0] == ' ' || name[n - 1] == ' ')
		return false;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || *c == '[' || *c == ']')
			return false;
		/* the INI reader takes a blank and ';' or '#' as a comment's start */
		if ((*c == ';' || *c == '#') && c > (const unsigned char *)name && (c[-1] == ' ' || c[-1] == '\t'))
			return false;
	}
	return true;
}

/* A stable MAC in Xen's range (00:16:3e, the next bit clear as xl leaves it)
 * from the name and the interface's index, so a rehearsal is repeatable. */
static char *generated_mac(const char *name, size_t index)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		h = (h ^ *s) * 0x100000001b3ULL;
	h = (h ^ (index + 1)) * 0x100000001b3ULL;
	return xv_asprintf("00:16:3e:%02x:%02x:%02x", (unsigned)(h >> 16) & 0x7f,
			   (unsigned)(h >> 8) & 0xff, (unsigned)h & 0xff);
}

static int sim_create(struct xv_source *src, const char *config, struct xv_created *out,
		      struct xv_error *e)
{
	struct xv_scenario_edit ed;
	struct xv_xl_config cfg;
	struct xv_buf text = XV_BUF_INIT;
	uint32_t id = 0;
	char a[32], b[32];
	int rc = -1;

	memset(&ed, 0, sizeof(ed));
	xv_snapshot_init(&ed.snap);
	if (xv_xl_config_load(config, &cfg, e))
		return -1;
	if (edit_open(src, &ed, e))
		goto out;
	if (!storable_name(cfg.name)) {
		xv_error(e, XV_E_DATA, "%s: a sim: scenario cannot hold the domain name '%s' (at "
			 "most 40 characters, no control characters, [ ], ' ;', ' #' or outer blanks)",
			 config, cfg.name);
		goto out;
	}
	if (xv_snapshot_find_name(&ed.snap, cfg.name)) {
		xv_error(e, XV_E_DATA, "a domain '%s' already exists on %s", cfg.name,
			 ed.snap.host.name);
		goto out;
	}
	if (cfg.memory_kib > ed.snap.host.free_kib) {
		xv_format_kib(cfg.memory_kib, a, sizeof(a));
		xv_format_kib(ed.snap.host.free_kib, b, sizeof(b));
		xv_error(e, XV_E_HOST, "not enough free memory on %s for '%s': it needs %s, %s "
			 "are free", ed.snap.host.name, cfg.name, a, b);
		goto out;
	}
	for (size_t i = 0; i < ed.snap.n_domains; i++)
		if (ed.snap.domains[i].id >= id)
			id = ed.snap.domains[i].id + 1;
	out->name = xv_strdup(cfg.name);
	out->id = id;
	out->macs = xv_calloc(cfg.n_vifs + 1, sizeof(*out->macs));
	xv_buf_addf(&text, "\n[domain %s]\nid = %u\nstate = paused\n", cfg.name, id);
	xv_scenario_format_kib(cfg.memory_kib, a, sizeof(a));
	xv_scenario_format_kib(cfg.maxmem_kib, b, sizeof(b));
	xv_buf_addf(&text, "memory = %s\nmaxmem = %s\nvcpus = %u\n", a, b, cfg.vcpus);
	for (size_t i = 0; i < cfg.n_vifs; i++) {
		out->macs[i] = cfg.vif_mac[i] ? xv_strdup(cfg.vif_mac[i]) : generated_mac(cfg.name, i);
		out->n_macs++;
		xv_buf_addf(&text, "mac = %s\n", out->macs[i]);
	}
	xv_scenario_edit_append(&ed, text.data);
	set_free(&ed, ed.snap.host.free_kib - cfg.memory_kib);
	rc = edit_commit(&ed, e);
out:
	xv_buf_release(&text);
	xv_xl_config_release(&cfg);
	xv_scenario_edit_release(&ed);
	return rc;
}

static int sim_console(struct xv_source *src, const char *name, struct xv_console *out,
		       struct xv_error *e)
{
	struct xv_scenario_edit ed;
	const struct xv_domain *d;
	char *section = xv_asprintf("domain %s", name), buf[300];
	const char *how;
	int rc = -1;

	if (edit_open(src, &ed, e) || !(d = find_domain(&ed, name, e)))
		goto out;
	how = xv_scenario_edit_get(&ed, section, "console", 0, buf, sizeof(buf));
	if (how && strcmp(how, "text")) {
		out->endpoint = xv_strdup(how);
	} else {
		/* what a dom0 runs; the domain id, never the name, reaches the command */
		out->argv = xv_calloc(4, sizeof(*out->argv));
		out->argv[0] = xv_strdup("xl");
		out->argv[1] = xv_strdup("console");
		out->argv[2] = xv_asprintf("%u", d->id);
	}
	rc = 0;
out:
	free(section);
	xv_scenario_edit_release(&ed);
	return rc;
}

static int sim_export(struct xv_source *src, struct xv_export *out, struct xv_error *e)
{
	if (xv_file_read(src->priv, 16u << 20, 0, &out->data, e)) {
		e->code = XV_E_HOST;
		return -1;
	}
	out->file_name = xv_strdup("scenario.sim");
	return 0;
}

const struct xv_source_ops xv_source_sim_ops = {
	.scheme = "sim",
	.check = sim_check,
	.open = sim_open,
	.snapshot = sim_snapshot,
	.close = sim_close,
	.shutdown = sim_shutdown,
	.destroy = sim_destroy,
	.pause = sim_pause,
	.create = sim_create,
	.console = sim_console,
	.export_config = sim_export,
};
