/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_impl.h: what a source implementation provides (private to lib/). */
#ifndef XV_SOURCE_IMPL_H
#define XV_SOURCE_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include "source.h"
#include "source_async.h"

struct xv_source_ops {
	const char *scheme; /* the part before ':' */
	/* `arg` is the URI after "scheme:".  Syntax only, no I/O. */
	int (*check)(const char *arg, struct xv_error *e);
	/* open, snapshot and async all NULL: the scheme is known but not
	 * compiled in (check() says why). */
	int (*open)(struct xv_source *src, const char *arg, struct xv_error *e);
	int (*snapshot)(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e);
	void (*close)(struct xv_source *src); /* frees src->priv */
	/* Optional: the source asks hosts without blocking (source_async.h).
	 * A source with `async` may leave open/snapshot/close NULL: the
	 * synchronous calls then run it on a private event loop. */
	const struct xv_source_async_ops *async;
	/* Optional: what a user must know about how this URI reaches its host
	 * (say, TLS verification turned off); NULL when nothing.  No I/O. */
	const char *(*caveat)(const char *arg);
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
	int (*create_from_template)(struct xv_source *src,
				    const struct xv_template_request *req,
				    struct xv_created *out, struct xv_error *e);
	int (*console)(struct xv_source *src, const char *name, struct xv_console *out,
		       struct xv_error *e);
	/* the host's (or its pool's) configuration, for backups */
	int (*export_config)(struct xv_source *src, struct xv_export *out, struct xv_error *e);
};

struct xv_source {
	char *uri;
	const struct xv_source_ops *ops; /* NULL: unknown scheme */
	const char *arg;                 /* inside uri */
	void *priv;                      /* the implementation's state */
	bool opened;
	uint64_t deadline_ms;            /* xv_source_set_deadline(); 0: none */
};

extern const struct xv_source_ops xv_source_sim_ops;
extern const struct xv_source_ops xv_source_xen_ops;
extern const struct xv_source_ops xv_source_snmp_ops;
extern const struct xv_source_ops xv_source_libvirt_ops;
extern const struct xv_source_ops xv_source_ssh_ops;
extern const struct xv_source_ops xv_source_xapi_ops;
extern const struct xv_source_ops xv_source_ovs_ops;

/* The operations of `uri`'s scheme and its argument, or NULL. */
const struct xv_source_ops *xv_source_find_ops(const char *uri, const char **arg);

#endif
