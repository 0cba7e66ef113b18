/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_vm_index.c: the agent's UUID -> vmIndex map: small stable numbers, kept
 * across restarts through the state file, forgotten after the retention. */
#include "harness.h"
#include "buf.h"
#include "file.h"
#include "util.h"
#include "vm_index.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static char *path_in_dir(const char *name)
{
	return xv_asprintf("%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

DEF_TEST(dense_and_stable)
{
	struct xva_vm_index *m = xva_vm_index_new(NULL, 3600);

	EXPECT_EQ_INT(1, xva_vm_index_get(m, "uuid-a", 100));
	EXPECT_EQ_INT(2, xva_vm_index_get(m, "uuid-b", 100));
	EXPECT_EQ_INT(1, xva_vm_index_get(m, "uuid-a", 200)); /* same VM, same number */
	EXPECT_EQ_INT(3, xva_vm_index_get(m, "uuid-0", 200)); /* not by sort order */
	EXPECT_EQ_INT(3, xva_vm_index_count(m));
	/* b was last seen at 100: gone after the hour, its number free again */
	EXPECT_EQ_INT(0, xva_vm_index_expire(m, 3700));
	EXPECT_EQ_INT(1, xva_vm_index_expire(m, 3701));
	EXPECT_EQ_INT(2, xva_vm_index_get(m, "uuid-c", 3702));
	EXPECT_EQ_INT(4, xva_vm_index_get(m, "uuid-d", 3702));
	/* keys that cannot be stored get no number rather than a wrong one */
	EXPECT_EQ_INT(0, xva_vm_index_get(m, "x123456789x123456789x123456789x123456789x123456789x123456789x12345", 1));
	xva_vm_index_free(m);
	return 0;
}

DEF_TEST(survives_a_restart)
{
	char *path = path_in_dir("vm-index");
	struct xv_error e;
	struct xva_vm_index *m = xva_vm_index_new(path, 86400);
	struct xv_buf b = XV_BUF_INIT;

	EXPECT_EQ_INT(0, xva_vm_index_load(m, &e)); /* no file yet: a first start */
	EXPECT_EQ_INT(1, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01", 1000));
	EXPECT_EQ_INT(2, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a02", 1000));
	EXPECT_EQ_INT(3, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a03", 1000));
	xva_vm_index_expire(m, 1000);
	EXPECT_EQ_INT(0, xva_vm_index_save(m, &e));
	xva_vm_index_free(m);

	EXPECT_EQ_INT(0, xv_file_read(path, 4096, 1, &b, &e));
	EXPECT_EQ_STR("# xvmon-agentx vmIndex map (INDEX LAST-SEEN KEY)\n"
		      "1 1000 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01\n"
		      "2 1000 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a02\n"
		      "3 1000 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a03\n", b.data);
	xv_buf_release(&b);

	m = xva_vm_index_new(path, 86400);
	EXPECT_EQ_INT(0, xva_vm_index_load(m, &e));
	EXPECT_EQ_INT(3, xva_vm_index_count(m));
	/* the restarted agent gives the same numbers, and new VMs new ones */
	EXPECT_EQ_INT(2, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a02", 2000));
	EXPECT_EQ_INT(4, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a09", 2000));
	EXPECT_EQ_INT(1, xva_vm_index_get(m, "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01", 2000));
	xva_vm_index_free(m);
	free(path);
	return 0;
}

DEF_TEST(bad_state_files)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "1 5 a\n1 5 b\n", "vm-index:2: index 1 given twice" },
		{ "1 5 a\n2 5 a\n", "vm-index:2: key 'a' given twice" },
		{ "# header\n\n0 5 a\n", "vm-index:3: index or time out of range" },
		{ "1 5 a b\n", "vm-index:1: expected INDEX LAST-SEEN KEY" },
		{ "1 5\n", "vm-index:1: expected INDEX LAST-SEEN KEY" },
		{ "x 5 a\n", "vm-index:1: expected INDEX LAST-SEEN KEY" },
		{ "2147483648 5 a\n", "vm-index:1: index or time out of range" },
	};
	char *path = path_in_dir("vm-index");
	struct xv_error e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xva_vm_index *m = xva_vm_index_new(path, 86400);
		write_file(path, bad[i].text);
		if (xva_vm_index_load(m, &e) != -1)
			FAIL_AT("case %zu accepted", i);
		const char *msg = strstr(e.msg, "vm-index:");
		EXPECT_EQ_STR(bad[i].msg, msg ? msg : e.msg);
		/* the agent runs on with an empty map */
		EXPECT_EQ_INT(0, xva_vm_index_count(m));
		EXPECT_EQ_INT(1, xva_vm_index_get(m, "z", 1));
		xva_vm_index_free(m);
	}
	/* a directory where the file should be: reported, not fatal */
	unlink(path);
	mkdir(path, 0700);
	struct xva_vm_index *m = xva_vm_index_new(path, 86400);
	EXPECT_EQ_INT(-1, xva_vm_index_load(m, &e));
	EXPECT_EQ_INT(XV_E_NOINPUT, e.code);
	xva_vm_index_get(m, "a", 1);
	EXPECT_EQ_INT(-1, xva_vm_index_save(m, &e)); /* cannot rename over a directory */
	rmdir(path);
	xva_vm_index_free(m);
	free(path);
	return 0;
}

int main(void)
{
	dir = harness_temp_dir();
	RUN_TEST(dense_and_stable);
	RUN_TEST(survives_a_restart);
	RUN_TEST(bad_state_files);
	END_TEST;
}
