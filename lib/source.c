/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source.c: URI dispatch to the source implementations, and the
 * synchronous call of asynchronous sources. */
#include "source_impl.h"
#include "clock.h"
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <time.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct xv_source_ops *const sources[] = {
	&xv_source_sim_ops,
	&xv_source_xen_ops,
	&xv_source_ssh_ops,
	&xv_source_xapi_ops,
	&xv_source_ovs_ops,
	&xv_source_snmp_ops,
	&xv_source_libvirt_ops,
};

static bool compiled_in(const struct xv_source_ops *ops)
{
	return ops->open || ops->snapshot || ops->async;
}

const struct xv_source_ops *xv_source_find_ops(const char *uri, const char **arg)
{
	const char *colon = strchr(uri, ':');

	if (!colon)
		return NULL;
	for (size_t i = 0; i < XV_ARRAY_SIZE(sources); i++) {
		size_t n = strlen(sources[i]->scheme);
		if ((size_t)(colon - uri) == n && !strncmp(uri, sources[i]->scheme, n)) {
			*arg = colon + 1;
			return sources[i];
		}
	}
	return NULL;
}

int xv_source_check_uri(const char *uri, struct xv_error *e)
{
	const char *arg = NULL;
	const struct xv_source_ops *ops = xv_source_find_ops(uri, &arg);

	if (!ops) {
		if (!strchr(uri, ':'))
			return xv_error(e, XV_E_CONFIG, "source '%s' has no scheme (try sim:%s or xen:)",
					uri, uri);
		return xv_error(e, XV_E_CONFIG, "unknown source scheme in '%s' (this build knows: %s)",
				uri, xv_source_schemes());
	}
	return ops->check ? ops->check(arg, e) : 0;
}

const char *xv_source_caveat(const char *uri)
{
	const char *arg = NULL;
	const struct xv_source_ops *ops = xv_source_find_ops(uri, &arg);

	return ops && ops->caveat ? ops->caveat(arg) : NULL;
}

struct xv_source *xv_source_new(const char *uri)
{
	struct xv_source *src = xv_calloc(1, sizeof(*src));

	src->uri = xv_strdup(uri);
	src->ops = xv_source_find_ops(src->uri, &src->arg);
	return src;
}

void xv_source_set_deadline(struct xv_source *src, uint64_t deadline_ms)
{
	src->deadline_ms = deadline_ms;
}

int xv_source_open(struct xv_source *src, struct xv_error *e)
{
	if (src->opened)
		return 0;
	if (xv_source_check_uri(src->uri, e))
		return -1;
	if (!compiled_in(src->ops))
		return xv_error(e, XV_E_UNSUPPORTED, "%s: support is not compiled in",
				src->ops->scheme);
	if (src->ops->open && src->ops->open(src, src->arg, e))
		return -1;
	src->opened = true;
	return 0;
}

/* One asynchronous snapshot, waited for on a loop of its own. */
struct wait {
	bool done;
	struct xv_snapshot *snap;
	struct xv_error *e;
	int rc;
};

static void on_done(void *ctx, struct xv_snapshot *snap, const struct xv_error *e)
{
	struct wait *w = ctx;

	w->done = true;
	if (snap) {
		*w->snap = *snap;
		xv_snapshot_init(snap);
		w->rc = 0;
	} else {
		*w->e = *e;
		w->rc = -1;
	}
}

static int snapshot_async(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	const struct xv_source_async_ops *a = src->ops->async;
	uint64_t start = xv_monotonic_ms();
	uint64_t deadline = src->deadline_ms ? src->deadline_ms
					     : start + XV_SOURCE_DEFAULT_TIMEOUT_MS;
	uint64_t cleanup_by = deadline + XV_ASYNC_CLEANUP_MS;
	struct wait w = { .snap = snap, .e = e, .rc = -1 };
	struct xv_async_snap *as = NULL;
	struct xv_loop *loop = NULL;
	void *engine = NULL;
	int rc;

	if (xv_loop_new(&loop, e))
		return -1;
	if (a->engine_new(loop, &engine, e))
		goto out;
	rc = a->start(engine, src->arg, deadline, on_done, &w, &as, e);
	if (rc == XV_ASYNC_RETRY)
		e->code = XV_E_LOCAL;
	if (rc)
		goto out;
	while (!w.done && xv_monotonic_ms() < deadline)
		xv_loop_run_once(loop, deadline);
	if (!w.done) {
		a->abandon(as);
		xv_error(e, XV_E_TIMEOUT, "no answer within %u ms",
			 (unsigned)(deadline > start ? deadline - start : 0));
	}
	while (a->engine_busy(engine) && xv_monotonic_ms() < cleanup_by)
		xv_loop_run_once(loop, cleanup_by);
out:
	if (engine)
		a->engine_free(engine);
	xv_loop_free(loop);
	return w.rc;
}

