/* source.c: URI dispatch to the source implementations, and the
 * synchronous call of asynchronous sources. */
#include "source_impl.h"
#include "clock.h"
#include "loop.h"
#include "util.h"

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
	int rc;

	xv_snapshot_init(snap);
	if (xv_source_open(src, e))
		return -1;
	if (src->ops->snapshot)
		rc = src->ops->snapshot(src, snap, e);
	else
		rc = snapshot_async(src, snap, e);
	if (rc || xv_snapshot_check(snap, e)) {
		xv_snapshot_release(snap);
		return -1;
	}
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
