/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inventory.h: pools, their hosts and the VMs expected to run on them.
 *
 * An INI file (format and a complete example in docs/inventory.md):
 *
 *   [pool prod]
 *   vm = web1                  ; an expected VM; repeat the key for more
 *   vm_repository = /OVS/running_pool   ; or found in a VM repository
 *   timeout = 5s               ; per-host deadline
 *
 *   [host xen01]
 *   pool = prod
 *   source = sim:xen01.sim     ; any source URI; relative sim: paths and
 *                              ; repositories are relative to this file
 *
 * Errors name the file, the line and the key. */
#ifndef XV_INVENTORY_H
#define XV_INVENTORY_H

#include <stddef.h>
#include "error.h"

struct xv_inv_host {
	char *name;
	char *uri;
	size_t pool;         /* index into pools */
	unsigned timeout_ms; /* 0: the pool's */
	unsigned line;
};

struct xv_inv_pool {
	char *name;
	unsigned line;
	size_t *hosts;   /* indices into the inventory's hosts, in file order */
	size_t n_hosts, alloc_hosts;
	char **vms;      /* expected VM names, sorted, unique */
	size_t n_vms, alloc_vms;
	char **repositories; /* vm_repository directories, resolved (for backups) */
	size_t n_repositories, alloc_repositories;
	unsigned timeout_ms; /* per-host deadline; default XV_POLL_DEFAULT_TIMEOUT_MS */
	unsigned parallel;   /* 0: the poller's default */
	/* Service Level Status feed settings (xvmon-sls) */
	char *sls_id;        /* feeds ID.xml, ID_vm.xml, ID_pm.xml; default the pool name */
	char *sls_contact;
	char *sls_webpage;
};

struct xv_inventory {
	char *path;
	struct xv_inv_pool *pools;
	size_t n_pools, alloc_pools;
	struct xv_inv_host *hosts;
	size_t n_hosts, alloc_hosts;
};

/* The most hosts, and the most VMs, one pool may have: the availability
 * arithmetic (availability.h) is exact in 64 bits up to here. */
#define XV_POOL_MAX_COUNT (1u << 24)

/* An inventory of 100 000 VMs and hosts is a few megabytes. */
#define XV_INVENTORY_MAX_BYTES (64u << 20)

/* Loads `path` (inv is initialised here; release it even on failure).
 * Returns 0, or -1 with `e` set: XV_E_NOINPUT when the file (or a VM
 * repository it names) cannot be read, XV_E_CONFIG for a source URI that can
 * never work, XV_E_DATA for anything else, as "FILE:LINE: problem". */
int xv_inventory_load(const char *path, struct xv_inventory *inv, struct xv_error *e);

/* Same from memory; relative paths are taken from `dir` (tests, fuzzing). */
int xv_inventory_parse(const char *name, const char *dir, const char *text, size_t len,
		       struct xv_inventory *inv, struct xv_error *e);

void xv_inventory_release(struct xv_inventory *inv);

/* The pool named `name`, or NULL. */
const struct xv_inv_pool *xv_inventory_pool(const struct xv_inventory *inv, const char *name);

/* The pool a command line means: `name`, or the only pool when name is
 * NULL.  NULL with e (XV_E_USAGE, naming the pools there are) otherwise. */
const struct xv_inv_pool *xv_inventory_choose(const struct xv_inventory *inv, const char *name,
					      struct xv_error *e);

/* True if `vm` is expected in `pool` (binary search). */
int xv_inv_pool_expects(const struct xv_inv_pool *pool, const char *vm);

#endif