int xv_source_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	uint64_t asked_ms;
	int rc;

	xv_snapshot_init(snap);
	if (xv_source_open(src, e))
		return -1;
	asked_ms = xv_realtime_ms();
	if (src->ops->snapshot)
		rc = src->ops->snapshot(src, snap, e);
	else
		rc = snapshot_async(src, snap, e);
	if (rc || xv_snapshot_check(snap, e)) {
		xv_snapshot_release(snap);
		return -1;
	}
	if (!snap->time_ms)
		snap->time_ms = asked_ms;
	return 0;
}

const char *xv_source_uri(const struct xv_source *src)
{
	return src->uri;
}

void xv_source_free(struct xv_source *src)
{
	if (!src)
		return;
	if (src->ops && src->ops->close)
		src->ops->close(src);
	free(src->uri);
	free(src);
}

/* --- actions ------------------------------------------------------------- */

/* Opens the source and checks that it has the action (`have`) and that the
 * domain is not domain 0. */
static int action_ready(struct xv_source *src, const void *have, const char *what,
			const char *name, struct xv_error *e)
{
	if (xv_source_open(src, e))
		return -1;
	if (!have)
		return xv_error(e, XV_E_UNSUPPORTED, "%s: the %s: source cannot %s", src->uri,
				src->ops->scheme, what);
	if (name && (!*name || !strcmp(name, "Domain-0")))
		return xv_error(e, XV_E_USAGE, "%s: refusing to act on %s", src->uri,
				*name ? "domain 0 (Domain-0)" : "a domain with an empty name");
	return 0;
}

int xv_source_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	if (action_ready(src, src->ops ? (const void *)src->ops->shutdown : NULL,
			 "shut down a domain", name, e))
		return -1;
	return src->ops->shutdown(src, name, e);
}

int xv_source_shutdown_wait(struct xv_source *src, const char *name, unsigned timeout_ms,
			    enum xv_stop_outcome *outcome, struct xv_error *e)
{
	uint64_t deadline = xv_monotonic_ms() + timeout_ms;

	if (xv_source_shutdown(src, name, e))
		return -1;
	for (;;) {
		struct xv_snapshot snap;
		const struct xv_domain *d;
		unsigned flags;

		if (xv_source_snapshot(src, &snap, e)) {
			xv_snapshot_release(&snap);
			return -1;
		}
		d = xv_snapshot_find_name(&snap, name);
		flags = d ? d->flags : 0;
		xv_snapshot_release(&snap);
		if (!d) {
			*outcome = XV_STOP_GONE;
			return 0;
		}
		if (flags & XV_DOM_CRASHED)
			return xv_error(e, XV_E_HOST, "'%s' crashed while shutting down", name);
		if (flags & XV_DOM_SHUTDOWN) {
			bool gone = false;
			if (xv_source_settle(src, name, &gone, e))
				return -1;
			*outcome = gone ? XV_STOP_GONE : XV_STOP_SHUTDOWN;
			return 0;
		}
		uint64_t left = xv_ms_left(deadline);
		if (!left)
			return xv_error(e, XV_E_TIMEOUT, "'%s' did not shut down within %u ms", name,
					timeout_ms);
		xv_sleep_ms(left < 200 ? left : 200);
	}
}

int xv_source_settle(struct xv_source *src, const char *name, bool *gone, struct xv_error *e)
{
	*gone = false;
	if (action_ready(src, "", "settle a domain", name, e))
		return -1;
	return src->ops->settle ? src->ops->settle(src, name, gone, e) : 0;
}

int xv_source_destroy(struct xv_source *src, const char *name, struct xv_error *e)
{
	if (action_ready(src, src->ops ? (const void *)src->ops->destroy : NULL,
			 "destroy a domain", name, e))
		return -1;
	return src->ops->destroy(src, name, e);
}

