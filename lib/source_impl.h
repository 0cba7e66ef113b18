/* source_impl.h: what a source implementation provides (private to lib/). */
#ifndef XV_SOURCE_IMPL_H
#define XV_SOURCE_IMPL_H

#include <stdbool.h>
#include "source.h"

struct xv_source_ops {
	const char *scheme; /* the part before ':' */
	/* `arg` is the URI after "scheme:".  Returns 0 or xv_source_fail(). */
	int (*open)(struct xv_source *src, const char *arg);
	int (*snapshot)(struct xv_source *src, struct xv_snapshot *snap);
	void (*close)(struct xv_source *src); /* frees src->priv */
};

struct xv_source {
	char *uri;
	const struct xv_source_ops *ops; /* NULL: unknown scheme */
	const char *arg;                 /* inside uri */
	void *priv;                      /* the implementation's state */
	bool opened;
	char err[512];
};

/* Records the reason on the handle; returns -1. */
int xv_source_fail(struct xv_source *src, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

extern const struct xv_source_ops xv_source_sim_ops;
extern const struct xv_source_ops xv_source_xen_ops;

#endif
