/* t_source.c: URI dispatch and the sources' failure messages. */
#include "harness.h"
#include "source.h"

#include <unistd.h>

static const char *open_error(const char *uri)
{
	static char msg[512];
	struct xv_source *src = xv_source_new(uri);

	if (xv_source_open(src) == 0)
		snprintf(msg, sizeof(msg), "(opened)");
	else
		snprintf(msg, sizeof(msg), "%s", xv_source_strerror(src));
	xv_source_free(src);
	return msg;
}

DEF_TEST(bad_uris)
{
	EXPECT_EQ_STR("source 'tests/data/healthy.sim' has no scheme (try sim:tests/data/healthy.sim "
		      "or xen:)", open_error("tests/data/healthy.sim"));
	EXPECT_CONTAINS("unknown source scheme in 'vmware://x' (this build knows: sim: xen:",
			open_error("vmware://x"));
	EXPECT_EQ_STR("sim: needs a scenario file, as in sim:tests/data/healthy.sim", open_error("sim:"));
	EXPECT_CONTAINS("xen: takes no argument (got 'xen:foo')", open_error("xen:foo"));
	return 0;
}

DEF_TEST(sim_snapshot_and_reload)
{
	struct xv_source *src = xv_source_new("sim:tests/data/paused.sim");
	struct xv_snapshot s;

	EXPECT_EQ_STR("sim:tests/data/paused.sim", xv_source_uri(src));
	EXPECT_EQ_INT(0, xv_source_snapshot(src, &s));
	EXPECT_EQ_STR("xen05", s.host.name);
	EXPECT_EQ_INT(3, s.n_domains);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, xv_source_snapshot(src, &s)); /* a second snapshot reads again */
	EXPECT_EQ_INT(3, s.n_domains);
	xv_snapshot_release(&s);
	xv_source_free(src);

	src = xv_source_new("sim:tests/data/nonexistent.sim");
	EXPECT_EQ_INT(-1, xv_source_snapshot(src, &s));
	EXPECT_EQ_STR("cannot open 'tests/data/nonexistent.sim': No such file or directory",
		      xv_source_strerror(src));
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
