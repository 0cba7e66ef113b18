/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xen_libxl.h: libxenlight and libxlutil for the xen: source's actions
 * (private to lib/).
 *
 * The xen: source acts on domains the way `xl` does: through libxl
 * (libxenlight), with xl configuration files read by libxlutil's own parser
 * (xlu_cfg_*, xlu_disk_parse).  Both libraries are opened with dlopen() the
 * first time an action needs them, from the sonames the Makefile found at
 * build time; a snapshot never loads them.
 *
 * The configuration is translated into a libxl_domain_config here, as xl's
 * parser does for the keys xvmon knows (name, uuid, type/builder, memory,
 * maxmem, vcpus, maxvcpus, kernel, ramdisk, extra, root, cmdline,
 * bootloader, on_poweroff/on_reboot/on_crash, vif, disk, vnc*, serial,
 * boot).  Any other key is refused by name (XV_E_UNSUPPORTED): a guest
 * created without its pci= or cpus= would be a different guest, and xl
 * would silently ignore a key it does not know. */
#ifndef XV_XEN_LIBXL_H
#define XV_XEN_LIBXL_H

#if XV_HAVE_XENLIGHT

#include <stdio.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>
#include "error.h"
#include "xl_config.h"

#define XV_LIBXL_SYMBOLS(X)                                                    \
	X(xl, libxl_ctx_alloc)                                                 \
	X(xl, libxl_ctx_free)                                                  \
	X(xl, libxl_name_to_domid)                                             \
	X(xl, libxl_domain_info)                                               \
	X(xl, libxl_dominfo_init)                                              \
	X(xl, libxl_dominfo_dispose)                                           \
	X(xl, libxl_domain_shutdown)                                           \
	X(xl, libxl_send_trigger)                                              \
	X(xl, libxl_domain_destroy)                                            \
	X(xl, libxl_domain_pause)                                              \
	X(xl, libxl_domain_unpause)                                            \
	X(xl, libxl_domain_create_new)                                         \
	X(xl, libxl_domain_config_init)                                        \
	X(xl, libxl_domain_config_dispose)                                     \
	X(xl, libxl_domain_build_info_init_type)                               \
	X(xl, libxl_retrieve_domain_configuration)                             \
	X(xl, libxl_domain_config_to_json)                                     \
	X(xl, libxl_list_domain)                                               \
	X(xl, libxl_dominfo_list_free)                                         \
	X(xl, libxl_device_nic_init)                                           \
	X(xl, libxl_device_nic_list)                                           \
	X(xl, libxl_device_nic_list_free)                                      \
	X(xl, libxl_device_disk_init)                                          \
	X(xl, libxl_defbool_set)                                               \
	X(xl, libxl_uuid_from_string)                                          \
	X(xlu, xlu_cfg_init)                                                   \
	X(xlu, xlu_cfg_readdata)                                               \
	X(xlu, xlu_cfg_destroy)                                                \
	X(xlu, xlu_cfg_get_string)                                             \
	X(xlu, xlu_cfg_get_long)                                               \
	X(xlu, xlu_cfg_get_list)                                               \
	X(xlu, xlu_cfg_get_listitem)                                           \
	X(xlu, xlu_disk_parse)

struct xv_libxl {
	void *xl, *xlu; /* dlopen handles */
#define XV_LIBXL_DECLARE(lib, name) __typeof__(name) *name;
	XV_LIBXL_SYMBOLS(XV_LIBXL_DECLARE)
#undef XV_LIBXL_DECLARE
};

/* Opens both libraries (XV_E_UNSUPPORTED if they or a symbol are missing). */
int xv_libxl_load(struct xv_libxl *api, struct xv_error *e);
void xv_libxl_unload(struct xv_libxl *api);

/* Fills `dc` (initialised by this call; dispose it with
 * api->libxl_domain_config_dispose even on failure) from the xl config
 * `text` of file `path`.  `keys` is the same text read by xl_config.h (the
 * list of keys, which libxlutil cannot enumerate).  Errors: XV_E_DATA
 * ("FILE:LINE: problem", libxlutil's own words for its syntax errors),
 * XV_E_UNSUPPORTED for a key or vif setting xvmon does not translate,
 * XV_E_LOCAL when memory for the report stream is short. */
int xv_libxl_config_build(const struct xv_libxl *api, const char *path, const char *text,
			  size_t len, const struct xv_xl_config *keys, libxl_domain_config *dc,
			  struct xv_error *e);

/* A libxl logger that keeps the last error libxl reported, for our message,
 * and prints nothing (a plugin's or tool's stderr is ours). */
struct xv_libxl_logger {
	xentoollog_logger base; /* first: libxl gets a pointer to it */
	char last[400];
};
void xv_libxl_logger_init(struct xv_libxl_logger *lg);

#endif
#endif
