/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_snapshot.c: domain states from Xen's flag sets, lookups, uuids. */
#include "harness.h"
#include "num.h"
#include "snapshot.h"
#include "util.h"

DEF_TEST(state_from_flags)
{
	struct xv_domain d = { 0 };

	d.flags = XV_DOM_BLOCKED;
	EXPECT_EQ_INT(XV_STATE_BLOCKED, xv_domain_state(&d));
	EXPECT_TRUE(xv_domain_is_up(&d)); /* an idle guest is up */
	d.flags = XV_DOM_RUNNING;
	EXPECT_TRUE(xv_domain_is_up(&d));
	d.flags = 0; /* runnable, waiting for a CPU */
	EXPECT_EQ_INT(XV_STATE_NONE, xv_domain_state(&d));
	EXPECT_TRUE(xv_domain_is_up(&d));
	d.flags = XV_DOM_PAUSED | XV_DOM_BLOCKED;
	EXPECT_EQ_INT(XV_STATE_PAUSED, xv_domain_state(&d));
	EXPECT_TRUE(!xv_domain_is_up(&d));
	d.flags = XV_DOM_CRASHED | XV_DOM_BLOCKED;
	EXPECT_EQ_INT(XV_STATE_CRASHED, xv_domain_state(&d));
	EXPECT_TRUE(!xv_domain_is_up(&d));
	d.flags = XV_DOM_DYING | XV_DOM_SHUTDOWN;
	EXPECT_EQ_INT(XV_STATE_DYING, xv_domain_state(&d));
	d.flags = XV_DOM_SHUTDOWN;
	EXPECT_EQ_INT(XV_STATE_SHUTDOWN, xv_domain_state(&d));
	EXPECT_EQ_STR("shutdown", xv_dom_state_name(XV_STATE_SHUTDOWN));
	return 0;
}

DEF_TEST(xl_flag_column)
{
	char buf[7];

	xv_domain_flags_string(XV_DOM_BLOCKED, buf);
	EXPECT_EQ_STR("-b----", buf);
	xv_domain_flags_string(XV_DOM_RUNNING | XV_DOM_PAUSED, buf);
	EXPECT_EQ_STR("r-p---", buf);
	/* xl shows a crashed domain as shut down and crashed */
	xv_domain_flags_string(XV_DOM_CRASHED, buf);
	EXPECT_EQ_STR("---sc-", buf);
	xv_domain_flags_string(XV_DOM_DYING, buf);
	EXPECT_EQ_STR("-----d", buf);
	return 0;
}

DEF_TEST(lookups)
{
	struct xv_snapshot s;
	struct xv_domain *d;

	xv_snapshot_init(&s);
	for (int i = 0; i < 20; i++) { /* past the first growth step */
		d = xv_snapshot_add_domain(&s);
		d->id = (uint32_t)(i * 3);
		char name[8];
		snprintf(name, sizeof(name), "vm%d", i);
		xv_domain_name_set(&s, d, name, strlen(name));
		snprintf(d->uuid, sizeof(d->uuid), "00000000-0000-0000-0000-0000000000%02d", i);
	}
	EXPECT_EQ_INT(20, s.n_domains);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, s.domains[5].cur_kib);
	EXPECT_EQ_STR("vm7", xv_snapshot_find_id(&s, 21)->name);
	EXPECT_EQ_INT(57, xv_snapshot_find_name(&s, "vm19")->id);
	EXPECT_TRUE(xv_snapshot_find_name(&s, "vm") == NULL);
	EXPECT_EQ_STR("vm12", xv_snapshot_find_uuid(&s, "00000000-0000-0000-0000-000000000012")->name);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, s.n_domains);
	xv_snapshot_release(&s); /* twice is fine */
	return 0;
}

