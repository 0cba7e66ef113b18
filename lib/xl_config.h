/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xl_config.h: the few facts xvmon reads from an xl domain configuration.
 *
 * An xl config is a list of `key = value` settings, a value being a number,
 * a quoted string or a [list, of, them] that may span lines ('#' starts a
 * comment).  xvmon reads what it needs to place and register a new guest
 * (name, memory, maxmem, vcpus, each vif's MAC) and checks the syntax of the
 * rest; the xen: source hands the whole file to libxl's own parser. */
#ifndef XV_XL_CONFIG_H
#define XV_XL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

#define XV_XL_MAX_VIFS 16

struct xv_xl_config {
	char *name;
	uint64_t memory_kib;  /* memory= (MiB in the file); xl's default 128 MiB */
	uint64_t maxmem_kib;  /* maxmem=, default memory */
	unsigned vcpus;       /* default 1 */
	size_t n_vifs;
	char *vif_mac[XV_XL_MAX_VIFS]; /* the mac= of each vif, NULL: generated at creation */
	/* Every setting's key and line, in file order, so a toolstack that
	 * translates only some keys can refuse the others by name. */
	struct xv_xl_key {
		char *key;
		unsigned line;
	} *keys;
	size_t n_keys;
};

/* Reads `path` (xv_file_read rules, at most 1 MiB).  0, or -1 with `e`:
 * XV_E_NOINPUT, or XV_E_DATA as "FILE:LINE: problem". */
int xv_xl_config_load(const char *path, struct xv_xl_config *cfg, struct xv_error *e);
int xv_xl_config_parse(const char *name, const char *text, size_t len, struct xv_xl_config *cfg,
		       struct xv_error *e);
void xv_xl_config_release(struct xv_xl_config *cfg);

#endif
