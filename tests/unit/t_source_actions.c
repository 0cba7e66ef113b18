/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_source_actions.c: the actions of the sim: source (scenario rewritten
 * atomically, state after each action), the generic shutdown wait, the
 * refusals every source shares, and the xl config reader. */
#include "harness.h"
#include "file.h"
#include "source.h"
#include "util.h"
#include "xl_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/xvmon-t-actions.XXXXXX";
static char path[256];

static const char base[] =
	"# a test host\n"
	"[host]\n"
	"name = xen-t\n"
	"total_memory = 16G\n"
	"free_memory = 8G\n"
	"dom0_memory = 1G\n"
	"cpus = 4\n"
	"master = xen-m\n"
	"\n"
	"[domain web1]\n"
	"id = 1\n"
	"state = blocked   ; idle\n"
	"memory = 2G\n"
	"mac = 00:16:3e:00:00:01\n"
	"# comments above a section stay with it\n"
	"[domain stubborn]\n"
	"id = 2\n"
	"state = running\n"
	"memory = 1G\n"
	"ignore_shutdown = yes\n"
	"console = vnc://127.0.0.1:5902\n";

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *p)
{
	struct xv_buf b = XV_BUF_INIT;
	struct xv_error e;

	if (xv_file_read(p, 1 << 20, 1, &b, &e))
		return xv_strdup(e.msg);
	return xv_buf_detach(&b);
}

static const struct xv_domain *dom(struct xv_snapshot *s, struct xv_source *src, const char *name)
{
	struct xv_error e;

	xv_snapshot_release(s);
	if (xv_source_snapshot(src, s, &e))
		return NULL;
	return xv_snapshot_find_name(s, name);
}

