/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_impl.h: what a source implementation provides (private to lib/). */
#ifndef XV_SOURCE_IMPL_H
#define XV_SOURCE_IMPL_H

#include <stdbool.h>
#include "source.h"

struct xv_source_ops {
	const char *scheme; /* the part before ':' */
	/* `arg` is the URI after "scheme:".  Syntax only, no I/O. */
	int (*check)(const char *arg, struct xv_error *e);
	/* NULL: the scheme is known but not compiled in (check() says why). */
	int (*open)(struct xv_source *src, const char *arg, struct xv_error *e);
	int (*snapshot)(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e);
	void (*close)(struct xv_source *src); /* frees src->priv */
	/* Optional actions (NULL: this source cannot; source.h).  They are
	 * called on an opened source, never for domain 0. */
	int (*shutdown)(struct xv_source *src, const char *name, struct xv_error *e);
	/* A domain found shut down while waiting: applies what its toolstack
	 * would (on_poweroff = destroy) when nothing else will; *gone says it
	 * no longer exists.  NULL: the source's host does it itself. */
	int (*settle)(struct xv_source *src, const char *name, bool *gone, struct xv_error *e);
	int (*destroy)(struct xv_source *src, const char *name, struct xv_error *e);
	int (*pause)(struct xv_source *src, const char *name, bool pause, struct xv_error *e);
	int (*create)(struct xv_source *src, const char *config, struct xv_created *out,
		      struct xv_error *e);
	int (*console)(struct xv_source *src, const char *name, struct xv_console *out,
		       struct xv_error *e);
	int (*export_config)(struct xv_source *src, struct xv_buf *out, char **file_name,
			     struct xv_error *e);
};

struct xv_source {
	char *uri;
	const struct xv_source_ops *ops; /* NULL: unknown scheme */
	const char *arg;                 /* inside uri */
	void *priv;                      /* the implementation's state */
	bool opened;
};

extern const struct xv_source_ops xv_source_sim_ops;
extern const struct xv_source_ops xv_source_xen_ops;
extern const struct xv_source_ops xv_source_snmp_ops;
extern const struct xv_source_ops xv_source_libvirt_ops;

#endif
