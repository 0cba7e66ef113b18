/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_vm_mib.c: VM-MIB values from Xen's flags and figures, the state changes
 * that raise notifications, the VirtualMachineList bitmap, UUID octets. */
#include "harness.h"
#include "util.h"
#include "vm_mib.h"

#include <stdlib.h>

DEF_TEST(oper_and_admin_state)
{
	static const struct {
		unsigned flags;
		enum xva_oper oper;
		enum xva_admin admin;
	} cases[] = {
		{ XV_DOM_RUNNING, XVA_OPER_RUNNING, XVA_ADMIN_RUNNING },
		{ XV_DOM_BLOCKED, XVA_OPER_RUNNING, XVA_ADMIN_RUNNING }, /* idle is up */
		{ 0, XVA_OPER_RUNNING, XVA_ADMIN_RUNNING },              /* waiting for a CPU */
		{ XV_DOM_PAUSED | XV_DOM_BLOCKED, XVA_OPER_PAUSED, XVA_ADMIN_PAUSED },
		{ XV_DOM_SHUTDOWN, XVA_OPER_SHUTDOWN, XVA_ADMIN_SHUTDOWN },
		{ XV_DOM_CRASHED | XV_DOM_BLOCKED, XVA_OPER_CRASHED, XVA_ADMIN_SHUTDOWN },
		{ XV_DOM_DYING | XV_DOM_SHUTDOWN, XVA_OPER_SHUTTINGDOWN, XVA_ADMIN_SHUTDOWN },
		{ XV_DOM_CRASHED | XV_DOM_PAUSED, XVA_OPER_CRASHED, XVA_ADMIN_SHUTDOWN },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xv_domain d = { .flags = cases[i].flags };
		if (xva_oper_state(&d) != cases[i].oper || xva_admin_state(&d) != cases[i].admin)
			FAIL_AT("case %zu: oper %d admin %d", i, xva_oper_state(&d),
				xva_admin_state(&d));
	}
	return 0;
}

DEF_TEST(memory_units)
{
	struct xv_domain d = { .cur_kib = 4194304, .max_kib = 8388608 };
	struct xva_vm_mem m;

	xva_vm_memory(&d, &m);
	EXPECT_EQ_INT(1024, m.unit); /* KiB: exact */
	EXPECT_EQ_INT(4194304, m.cur);
	EXPECT_EQ_INT(8388608, m.max);
	d.max_kib = XV_KIB_UNKNOWN;
	xva_vm_memory(&d, &m);
	EXPECT_EQ_INT(-1, m.max);
	/* 3 TiB does not fit an Integer32 of KiB: MiB, rounded down */
	d.cur_kib = 3ULL << 30;
	d.max_kib = (3ULL << 30) + 1023;
	xva_vm_memory(&d, &m);
	EXPECT_EQ_INT(1048576, m.unit);
	EXPECT_EQ_INT(3 << 20, m.cur);
	EXPECT_EQ_INT(3 << 20, m.max);
	/* exactly INT32_MAX KiB still fits */
	d.cur_kib = 2147483647;
	d.max_kib = XV_KIB_UNKNOWN;
	xva_vm_memory(&d, &m);
	EXPECT_EQ_INT(1024, m.unit);
	return 0;
}

DEF_TEST(uptime_ticks)
{
	EXPECT_EQ_INT(0, xva_uptime_ticks(XV_UPTIME_UNKNOWN, 5000));
	EXPECT_EQ_INT(150, xva_uptime_ticks(1000, 500));
	/* TimeTicks wrap at 2^32 centiseconds (497 days) */
	EXPECT_EQ_U64(5, xva_uptime_ticks(42949672960ULL + 50, 0));
	return 0;
}

static struct xv_domain *dom(struct xv_snapshot *s, const char *name, unsigned flags)
{
	struct xv_domain *d = xv_snapshot_add_domain(s);
	xv_domain_name_set(s, d, name, strlen(name));
	d->flags = flags;
	return d;
}

