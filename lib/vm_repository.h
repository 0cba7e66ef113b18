/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_repository.h: the VMs a repository directory says should exist.
 *
 * Oracle VM keeps one directory per VM with its vm.cfg in a shared
 * repository (the seed's /OVS/running_pool); plain Xen hosts keep xl config
 * files (/etc/xen/NAME.cfg).  Both are Python-like assignments, and the VM's
 * name is the domain name Xen will show:
 *
 *   name = "dbvrtg001"      or      name = 'dbvrtg001'   # comment
 *
 * A directory is scanned one level deep: DIR/X/vm.cfg and DIR/X.cfg.  A
 * config file whose name cannot be read is an error, not a VM silently
 * forgotten: an inventory that undercounts makes availability lie. */
#ifndef XV_VM_REPOSITORY_H
#define XV_VM_REPOSITORY_H

#include <stddef.h>
#include "error.h"

/* Called for every VM found, in sorted file order; return 0 to go on, or -1
 * with `e` set to stop the scan (which then returns -1). */
typedef int (*xv_repo_vm_fn)(void *user, const char *name, const char *file, unsigned line,
			     struct xv_error *e);

/* Returns 0, or -1 with `e` set: XV_E_NOINPUT for a directory or a config file
 * that cannot be read (a dangling link included: a VM whose config vanished
 * must not silently stop being expected), XV_E_DATA with "FILE:LINE: problem"
 * for a config that makes no sense. */
int xv_repo_scan(const char *dir, xv_repo_vm_fn on_vm, void *user, struct xv_error *e);

/* Reads the name from one config file's text; `file` names it in messages
 * ("FILE:LINE: problem", XV_E_DATA).  Returns 0 with *name (malloc'ed) and
 * *line set. */
int xv_repo_parse_config(const char *file, const char *text, size_t len, char **name,
			 unsigned *line, struct xv_error *e);

#endif
