/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_vm.h: evaluate one domain for check_xen_vm. */
#ifndef XV_VM_CHECK_H
#define XV_VM_CHECK_H

#include "check.h"
#include "range.h"
#include "snapshot.h"

struct xv_vm_check_config {
	const char *name;            /* exactly one of name and uuid */
	const char *uuid;
	struct xv_thresholds memory; /* current memory: bytes or % of max */
	struct xv_thresholds gap;    /* |current - target|: bytes or % of target */
	enum xv_state state_for[XV_STATE_COUNT]; /* by domain state */
	enum xv_state missing_state;
	int verbose;
};

/* Defaults: running, blocked (idle) and runnable OK; paused WARNING;
 * crashed, dying, shut down and missing CRITICAL; no memory thresholds. */
void xv_vm_check_defaults(struct xv_vm_check_config *cfg);

/* The state by domain state above, for every check of VMs (the all-VMs
 * check too). */
void xv_vm_check_state_defaults(enum xv_state state_for[XV_STATE_COUNT]);

void xv_vm_check_run(const struct xv_snapshot *snap, const struct xv_vm_check_config *cfg,
		 struct xv_check *out);

#endif
