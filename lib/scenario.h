/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario.h: sim: scenario files, one simulated Xen host each.
 *
 * A scenario is an INI file (format in docs/scenario.md):
 *
 *   [host]
 *   name = xen01
 *   total_memory = 48G
 *   free_memory = 20G
 *   dom0_memory = 512M        ; or a [domain Domain-0] section with id = 0
 *   cpus = 8
 *   xen_version = 4.17.3
 *   master = xen00            ; the pool master this host follows
 *
 *   [domain web1]
 *   id = 1
 *   state = blocked           ; running blocked paused shutdown crashed dying, comma-separated
 *   memory = 4G               ; KiB unless a unit is given
 *   target = 3.5G             ; default: memory; "unknown" if the source would not know
 *   maxmem = 4G               ; default: memory
 *   vcpus = 2
 *   mac = 00:16:3e:00:00:01   ; one per network interface (repeat the key)
 *   console = text            ; or vnc://HOST:PORT
 *   ignore_shutdown = no      ; yes: a clean shutdown request is ignored
 *
 *   [sim]                     ; optional: how the simulated host answers
 *   delay = 300ms             ; each snapshot takes this long
 *   hang = no                 ; yes: a snapshot never returns (a hung host)
 *
 * Loading checks what Xen itself guarantees (unique ids, names and uuids,
 * memory that fits the host), so a scenario cannot describe an impossible
 * host; errors read "FILE:LINE: problem". */
#ifndef XV_SCENARIO_H
#define XV_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "snapshot.h"

/* How a simulated host answers, from the [sim] section. */
struct xv_sim_behaviour {
	uint64_t delay_ms;
	bool hang;
};

/* Parses `path` into `snap` (initialised here; release it even on failure)
 * and, if `behaviour` is not NULL, the [sim] section into it.  Returns 0, or
 * -1 with `e` set: XV_E_NOINPUT when the file cannot be read, XV_E_DATA with
 * "FILE:LINE: problem" when its content is wrong. */
int xv_scenario_load(const char *path, struct xv_snapshot *snap,
		     struct xv_sim_behaviour *behaviour, struct xv_error *e);

/* Same from memory; `name` stands for the path in messages (tests, fuzzing). */
int xv_scenario_parse(const char *name, const char *text, size_t len,
		      struct xv_snapshot *snap, struct xv_sim_behaviour *behaviour,
		      struct xv_error *e);

/* "00:16:3e:0a:0b:0c": six pairs of hex digits separated by colons. */
bool xv_mac_is_valid(const char *s);

/* "text" or "vnc://HOST:PORT". */
bool xv_scenario_console_is_valid(const char *v);

#endif