int xv_source_pause(struct xv_source *src, const char *name, struct xv_error *e)
{
	if (action_ready(src, src->ops ? (const void *)src->ops->pause : NULL, "pause a domain",
			 name, e))
		return -1;
	return src->ops->pause(src, name, true, e);
}

int xv_source_unpause(struct xv_source *src, const char *name, struct xv_error *e)
{
	if (action_ready(src, src->ops ? (const void *)src->ops->pause : NULL,
			 "unpause a domain", name, e))
		return -1;
	return src->ops->pause(src, name, false, e);
}

int xv_source_create(struct xv_source *src, const char *config, struct xv_created *out,
		     struct xv_error *e)
{
	memset(out, 0, sizeof(*out));
	if (xv_source_open(src, e))
		return -1;
	if (!src->ops->create && src->ops->create_from_template)
		return xv_error(e, XV_E_UNSUPPORTED,
				"%s: the %s: source creates domains from the pool's templates, "
				"not from xl configuration files (name a template)", src->uri,
				src->ops->scheme);
	if (action_ready(src, src->ops ? (const void *)src->ops->create : NULL,
			 "create a domain", NULL, e))
		return -1;
	if (src->ops->create(src, config, out, e)) {
		xv_created_release(out);
		return -1;
	}
	return 0;
}

int xv_source_console(struct xv_source *src, const char *name, struct xv_console *out,
		      struct xv_error *e)
{
	memset(out, 0, sizeof(*out));
	if (action_ready(src, src->ops ? (const void *)src->ops->console : NULL,
			 "open a console", name, e))
		return -1;
	if (src->ops->console(src, name, out, e)) {
		xv_console_release(out);
		return -1;
	}
	return 0;
}

int xv_source_create_from_template(struct xv_source *src, const struct xv_template_request *req,
				   struct xv_created *out, struct xv_error *e)
{
	memset(out, 0, sizeof(*out));
	if (xv_source_open(src, e))
		return -1;
	if (!src->ops->create_from_template)
		return xv_error(e, XV_E_UNSUPPORTED,
				"%s: the %s: source creates domains from xl configuration files%s, "
				"not from templates", src->uri, src->ops->scheme,
				src->ops->create ? "" : " (and cannot here)");
	if (action_ready(src, "", "create a domain", req->name, e))
		return -1;
	if (src->ops->create_from_template(src, req, out, e)) {
		xv_created_release(out);
		return -1;
	}
	return 0;
}

bool xv_source_creates_from_template(const char *uri, bool *can)
{
	const char *arg;
	const struct xv_source_ops *ops = xv_source_find_ops(uri, &arg);

	*can = ops && compiled_in(ops) && (ops->create || ops->create_from_template);
	return ops && ops->create_from_template;
}

int xv_source_export(struct xv_source *src, struct xv_export *out, struct xv_error *e)
{
	memset(out, 0, sizeof(*out));
	xv_buf_init(&out->data);
	if (action_ready(src, src->ops ? (const void *)src->ops->export_config : NULL,
			 "export its configuration", NULL, e))
		return -1;
	if (src->ops->export_config(src, out, e)) {
		xv_export_release(out);
		return -1;
	}
	return 0;
}

void xv_export_release(struct xv_export *x)
{
	xv_buf_release(&x->data);
	free(x->file_name);
	free(x->scope);
	free(x->scope_id);
	memset(x, 0, sizeof(*x));
	xv_buf_init(&x->data);
}

void xv_created_release(struct xv_created *c)
{
	free(c->name);
	for (size_t i = 0; i < c->n_macs; i++)
		free(c->macs[i]);
	free(c->macs);
	memset(c, 0, sizeof(*c));
}

void xv_console_release(struct xv_console *c)
{
	if (c->argv)
		for (char **a = c->argv; *a; a++)
			free(*a);
	free(c->argv);
	free(c->endpoint);
	memset(c, 0, sizeof(*c));
}

static char scheme_list[256];

static void build_scheme_list(void)
{
	size_t len = 0;

	for (size_t i = 0; i < XV_ARRAY_SIZE(sources); i++) {
		if (!compiled_in(sources[i]))
			continue;
		len += (size_t)snprintf(scheme_list + len, sizeof(scheme_list) - len, "%s%s:",
					len ? " " : "", sources[i]->scheme);
	}
}

const char *xv_source_schemes(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, build_scheme_list);
	return scheme_list;
}
