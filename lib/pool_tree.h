/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_tree.h: the pool structure as the hosts tell it (seed 1.3.5).
 *
 * Every host is asked who its master is and which VMs it runs; the answers
 * make a tree master -> servers -> VMs, which survives the loss of the
 * manager that knew it.  A host that did not answer is never dropped: it
 * stays under the master that names it, or under "(unknown master)" when no
 * answering host does.  Domain 0 is not a VM of the tree.
 *
 * Order: masters by name (the unknown group last), servers by name, VMs by
 * domain id.  A host whose source cannot tell its master is its own. */
#ifndef XV_POOL_TREE_H
#define XV_POOL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "error.h"
#include "poller.h"

struct xv_tree_server {
	const char *name;                    /* borrowed from the caller */
	const struct xv_poll_result *result; /* borrowed */
	bool answered;
	size_t *vms;                         /* indices into result->snap.domains, by id */
	size_t n_vms;
};

struct xv_tree_pool {
	char *master;                        /* NULL: the unknown group */
	struct xv_tree_server *servers;      /* by name */
	size_t n_servers, alloc_servers;
};

struct xv_tree {
	struct xv_tree_pool *pools;
	size_t n_pools, alloc_pools;
	size_t n_hosts, n_answered;
};

/* Builds the tree from one poll result per host, named by names[i]; the
 * names and results must outlive the tree. */
void xv_tree_build(struct xv_tree *t, const char *const *names,
		   const struct xv_poll_result *results, size_t n);
void xv_tree_release(struct xv_tree *t);

/* The seed's drawing: ".", "|-master", "|---server", "|-----ID_NAME". */
void xv_tree_text(const struct xv_tree *t, struct xv_buf *out);

void xv_tree_json(const struct xv_tree *t, struct xv_buf *out);

/* Writes the tree as directories DIR/MASTER/SERVER/ID_NAME (a VM's directory
 * holds files uuid and state; a silent host's holds NO-ANSWER with the
 * reason) and replaces `dir` with it in one step: readers see the old tree
 * or the new one.  Names are made safe for a path component ('/', '%',
 * control characters and a leading '.' as %XX).  An existing `dir` that
 * xvm-tree did not write (no .xvm-tree marker inside) is refused
 * (XV_E_CANTCREAT), so a mistyped path never replaces a directory of
 * someone else's. */
int xv_tree_write_dir(const struct xv_tree *t, const char *dir, struct xv_error *e);

/* A name as one path component, as xv_tree_write_dir() writes it. */
void xv_tree_path_component(struct xv_buf *out, const char *name);

#endif
