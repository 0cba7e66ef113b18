/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_source.c: URI dispatch and the sources' failure messages. */
#include "harness.h"
#include "source.h"

#include <unistd.h>

static enum xv_error_code code;

static const char *open_error(const char *uri)
{
	static char msg[1024];
	struct xv_source *src = xv_source_new(uri);
	struct xv_error e;

	code = XV_E_NONE;
	if (xv_source_open(src, &e) == 0) {
		snprintf(msg, sizeof(msg), "(opened)");
	} else {
		snprintf(msg, sizeof(msg), "%s", e.msg);
		code = e.code;
	}
	xv_source_free(src);
	return msg;
}

static const char *check_error(const char *uri)
{
	static char msg[1100];
	struct xv_error e;

	if (xv_source_check_uri(uri, &e))
		return snprintf(msg, sizeof(msg), "%s %s", xv_error_code_name(e.code), e.msg), msg;
	return "(valid)";
}

DEF_TEST(bad_uris)
{
	EXPECT_EQ_STR("source 'tests/data/healthy.sim' has no scheme (try sim:tests/data/healthy.sim "
		      "or xen:)", open_error("tests/data/healthy.sim"));
	EXPECT_CONTAINS("unknown source scheme in 'vmware://x' (this build knows: sim: xen:",
			open_error("vmware://x"));
	EXPECT_EQ_STR("sim: needs a scenario file, as in sim:tests/data/healthy.sim", open_error("sim:"));
	EXPECT_EQ_INT(XV_E_CONFIG, code);
	EXPECT_CONTAINS("xen: takes no argument (got 'xen:foo')", open_error("xen:foo"));
	/* the same verdicts without any I/O, as an inventory gets them */
	EXPECT_EQ_STR("config sim: needs a scenario file, as in sim:tests/data/healthy.sim",
		      check_error("sim:"));
	EXPECT_CONTAINS("config unknown source scheme in 'foo:bar'", check_error("foo:bar"));
	EXPECT_CONTAINS("config source 'x' has no scheme", check_error("x"));
	EXPECT_EQ_STR("(valid)", check_error("sim:/nonexistent/file.sim"));
	return 0;
}

DEF_TEST(sim_snapshot_and_reload)
{
	struct xv_source *src = xv_source_new("sim:tests/data/paused.sim");
	struct xv_snapshot s;
	struct xv_error e;

	EXPECT_EQ_STR("sim:tests/data/paused.sim", xv_source_uri(src));
	EXPECT_EQ_INT(0, xv_source_snapshot(src, &s, &e));
	EXPECT_EQ_STR("xen05", s.host.name);
	EXPECT_EQ_INT(3, s.n_domains);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, xv_source_snapshot(src, &s, &e)); /* a second snapshot reads again */
	EXPECT_EQ_INT(3, s.n_domains);
	xv_snapshot_release(&s);
	xv_source_free(src);

	src = xv_source_new("sim:tests/data/nonexistent.sim");
	EXPECT_EQ_INT(-1, xv_source_snapshot(src, &s, &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_EQ_STR("cannot open 'tests/data/nonexistent.sim': No such file or directory", e.msg);
	EXPECT_EQ_INT(0, s.n_domains);
	xv_source_free(src);
	xv_source_free(NULL);
	return 0;
}

/* On a machine that is not a Xen dom0 the xen: source fails with one clear
 * message; on a dom0 this test has nothing to prove and says so. */
DEF_TEST(xen_without_hypervisor)
{
	if (access("/dev/xen/privcmd", F_OK) == 0 || access("/proc/xen/privcmd", F_OK) == 0) {
		printf("# this is a Xen dom0: the no-hypervisor message cannot be checked here\n");
		return 0;
	}
#if XV_HAVE_XEN
	EXPECT_EQ_STR("cannot open the Xen hypervisor interface: /dev/xen/privcmd does not exist "
		      "(is this a Xen dom0, and are you root?)", open_error("xen:"));
#else
	EXPECT_CONTAINS("xen: support is not compiled in", open_error("xen:"));
#endif
	return 0;
}

int main(void)
{
	RUN_TEST(bad_uris);
	RUN_TEST(sim_snapshot_and_reload);
	RUN_TEST(xen_without_hypervisor);
	END_TEST;
}