DEF_TEST(events_carry_the_state_left)
{
	struct xv_snapshot a, b;
	struct xva_vm_event *ev;
	/* a: dom0 (1) running, web (2) blocked, db (3) running, old (4) paused
	 * b: dom0 running, web paused, db blocked (no change: both up),
	 *    old gone, new (5) running, crashed one (6) crashed */
	int32_t ia[] = { 1, 2, 3, 4 }, ib[] = { 1, 2, 3, 5, 6 };

	xv_snapshot_init(&a);
	xv_snapshot_init(&b);
	dom(&a, "Domain-0", XV_DOM_RUNNING);
	dom(&a, "web", XV_DOM_BLOCKED);
	dom(&a, "db", XV_DOM_RUNNING);
	dom(&a, "old", XV_DOM_PAUSED);
	dom(&b, "Domain-0", XV_DOM_RUNNING);
	dom(&b, "web", XV_DOM_PAUSED | XV_DOM_BLOCKED);
	dom(&b, "db", XV_DOM_BLOCKED);
	dom(&b, "new", XV_DOM_RUNNING);
	dom(&b, "bad", XV_DOM_CRASHED);

	size_t n = xva_vm_events(&a, ia, &b, ib, &ev);
	EXPECT_EQ_INT(4, n);
	EXPECT_EQ_INT(2, ev[0].index);
	EXPECT_EQ_INT(XVA_NOTE_PAUSED, ev[0].note);
	EXPECT_EQ_INT(XVA_OPER_RUNNING, ev[0].left);
	EXPECT_EQ_STR("web", ev[0].d->name);
	EXPECT_EQ_INT(4, ev[1].index);
	EXPECT_EQ_INT(XVA_NOTE_DELETED, ev[1].note);
	EXPECT_EQ_INT(XVA_OPER_PAUSED, ev[1].left); /* its last state */
	EXPECT_EQ_STR("old", ev[1].d->name);
	EXPECT_EQ_INT(5, ev[2].index);
	EXPECT_EQ_INT(XVA_NOTE_RUNNING, ev[2].note);
	EXPECT_EQ_INT(XVA_OPER_PREPARING, ev[2].left); /* a new domain was being built */
	EXPECT_EQ_INT(6, ev[3].index);
	EXPECT_EQ_INT(XVA_NOTE_CRASHED, ev[3].note);
	free(ev);
	/* no change, no event; no index, not looked at */
	int32_t none[] = { 0, 0, 0, 0, 0 };
	EXPECT_EQ_INT(0, xva_vm_events(&b, ib, &b, ib, &ev));
	free(ev);
	EXPECT_EQ_INT(0, xva_vm_events(&b, none, &b, none, &ev));
	free(ev);
	xv_snapshot_release(&a);
	xv_snapshot_release(&b);
	EXPECT_EQ_STR("vmBulkDeleted", xva_note_name(XVA_NOTE_DELETED + XVA_NOTE_BULK_OFFSET));
	return 0;
}

DEF_TEST(vm_list_bitmap)
{
	struct xv_buf b = XV_BUF_INIT;

	xva_vm_list_add(&b, 1);
	xva_vm_list_add(&b, 8);
	xva_vm_list_add(&b, 10);
	EXPECT_EQ_INT(2, b.len);
	EXPECT_EQ_INT(0x81, (unsigned char)b.data[0]); /* 1 is the high bit, 8 the low */
	EXPECT_EQ_INT(0x40, (unsigned char)b.data[1]);
	xva_vm_list_add(&b, 0); /* not an index */
	EXPECT_EQ_INT(2, b.len);
	xv_buf_release(&b);
	return 0;
}

DEF_TEST(uuid_octets)
{
	unsigned char o[16];

	EXPECT_EQ_INT(16, xva_uuid_octets("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01", o));
	EXPECT_EQ_INT(0x4f, o[0]);
	EXPECT_EQ_INT(0x01, o[15]);
	EXPECT_EQ_INT(0, xva_uuid_octets("", o)); /* UUIDorZero: the empty string */
	EXPECT_EQ_INT(0, xva_uuid_octets("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a0", o));
	return 0;
}

int main(void)
{
	RUN_TEST(oper_and_admin_state);
	RUN_TEST(memory_units);
	RUN_TEST(uptime_ticks);
	RUN_TEST(events_carry_the_state_left);
	RUN_TEST(vm_list_bitmap);
	RUN_TEST(uuid_octets);
	END_TEST;
}