DEF_TEST(uuids)
{
	char out[37];

	EXPECT_TRUE(xv_uuid_normalize("4F1C0D6E-8B3A-4C51-9A47-0E6B2D9F1A01", out));
	EXPECT_EQ_STR("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01", out);
	EXPECT_TRUE(!xv_uuid_normalize("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a0", out));
	EXPECT_TRUE(!xv_uuid_normalize("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a011", out));
	EXPECT_TRUE(!xv_uuid_normalize("4f1c0d6e_8b3a-4c51-9a47-0e6b2d9f1a01", out));
	EXPECT_TRUE(!xv_uuid_normalize("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a0g", out));
	EXPECT_TRUE(!xv_uuid_normalize("", out));

	static const unsigned char bytes[16] = { 0x4f, 0x1c, 0x0d, 0x6e, 0x8b, 0x3a, 0x4c, 0x51,
						 0x9a, 0x47, 0x0e, 0x6b, 0x2d, 0x9f, 0x1a, 0xff };
	memset(out, 'x', sizeof(out));
	xv_uuid_format(bytes, out);
	EXPECT_EQ_STR("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1aff", out);
	unsigned char zero[16] = { 0 };
	xv_uuid_format(zero, out);
	EXPECT_EQ_STR("00000000-0000-0000-0000-000000000000", out);
	return 0;
}

/* Names kept by the snapshot stay put as thousands more are added, whatever
 * their length: the empty name, names that fill a block exactly, one longer
 * than any block. */
DEF_TEST(names_kept)
{
	struct xv_snapshot s;
	static char big[200000];
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
	char name[64];

	memset(big, 'n', sizeof(big) - 1);
	xv_snapshot_init(&s);
	for (int i = 0; i < 5000; i++) {
		struct xv_domain *d = xv_snapshot_add_domain(&s);
		if (i == 2500) {
			xv_domain_name_set(&s, d, big, sizeof(big) - 1);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s%d", i % 50, letters, i);
		/* what follows the name's length is not copied */
		xv_domain_name_set(&s, d, i % 7 ? name : "", i % 7 ? strlen(name) : 0);
	}
	for (int i = 0; i < 5000; i++) {
		if (i == 2500) {
			EXPECT_EQ_INT(sizeof(big) - 1, strlen(s.domains[i].name));
			continue;
		}
		snprintf(name, sizeof(name), "%.*s%d", i % 50, letters, i);
		EXPECT_EQ_STR(i % 7 ? name : "", s.domains[i].name);
	}
	xv_domain_name_set(&s, &s.domains[0], "partly", 4);
	EXPECT_EQ_STR("part", s.domains[0].name);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, s.n_domains);
	return 0;
}

DEF_TEST(balloon_gap)
{
	struct xv_domain d = { .cur_kib = 3000, .target_kib = 4096 };

	EXPECT_EQ_U64(1096, xv_domain_balloon_gap_kib(&d));
	d.cur_kib = 5000;
	EXPECT_EQ_U64(904, xv_domain_balloon_gap_kib(&d));
	d.target_kib = XV_KIB_UNKNOWN;
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_balloon_gap_kib(&d));
	return 0;
}

DEF_TEST(vcpu_bound)
{
	struct xv_snapshot s;
	struct xv_error e;
	struct xv_domain *d;

	xv_snapshot_init(&s);
	s.host.name = xv_strdup("h");
	d = xv_snapshot_add_domain(&s);
	xv_domain_name_set(&s, d, "a", 1);
	d->vcpus = XV_MAX_VCPUS;
	d->vcpu_ns = xv_calloc(d->vcpus, sizeof(*d->vcpu_ns));
	EXPECT_EQ_INT(0, xv_snapshot_check(&s, &e));
	d->vcpus++;
	EXPECT_EQ_INT(-1, xv_snapshot_check(&s, &e));
	EXPECT_EQ_STR("the host reported 4097 vcpus for domain 0, more than Xen allows", e.msg);
	xv_snapshot_release(&s); /* frees the vcpu array (LeakSanitizer) */
	return 0;
}

