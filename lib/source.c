/* source.c: URI dispatch to the source implementations. */
#include "source_impl.h"
#include "util.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct xv_source_ops *const sources[] = {
	&xv_source_sim_ops,
	&xv_source_xen_ops,
};

int xv_source_fail(struct xv_source *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(src->err, sizeof(src->err), fmt, ap);
	va_end(ap);
	return -1;
}

struct xv_source *xv_source_new(const char *uri)
{
	struct xv_source *src = xv_calloc(1, sizeof(*src));
	const char *colon;

	src->uri = xv_strdup(uri);
	colon = strchr(src->uri, ':');
	if (!colon)
		return src;
	for (size_t i = 0; i < XV_ARRAY_SIZE(sources); i++) {
		size_t n = strlen(sources[i]->scheme);
		if ((size_t)(colon - src->uri) == n && !strncmp(src->uri, sources[i]->scheme, n)) {
			src->ops = sources[i];
			src->arg = colon + 1;
			break;
		}
	}
	return src;
}

int xv_source_open(struct xv_source *src)
{
	if (src->opened)
		return 0;
	if (!src->ops) {
		if (!strchr(src->uri, ':'))
			return xv_source_fail(src, "source '%s' has no scheme (try sim:%s or xen:)",
					      src->uri, src->uri);
		return xv_source_fail(src, "unknown source scheme in '%s' (this build knows: %s)",
				      src->uri, xv_source_schemes());
	}
	if (src->ops->open(src, src->arg))
		return -1;
	src->opened = true;
	return 0;
}

int xv_source_snapshot(struct xv_source *src, struct xv_snapshot *snap)
{
	xv_snapshot_init(snap);
	if (xv_source_open(src))
		return -1;
	if (src->ops->snapshot(src, snap)) {
		xv_snapshot_release(snap);
		return -1;
	}
	return 0;
}

const char *xv_source_strerror(const struct xv_source *src)
{
	return src->err[0] ? src->err : "no error";
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

static char scheme_list[128];

static void build_scheme_list(void)
{
	for (size_t i = 0; i < XV_ARRAY_SIZE(sources); i++) {
		if (i)
			strcat(scheme_list, " ");
		strcat(scheme_list, sources[i]->scheme);
		strcat(scheme_list, ":");
	}
}

const char *xv_source_schemes(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, build_scheme_list);
	return scheme_list;
}
