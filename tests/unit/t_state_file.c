/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_state_file.c: the state a check keeps between runs: round trip, paths,
 * what a reader refuses. */
#include "harness.h"
#include "buf.h"
#include "file.h"
#include "state_file.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dir;

/* The lines of format 2 around the vm lines */
#define FIELDS_AFTER_CPU_WAIT                                                              \
	" swap_in_kib swap_out_kib disk_read_bytes disk_write_bytes disk_read_ops"         \
	" disk_write_ops net_rx_bytes net_tx_bytes net_rx_packets net_tx_packets"          \
	" gap_warning_since gap_critical_since\n"
#define FIELDS_START                                                                       \
	"fields cpu_ns cpu_wait_ns swap_in_kib swap_out_kib disk_read_bytes disk_write_bytes" \
	" disk_read_ops disk_write_ops net_rx_bytes net_tx_bytes net_rx_packets net_tx_packets"
#define FIELDS FIELDS_START " gap_warning_since gap_critical_since\n"
/* the 12 counters and the 2 times of a vm line */
#define VALUES " 1 - 1 1 1 1 - - 1 1 - - 0 0"

static struct xv_domain dom(uint32_t id, const char *uuid)
{
	/* details of the domains a test has at once (a snapshot would own them) */
	static struct xv_domain_detail details[4];
	static unsigned next;
	struct xv_domain d;

	memset(&d, 0, sizeof(d));
	d.detail = &details[next++ % 4];
	xv_domain_detail_clear(d.detail);
	d.id = id;
	strcpy(d.uuid, uuid);
	d.cpu_ns = 123;
	d.cpu_wait_ns = XV_COUNTER_UNKNOWN;
	d.detail->guest.swap_in_kib = 7;
	d.detail->guest.swap_out_kib = XV_COUNTER_UNKNOWN;
	d.detail->io = (struct xv_domain_io){ 1, 2, 3, 4, 5, 6, 7, XV_COUNTER_UNKNOWN };
	return d;
}

DEF_TEST(round_trip)
{
	struct xv_state_file s, back;
	struct xv_domain a = dom(3, "bbbbbbbb-0000-4000-8000-000000000002");
	struct xv_domain b = dom(4, "aaaaaaaa-0000-4000-8000-000000000001");
	struct xv_error e;
	char *path = xv_asprintf("%s/sub/dir/x.state", dir);
	const struct xv_state_vm *v;

	xv_state_file_init(&s);
	xv_state_file_add(&s, &a, 1000)->gap_warning_since_ms = 900;
	xv_state_file_add(&s, &b, 1001);
	xv_state_file_add(&s, &a, 1000); /* a VM seen twice (split brain): kept once */
	s.time_ms = 1002;
	if (xv_state_file_save(path, &s, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_INT(1, xv_state_file_load(path, &back, &e));
	EXPECT_EQ_U64(1002, back.time_ms);
	EXPECT_EQ_INT(2, back.n_vms);
	v = xv_state_file_find(&back, "BBBBBBBB-0000-4000-8000-000000000002");
	EXPECT_TRUE(v == NULL); /* lookups take the canonical lower case */
	v = xv_state_file_find(&back, a.uuid);
	EXPECT_TRUE(v != NULL);
	EXPECT_EQ_INT(3, v->domid);
	EXPECT_EQ_U64(1000, v->time_ms);
	EXPECT_EQ_U64(900, v->gap_warning_since_ms);
	EXPECT_EQ_U64(0, v->gap_critical_since_ms);
	EXPECT_EQ_U64(123, v->counter[XV_CTR_CPU_NS]);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, v->counter[XV_CTR_CPU_WAIT_NS]);
	EXPECT_EQ_U64(7, v->counter[XV_CTR_SWAP_IN_KIB]);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, v->counter[XV_CTR_SWAP_OUT_KIB]);
	EXPECT_EQ_U64(7, v->counter[XV_CTR_NET_RX_PACKETS]);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, v->counter[XV_CTR_NET_TX_PACKETS]);
	EXPECT_TRUE(xv_state_file_find(&back, b.uuid) != NULL);
	EXPECT_TRUE(xv_state_file_find(&back, "not a uuid") == NULL);
	xv_state_file_release(&back);
	xv_state_file_release(&s);
	/* a missing file is a first run */
	free(path);
	path = xv_asprintf("%s/none.state", dir);
	EXPECT_EQ_INT(0, xv_state_file_load(path, &back, &e));
	EXPECT_EQ_INT(0, back.n_vms);
	free(path);
	return 0;
}

/* The vm lines are written in UUID order, each VM once (its first copy),
 * UUIDs alike in their first eight characters included (sorted by those first). */