DEF_TEST(guest_memory_validation)
{
	struct xv_snapshot s;
	struct xv_domain *d;
	struct xv_error e;

	xv_snapshot_init(&s);
	s.host.name = xv_strdup("h");
	d = xv_snapshot_add_domain(&s);
	xv_domain_name_set(&s, d, "g", 1);
	d->id = 3;
	EXPECT_EQ_INT(XV_GUEST_NONE, xv_domain_guest(d)->report);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, d->cpu_ns);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_io(d)->net_tx_packets);
	EXPECT_TRUE(xv_guest_memory_validate(xv_domain_guest(d)) == NULL);
	EXPECT_EQ_INT(0, xv_snapshot_check(&s, &e));
	/* figures in a record that claims no report */
	xv_domain_detail(d)->guest.free_kib = 1;
	EXPECT_EQ_STR("figures in a record that is not a report", xv_guest_memory_validate(xv_domain_guest(d)));
	EXPECT_EQ_INT(-1, xv_snapshot_check(&s, &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_EQ_STR("the host passed on impossible guest memory figures for domain 3: figures in a "
		      "record that is not a report", e.msg);
	xv_domain_detail(d)->guest.report = XV_GUEST_REPORTED;
	xv_domain_detail(d)->guest.total_kib = 1000;
	xv_domain_detail(d)->guest.free_kib = 600;
	xv_domain_detail(d)->guest.cached_kib = 300;
	EXPECT_TRUE(xv_guest_memory_validate(xv_domain_guest(d)) == NULL);
	EXPECT_EQ_U64(100, xv_guest_used_kib(xv_domain_guest(d)));
	xv_domain_detail(d)->guest.cached_kib = 401;
	EXPECT_EQ_STR("MemFree and the page cache together above MemTotal", xv_guest_memory_validate(xv_domain_guest(d)));
	xv_domain_detail(d)->guest.cached_kib = 300;
	xv_domain_detail(d)->guest.available_kib = 1001;
	EXPECT_EQ_STR("MemAvailable above MemTotal", xv_guest_memory_validate(xv_domain_guest(d)));
	xv_domain_detail(d)->guest.available_kib = XV_KIB_UNKNOWN;
	xv_domain_detail(d)->guest.committed_kib = 5000; /* overcommitted guest: allowed */
	EXPECT_TRUE(xv_guest_memory_validate(xv_domain_guest(d)) == NULL);
	xv_domain_detail(d)->guest.committed_kib = XV_KIB_MAX + 1;
	EXPECT_EQ_STR("a size above 1 PiB", xv_guest_memory_validate(xv_domain_guest(d)));
	xv_domain_detail(d)->guest.committed_kib = 5000;
	xv_domain_detail(d)->guest.swap_out_kib = XV_KIB_COUNTER_MAX + 1;
	EXPECT_EQ_STR("a swap counter above 2^53 KiB", xv_guest_memory_validate(xv_domain_guest(d)));
	xv_domain_detail(d)->guest.swap_out_kib = XV_KIB_COUNTER_MAX;
	EXPECT_TRUE(xv_guest_memory_validate(xv_domain_guest(d)) == NULL);
	xv_domain_detail(d)->guest.report = (enum xv_guest_report)7;
	EXPECT_EQ_STR("an unknown report kind", xv_guest_memory_validate(xv_domain_guest(d)));
	/* refusing clears every figure */
	xv_guest_memory_clear(&xv_domain_detail(d)->guest, XV_GUEST_REFUSED);
	EXPECT_TRUE(xv_guest_memory_validate(xv_domain_guest(d)) == NULL);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_guest(d)->total_kib);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_guest(d)->swap_out_kib);
	EXPECT_EQ_STR("refused", xv_guest_report_name(xv_domain_guest(d)->report));
	xv_snapshot_release(&s);
	return 0;
}

int main(void)
{
	RUN_TEST(guest_memory_validation);
	RUN_TEST(state_from_flags);
	RUN_TEST(xl_flag_column);
	RUN_TEST(lookups);
	RUN_TEST(uuids);
	RUN_TEST(names_kept);
	RUN_TEST(balloon_gap);
	RUN_TEST(vcpu_bound);
	END_TEST;
}
