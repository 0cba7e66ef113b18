/* source.c: URI dispatch to the source implementations. */
#include "source_impl.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct xv_source_ops *const sources[] = {
	&xv_source_sim_ops,
	&xv_source_xen_ops,
	&xv_source_snmp_ops,
};

/* The implementation of `uri`'s scheme, and its argument; NULL if none. */
static const struct xv_source_ops *find_ops(const char *uri, const char **arg)
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
	const struct xv_source_ops *ops = find_ops(uri, &arg);

	if (!ops) {
		if (!strchr(uri, ':'))
			return xv_error(e, XV_E_CONFIG, "source '%s' has no scheme (try sim:%s or xen:)",
					uri, uri);
		return xv_error(e, XV_E_CONFIG, "unknown source scheme in '%s' (this build knows: %s)",
				uri, xv_source_schemes());
	}
	return ops->check ? ops->check(arg, e) : 0;
}

struct xv_source *xv_source_new(const char *uri)
{
	struct xv_source *src = xv_calloc(1, sizeof(*src));

	src->uri = xv_strdup(uri);
	src->ops = find_ops(src->uri, &src->arg);
	return src;
}

int xv_source_open(struct xv_source *src, struct xv_error *e)
{
	if (src->opened)
		return 0;
	if (xv_source_check_uri(src->uri, e))
		return -1;
	if (!src->ops->open)
		return xv_error(e, XV_E_UNSUPPORTED, "%s: support is not compiled in",
				src->ops->scheme);
	if (src->ops->open(src, src->arg, e))
		return -1;
	src->opened = true;
	return 0;
}

int xv_source_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	xv_snapshot_init(snap);
	if (xv_source_open(src, e))
		return -1;
	if (src->ops->snapshot(src, snap, e) || xv_snapshot_check(snap, e)) {
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
		if (!sources[i]->open)
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