DEF_TEST(sim_actions)
{
	struct xv_source *src;
	struct xv_snapshot s;
	struct xv_error e;
	const struct xv_domain *d;
	enum xv_stop_outcome out;
	char *uri, *text;
	struct stat st;

	write_file(path, base);
	chmod(path, 0640);
	uri = xv_asprintf("sim:%s", path);
	src = xv_source_new(uri);
	xv_snapshot_init(&s);
	EXPECT_TRUE(dom(&s, src, "web1") != NULL);
	EXPECT_EQ_STR("xen-m", s.host.pool_master);

	/* pause and unpause change the state key, keep the rest of the line's file */
	EXPECT_EQ_INT(0, xv_source_pause(src, "web1", &e));
	d = dom(&s, src, "web1");
	EXPECT_EQ_INT(XV_DOM_BLOCKED | XV_DOM_PAUSED, d->flags);
	EXPECT_EQ_INT(0, xv_source_unpause(src, "web1", &e));
	d = dom(&s, src, "web1");
	EXPECT_EQ_INT(XV_DOM_BLOCKED, d->flags);

	/* a clean shutdown of a willing guest: gone, memory back to the host */
	EXPECT_EQ_INT(0, xv_source_shutdown_wait(src, "web1", 1000, &out, &e));
	EXPECT_EQ_INT(XV_STOP_GONE, out);
	EXPECT_TRUE(dom(&s, src, "web1") == NULL);
	EXPECT_EQ_U64(10ULL << 20, s.host.free_kib);
	text = slurp(path);
	EXPECT_CONTAINS("# comments above a section stay with it\n[domain stubborn]", text);
	EXPECT_CONTAINS("# a test host\n", text);
	EXPECT_CONTAINS("free_memory = 10G\n", text);
	free(text);
	EXPECT_EQ_INT(0, stat(path, &st));
	EXPECT_EQ_INT(0640, st.st_mode & 0777);

	/* a guest that ignores the request: a timeout, then destroy */
	EXPECT_EQ_INT(-1, xv_source_shutdown_wait(src, "stubborn", 300, &out, &e));
	EXPECT_EQ_INT(XV_E_TIMEOUT, e.code);
	EXPECT_EQ_STR("'stubborn' did not shut down within 300 ms", e.msg);
	EXPECT_TRUE(dom(&s, src, "stubborn") != NULL);

	struct xv_console c;
	EXPECT_EQ_INT(0, xv_source_console(src, "stubborn", &c, &e));
	EXPECT_EQ_STR("vnc://127.0.0.1:5902", c.endpoint);
	EXPECT_TRUE(c.argv == NULL);
	xv_console_release(&c);

	EXPECT_EQ_INT(0, xv_source_destroy(src, "stubborn", &e));
	EXPECT_TRUE(dom(&s, src, "stubborn") == NULL);
	EXPECT_EQ_U64(11ULL << 20, s.host.free_kib);

	/* refusals */
	EXPECT_EQ_INT(-1, xv_source_destroy(src, "Domain-0", &e));
	EXPECT_EQ_INT(XV_E_USAGE, e.code);
	EXPECT_EQ_INT(-1, xv_source_destroy(src, "ghost", &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_EQ_STR("no domain 'ghost' on xen-t", e.msg);

	/* create: paused, MACs given or generated, memory taken */
	char *cfg = xv_asprintf("%s/new.cfg", dir);
	write_file(cfg, "name = \"a$(touch x);b\"\nmemory = 2048\nvcpus = 2\n"
			"vif = [ 'bridge=xenbr0', 'mac=00:16:3e:aa:bb:cc,bridge=xenbr1' ]\n");
	struct xv_created made;
	if (xv_source_create(src, cfg, &made, &e)) FAIL_AT("%s", e.msg);
	EXPECT_EQ_STR("a$(touch x);b", made.name);
	EXPECT_EQ_INT(2, (int)made.n_macs);
	EXPECT_EQ_STR("00:16:3e:aa:bb:cc", made.macs[1]);
	EXPECT_EQ_INT(0, strncmp(made.macs[0], "00:16:3e:", 9));
	EXPECT_EQ_INT(1, (int)made.id);
	xv_created_release(&made);
	d = dom(&s, src, "a$(touch x);b");
	EXPECT_TRUE(d != NULL);
	EXPECT_EQ_INT(XV_DOM_PAUSED, d->flags);
	EXPECT_EQ_U64(2ULL << 20, d->cur_kib);
	EXPECT_EQ_U64(9ULL << 20, s.host.free_kib);
	EXPECT_EQ_INT(0, access("x", F_OK) == 0);
	/* the same name again, then one too big for the host */
	EXPECT_EQ_INT(-1, xv_source_create(src, cfg, &made, &e));
	EXPECT_EQ_STR("a domain 'a$(touch x);b' already exists on xen-t", e.msg);
	write_file(cfg, "name = 'huge'\nmemory = 20480\n");
	EXPECT_EQ_INT(-1, xv_source_create(src, cfg, &made, &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_EQ_STR("not enough free memory on xen-t for 'huge': it needs 20 GiB, 9 GiB are free",
		      e.msg);
	write_file(cfg, "name = 'a]b'\n");
	EXPECT_EQ_INT(-1, xv_source_create(src, cfg, &made, &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_CONTAINS("cannot hold the domain name 'a]b'", e.msg);

	/* export: the scenario itself */
	struct xv_export x;
	EXPECT_EQ_INT(0, xv_source_export(src, &x, &e));
	EXPECT_EQ_STR("scenario.sim", x.file_name);
	EXPECT_TRUE(x.scope == NULL && x.scope_id == NULL);
	EXPECT_CONTAINS("[domain a$(touch x);b]\nid = 1\nstate = paused\nmemory = 2G\n", x.data.data);
	xv_export_release(&x);

	/* the file is missing: the host failed */
	unlink(path);
	EXPECT_EQ_INT(-1, xv_source_pause(src, "web1", &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	xv_snapshot_release(&s);
	xv_source_free(src);
	free(uri);
	unlink(cfg);
	free(cfg);
	return 0;
}

DEF_TEST(unsupported)
{
	struct xv_source *src = xv_source_new("xen:");
	struct xv_error e;

	/* without a hypervisor, opening fails first; with one, the action runs */
	if (access("/dev/xen/privcmd", F_OK) != 0) {
		EXPECT_EQ_INT(-1, xv_source_destroy(src, "x", &e));
		EXPECT_TRUE(e.code == XV_E_CONFIG || e.code == XV_E_UNSUPPORTED);
	}
	xv_source_free(src);

	/* how each source creates, without I/O */
	bool can;
	EXPECT_TRUE(!xv_source_creates_from_template("sim:x.sim", &can) && can);
	EXPECT_TRUE(!xv_source_creates_from_template("snmp://h", &can) && !can);
#if XV_HAVE_CURL
	EXPECT_TRUE(xv_source_creates_from_template("xapi://h", &can) && can);

	/* the wrong way round: said, before any I/O */
	struct xv_created made;
	src = xv_source_new("xapi://192.0.2.1?tls=no");
	EXPECT_EQ_INT(-1, xv_source_create(src, "web.cfg", &made, &e));
	EXPECT_EQ_INT(XV_E_UNSUPPORTED, e.code);
	EXPECT_EQ_STR("xapi://192.0.2.1?tls=no: the xapi: source creates domains from the pool's "
		      "templates, not from xl configuration files (name a template)", e.msg);
	xv_source_free(src);

	/* nothing to export: UNSUPPORTED, which xvm-backup passes over */
	struct xv_export x;
	src = xv_source_new("ovs://192.0.2.1?tls=no");
	EXPECT_EQ_INT(-1, xv_source_export(src, &x, &e));
	EXPECT_EQ_INT(XV_E_UNSUPPORTED, e.code);
	EXPECT_EQ_STR("ovs://192.0.2.1?tls=no: the ovs: source cannot export its configuration",
		      e.msg);
	xv_export_release(&x);
	xv_source_free(src);
#endif
	src = xv_source_new("sim:/nonexistent.sim");
	struct xv_template_request req = { .template_name = "t", .name = "n",
					   .memory_kib = XV_KIB_UNKNOWN };
	struct xv_created m2;
	EXPECT_EQ_INT(-1, xv_source_create_from_template(src, &req, &m2, &e));
	xv_source_free(src);
	return 0;
}

DEF_TEST(xl_config)
{
	struct xv_xl_config c;
	struct xv_error e;
	static const char good[] =
		"# comment\nname = 'vm1'  # trailing\nmemory = 512; maxmem = 1024\n"
		"vcpus = 2\ndisk = [ 'phy:/dev/vg/vm1,xvda,w',\n   'file:/x.iso,xvdc:cdrom,r' ]\n"
		"vif = [ 'mac=00:16:3E:01:02:03' ]\nkernel = \"/boot/vmlinuz\"\n";

	EXPECT_EQ_INT(0, xv_xl_config_parse("vm1.cfg", good, strlen(good), &c, &e));
	EXPECT_EQ_STR("vm1", c.name);
	EXPECT_EQ_U64(512 * 1024, c.memory_kib);
	EXPECT_EQ_U64(1024 * 1024, c.maxmem_kib);
	EXPECT_EQ_INT(2, (int)c.vcpus);
	EXPECT_EQ_INT(1, (int)c.n_vifs);
	EXPECT_EQ_STR("00:16:3E:01:02:03", c.vif_mac[0]);
	xv_xl_config_release(&c);

#define XL_BAD(text_, want_)                                                          \
	EXPECT_EQ_INT(-1, xv_xl_config_parse("f.cfg", text_, strlen(text_), &c, &e));        \
	EXPECT_EQ_STR(want_, e.msg);                                                            \
	EXPECT_EQ_INT(XV_E_DATA, e.code)
	XL_BAD("memory = 512\n", "f.cfg: no name = \"...\" setting");
	XL_BAD("name = 'a'\nmemory = lots\n", "f.cfg:2: memory: expected a whole number of MiB");
	XL_BAD("name = 'a\n", "f.cfg:1: a string does not end on its line");
	XL_BAD("name = 'a' 'b'\n", "f.cfg:1: unexpected text after a setting");
	XL_BAD("name = 'a'\nvif = ['mac=zz:16:3e:01:02:03']\n",
	    "f.cfg:2: vif: 'zz:16:3e:01:02:03' is not a MAC address like 00:16:3e:12:34:56");
	XL_BAD("name = 'a'\nmemory = 512\nmaxmem = 256\n", "f.cfg: maxmem is below memory");
	XL_BAD("name = 'a'\nname = 'b'\n", "f.cfg:2: name is set twice");
	XL_BAD("= 3\n", "f.cfg:1: expected a setting like name = \"vm1\"");
	XL_BAD("name = 'a\\'b'\n", "f.cfg:1: escapes in strings are not supported");
	XL_BAD("name = 'a'\nvif = [ 'x'\n", "f.cfg:3: expected ',' or ']' in a list");
	return 0;
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/host.sim", dir);
	if (chdir(dir))
		return 1;
	RUN_TEST(sim_actions);
	RUN_TEST(unsupported);
	RUN_TEST(xl_config);
	rmdir(dir);
	END_TEST;
}