DEF_TEST(written_sorted_each_vm_once)
{
	static const char *const uuids[] = {
		"aaaaaaaa-aaaa-4aaa-8000-000000000002", "aaaaaaaa-aaaa-4aaa-8000-000000000001",
		"aaaaaaaa-aaaa-4aaa-8000-000000000002", "00000000-0000-4000-8000-00000000ffff",
		"aaaaaaaa-aaaa-4aaa-7fff-ffffffffffff", "ffffffff-ffff-4fff-bfff-ffffffffffff",
	};
	struct xv_state_file s;
	struct xv_error e;
	char *path = xv_asprintf("%s/order.state", dir), *text;
	struct xv_buf file = XV_BUF_INIT;
	uint64_t x = 88172645463325252ull;

	xv_state_file_init(&s);
	for (size_t i = 0; i < XV_ARRAY_SIZE(uuids); i++) {
		struct xv_domain d = dom((uint32_t)i + 1, uuids[i]);
		xv_state_file_add(&s, &d, 1000);
	}
	for (int i = 0; i < 300; i++) {
		char u[37];
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		snprintf(u, sizeof(u), "%08x-%04x-4%03x-8%03x-%012llx", (unsigned)(x >> 32),
			 (unsigned)(x & 0xffff), (unsigned)(x >> 16) & 0xfff, (unsigned)(x >> 28) & 0xfff,
			 (unsigned long long)(x & 0xffffffffffffull));
		struct xv_domain d = dom(100, u);
		xv_state_file_add(&s, &d, 1000);
	}
	s.time_ms = 1002;
	if (xv_state_file_save(path, &s, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_INT(0, xv_file_read(path, 1 << 20, 1, &file, &e));
	text = file.data;
	char prev[37] = "";
	unsigned lines = 0;
	for (char *l = strstr(text, "\nvm "); l; l = strstr(l + 1, "\nvm ")) {
		char u[37];
		memcpy(u, l + 4, 36);
		u[36] = '\0';
		if (strcmp(prev, u) >= 0)
			FAIL_AT("'%s' after '%s'", u, prev);
		memcpy(prev, u, sizeof(prev));
		lines++;
	}
	EXPECT_EQ_INT(305, lines);
	/* the first copy of the VM added twice: domain id 1, not 3 */
	EXPECT_TRUE(strstr(text, "\nvm aaaaaaaa-aaaa-4aaa-8000-000000000002 1 1000 ") != NULL);
	EXPECT_TRUE(strstr(text, "\nvm aaaaaaaa-aaaa-4aaa-7fff-ffffffffffff 5 1000 ") != NULL);
	/* read back, each found by its UUID, and nothing else */
	struct xv_state_file back;
	EXPECT_EQ_INT(1, xv_state_file_load(path, &back, &e));
	EXPECT_EQ_INT(305, back.n_vms);
	for (size_t i = 0; i < s.n_vms; i++) {
		const struct xv_state_vm *v = xv_state_file_find(&back, s.vms[i].uuid);
		if (!v || strcmp(v->uuid, s.vms[i].uuid))
			FAIL_AT("%s not found", s.vms[i].uuid);
	}
	EXPECT_TRUE(xv_state_file_find(&back, "aaaaaaaa-aaaa-4aaa-8000-000000000003") == NULL);
	EXPECT_TRUE(xv_state_file_find(&back, "aaaaaaaa") == NULL);
	EXPECT_TRUE(xv_state_file_find(&back, "") == NULL);
	xv_state_file_release(&back);
	xv_buf_release(&file);
	xv_state_file_release(&s);
	free(path);
	return 0;
}

/* The bytes of format 2, as the header of state_file.h shows them. */
DEF_TEST(written_as_documented)
{
	struct xv_state_file s;
	struct xv_domain a = dom(3, "bbbbbbbb-0000-4000-8000-000000000002");
	struct xv_buf text = XV_BUF_INIT;
	struct xv_error e;
	char *path = xv_asprintf("%s/doc.state", dir);

	xv_state_file_init(&s);
	xv_state_file_add(&s, &a, 1000)->gap_warning_since_ms = 900;
	s.time_ms = 1002;
	if (xv_state_file_save(path, &s, &e) || xv_file_read(path, 1 << 20, 1, &text, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_STR("xvmon-state 2\ntime 1002\n" FIELDS
		      "vm bbbbbbbb-0000-4000-8000-000000000002 3 1000 123 - 7 - 1 2 3 4 5 6 7 - 900 0\n",
		      text.data);
	xv_buf_release(&text);
	xv_state_file_release(&s);
	free(path);
	return 0;
}

/* Files of many 64 KiB chunks, read a chunk at a time: every VM comes back,
 * whatever chunk its line starts or ends in; the last line may lack its
 * line feed; blank lines are passed over. */
DEF_TEST(many_chunks)
{
	struct xv_state_file s, back;
	struct xv_error e;
	char *path = xv_asprintf("%s/many.state", dir);
	const unsigned n = 3000; /* about 0.5 MB: eight chunks */

	xv_state_file_init(&s);
	for (unsigned i = 0; i < n; i++) {
		char uuid[37];
		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012x", i * 7919u, i);
		struct xv_domain d = dom(i + 1, uuid);
		d.cpu_ns = 1000000ull * i;
		xv_state_file_add(&s, &d, 5000 + i)->gap_critical_since_ms = i;
	}
	s.time_ms = 9000;
	if (xv_state_file_save(path, &s, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_INT(1, xv_state_file_load(path, &back, &e));
	EXPECT_EQ_INT(n, back.n_vms);
	for (unsigned i = 0; i < n; i++) {
		const struct xv_state_vm *v = xv_state_file_find(&back, s.vms[i].uuid);
		if (!v)
			FAIL_AT("VM %u lost", i);
		EXPECT_EQ_INT(i + 1, v->domid);
		EXPECT_EQ_U64(5000 + i, v->time_ms);
		EXPECT_EQ_U64(1000000ull * i, v->counter[XV_CTR_CPU_NS]);
		EXPECT_EQ_U64(i, v->gap_critical_since_ms);
	}
	xv_state_file_release(&back);

	/* the same file without its last line feed, with blank lines */
	struct xv_buf all = XV_BUF_INIT;
	if (xv_file_read(path, 1u << 24, 1, &all, &e))
		FAIL_AT("%s", e.msg);
	const char *text = all.data;
	size_t len = all.len;
	size_t half = (size_t)(strchr(text + len / 2, '\n') + 1 - text);
	FILE *f = fopen(path, "w");
	fwrite(text, 1, half, f);
	fputs("\n\n", f);
	fwrite(text + half, 1, len - 1 - half, f);
	fclose(f);
	EXPECT_EQ_INT(1, xv_state_file_load(path, &back, &e));
	EXPECT_EQ_INT(n, back.n_vms);
	xv_state_file_release(&back);

	/* a NUL byte far into the file, and a line longer than a chunk */
	f = fopen(path, "w");
	fwrite(text, 1, len, f);
	fputc('\0', f);
	fclose(f);
	EXPECT_EQ_INT(-1, xv_state_file_load(path, &back, &e));
	EXPECT_TRUE(strstr(e.msg, "has a NUL byte") != NULL);
	f = fopen(path, "w");
	fwrite(text, 1, len, f);
	for (int i = 0; i < 70000; i++)
		fputc('x', f);
	fclose(f);
	EXPECT_EQ_INT(-1, xv_state_file_load(path, &back, &e));
	/* the line after the 3003 lines written: header, time, fields, one a VM */
	char *want = xv_asprintf("%s:%u: a line longer than 64 KiB", path, n + 4);
	EXPECT_TRUE(!strncmp(e.msg, want, strlen(want)));
	EXPECT_EQ_INT(0, back.n_vms);
	free(want);
	xv_buf_release(&all);
	xv_state_file_release(&s);
	free(path);
	return 0;
}

DEF_TEST(refused)
{
	/* each file, and what the message says after "PATH" */
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "", ": no time line" },
		{ "xvmon-state 3\ntime 5\n" FIELDS, ":1: no 'xvmon-state 2' header" },
		/* format 1, which named every value on every line */
		{ "xvmon-state 1\ntime 5\n", ":1: no 'xvmon-state 2' header" },
		{ "xvmon-state 2\n", ": no time line" },
		{ "xvmon-state 2\ntime 5\n", ": no fields line" },
		{ "xvmon-state 2\ntime 5\ntime 6\n" FIELDS, ":3: a bad time line" },
		{ "xvmon-state 2\ntime -5\n" FIELDS, ":2: a bad time line" },
		{ "xvmon-state 2\ntime 5\n" FIELDS FIELDS, ":4: a fields line other than this xvmon's" },
		/* fields of another xvmon: one more, one less, another order */
		{ "xvmon-state 2\ntime 5\n" FIELDS_START " extra_ns gap_warning_since gap_critical_since\n",
		  ":3: a fields line other than this xvmon's" },
		{ "xvmon-state 2\ntime 5\nfields cpu_ns gap_warning_since gap_critical_since\n",
		  ":3: a fields line other than this xvmon's" },
		{ "xvmon-state 2\ntime 5\nfields cpu_wait_ns cpu_ns" FIELDS_AFTER_CPU_WAIT,
		  ":3: a fields line other than this xvmon's" },
		{ "xvmon-state 2\ntime 5\n" FIELDS_START " gap_warning_since\n",
		  ":3: a fields line other than this xvmon's" },
		/* a vm line before the fields that say what its values are */
		{ "xvmon-state 2\ntime 5\nvm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5" VALUES "\n" FIELDS,
		  ":3: a vm line before the fields line" },
		{ "xvmon-state 2\ntime 5\n" FIELDS "vm not-a-uuid 1 5" VALUES "\n",
		  ":4: a vm line without a UUID" },
		{ "xvmon-state 2\ntime 5\n" FIELDS "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1\n",
		  ":4: a vm line without its time" },
		{ "xvmon-state 2\ntime 5\n" FIELDS "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 99999 5" VALUES "\n",
		  ":4: a vm line without a domain id" },
		/* one value short, one too many, a dash where a time goes */
		{ "xvmon-state 2\ntime 5\n" FIELDS
		  "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5 1 - 1 1 1 1 - - 1 1 - - 0\n",
		  ":4: a vm line without its balloon gap times" },
		{ "xvmon-state 2\ntime 5\n" FIELDS "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5" VALUES " 0\n",
		  ":4: a vm line with more fields than xvmon writes" },
		{ "xvmon-state 2\ntime 5\n" FIELDS
		  "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5 1 - 1 1 1 1 - - 1 1 - - 0 -\n",
		  ":4: a vm line without its balloon gap times" },
		/* a counter that is not a number, the unknown marker's value,
		 * one past 2^64 */
		{ "xvmon-state 2\ntime 5\n" FIELDS
		  "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5 1 - 1 1 1 1 - - 1 1 - x 0 0\n",
		  ":4: a vm line whose counters are not all there" },
		{ "xvmon-state 2\ntime 5\n" FIELDS
		  "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5 18446744073709551615 - 1 1 1 1 - - 1 1 - - 0 0\n",
		  ":4: a vm line whose counters are not all there" },
		{ "xvmon-state 2\ntime 5\n" FIELDS
		  "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5 18446744073709551616 - 1 1 1 1 - - 1 1 - - 0 0\n",
		  ":4: a vm line whose counters are not all there" },
		/* one VM twice, a line of bytes that are not text */
		{ "xvmon-state 2\ntime 5\n" FIELDS "vm 4040ea19-f63d-4d3d-b947-37ed993a397c 1 5" VALUES
		  "\nvm 4040EA19-F63D-4D3D-B947-37ED993A397C 2 5" VALUES "\n",
		  ": a VM listed twice" },
		{ "xvmon-state 2\ntime 5\n\377\376\001\n", ":3: a line xvmon does not write" },
		{ "xvmon-state 2\ntime 5\nwhat 1\n", ":3: a line xvmon does not write" },
	};
	struct xv_state_file s;
	struct xv_error e;
	char *path = xv_asprintf("%s/bad.state", dir);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *want = xv_asprintf("%s%s (not a state file xvmon wrote; it is started again)",
					 path, bad[i].says);
		FILE *f = fopen(path, "w");
		fputs(bad[i].text, f);
		fclose(f);
		if (xv_state_file_load(path, &s, &e) != -1)
			FAIL_AT("accepted case %zu", i);
		EXPECT_EQ_INT(XV_E_DATA, e.code);
		EXPECT_EQ_STR(want, e.msg);
		EXPECT_EQ_INT(0, s.n_vms);
		free(want);
	}
	free(path);
	return 0;
}

DEF_TEST(paths)
{
	char *a = xv_state_file_path("/d", "check_x", "sim:a\0k", 7);
	char *b = xv_state_file_path("/d", "check_x", "sim:a\0l", 7);
	char *d;

	EXPECT_TRUE(strncmp(a, "/d/check_x-", 11) == 0);
	EXPECT_EQ_INT(11 + 16 + 6, strlen(a)); /* 16 hex digits, ".state" */
	EXPECT_TRUE(strcmp(a, b) != 0);
	free(a);
	free(b);
	setenv("XVMON_STATE_DIR", "/x/y", 1);
	d = xv_state_file_dir(NULL);
	EXPECT_EQ_STR("/x/y", d);
	free(d);
	d = xv_state_file_dir("/given");
	EXPECT_EQ_STR("/given", d);
	free(d);
	unsetenv("XVMON_STATE_DIR");
	setenv("XDG_STATE_HOME", "/h/.local/state", 1);
	d = xv_state_file_dir(NULL);
	EXPECT_EQ_STR("/h/.local/state/xvmon", d);
	free(d);
	unsetenv("XDG_STATE_HOME");
	d = xv_state_file_dir(NULL);
	EXPECT_EQ_STR(XV_LOCALSTATEDIR "/lib/xvmon", d);
	free(d);
	return 0;
}

int main(void)
{
	dir = harness_temp_dir();
	RUN_TEST(round_trip);
	RUN_TEST(written_sorted_each_vm_once);
	RUN_TEST(written_as_documented);
	RUN_TEST(many_chunks);
	RUN_TEST(refused);
	RUN_TEST(paths);
	END_TEST;
}
