/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.h: the site's registration hooks, run as run-parts(8) runs scripts.
 *
 * A hooks directory holds executables named [A-Za-z0-9_-]+ (other names and
 * non-executable files are passed over, as run-parts does), run in name
 * order with argv NAME HOST MAC..., never through a shell.  Because they run
 * with xvmon's rights, a directory or hook that someone else could change is
 * refused: it must be owned by root or by us and be neither group- nor
 * world-writable. */
#ifndef XV_CONTRIB_HOOKS_H
#define XV_CONTRIB_HOOKS_H

#include <stddef.h>
#include "error.h"

struct hooks {
	char *dir;
	char **paths; /* sorted */
	size_t n;
};

/* Lists and checks `dir`.  A missing directory is XV_E_NOINPUT, an unsafe
 * one (or hook) XV_E_CONFIG naming it.  With `optional`, a missing directory
 * is an empty list. */
int hooks_load(struct hooks *h, const char *dir, int optional, struct xv_error *e);

/* Runs every hook with `args` (NULL-terminated) after its own path, each
 * for at most `timeout_ms`; stops at the first that fails (XV_E_HOST, the
 * message names the hook and how it failed) and says which ran in *done. */
int hooks_run(const struct hooks *h, char *const *args, unsigned timeout_ms, size_t *done,
	      struct xv_error *e);

void hooks_release(struct hooks *h);

#endif
