/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_xen_libxl.c: xl configurations through libxlutil's own parser into a
 * libxl_domain_config, as the xen: source's create does it.  Needs the
 * libraries (libxen-dev), not Xen: nothing here talks to a hypervisor. */
#include "harness.h"
#include "xen_libxl.h"
#include "xl_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct xv_libxl api;

/* Both parsers, in the order xen_create() runs them. */
static int build(const char *text, libxl_domain_config *dc, struct xv_error *e)
{
	struct xv_xl_config keys;
	int rc;

	api.libxl_domain_config_init(dc);
	if (xv_xl_config_parse("g.cfg", text, strlen(text), &keys, e))
		return -1;
	api.libxl_domain_config_dispose(dc);
	rc = xv_libxl_config_build(&api, "g.cfg", text, strlen(text), &keys, dc, e);
	xv_xl_config_release(&keys);
	return rc;
}

DEF_TEST(pv_guest)
{
	libxl_domain_config dc;
	struct xv_error e;
	static const char text[] =
		"name = \"web1\"\n"
		"uuid = \"8f3a4f4e-1b8a-4c3e-9d2a-0123456789ab\"\n"
		"type = \"pv\"\n"
		"memory = 256\nmaxmem = 512\n"
		"vcpus = 1; maxvcpus = 2\n"
		"kernel = \"/guest/vmlinux\"\nramdisk = \"/guest/initrd.gz\"\n"
		"root = \"/dev/xvda1\"\nextra = \"console=hvc0 quiet\"\n"
		"on_poweroff = \"preserve\"\non_reboot = \"rename-restart\"\n"
		"vif = [ 'mac=00:16:3e:0a:0b:0c, bridge=xenbr0', '' ,\n"
		"        'vifname=web1.2,script=vif-route,ip=10.0.0.2,type=vif' ]\n"
		"disk = [ 'phy:/dev/vg/web1,xvda,w', 'format=raw, vdev=xvdb, access=ro, "
		"target=/srv/b.img' ]\n";

	if (build(text, &dc, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_STR("web1", dc.c_info.name);
	EXPECT_EQ_INT(LIBXL_DOMAIN_TYPE_PV, dc.c_info.type);
	EXPECT_EQ_INT(0x8f, dc.c_info.uuid.uuid[0]);
	EXPECT_EQ_INT(0xab, dc.c_info.uuid.uuid[15]);
	EXPECT_EQ_U64(256 * 1024, dc.b_info.target_memkb);
	EXPECT_EQ_U64(512 * 1024, dc.b_info.max_memkb);
	EXPECT_EQ_INT(2, dc.b_info.max_vcpus);
	EXPECT_EQ_INT(1, (int)dc.b_info.avail_vcpus.size);
	EXPECT_EQ_INT(1, dc.b_info.avail_vcpus.map[0]);
	EXPECT_EQ_STR("/guest/vmlinux", dc.b_info.kernel);
	EXPECT_EQ_STR("/guest/initrd.gz", dc.b_info.ramdisk);
	EXPECT_EQ_STR("root=/dev/xvda1 console=hvc0 quiet", dc.b_info.cmdline);
	EXPECT_EQ_INT(LIBXL_ACTION_ON_SHUTDOWN_PRESERVE, dc.on_poweroff);
	EXPECT_EQ_INT(LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME, dc.on_reboot);
	EXPECT_EQ_INT(LIBXL_ACTION_ON_SHUTDOWN_DESTROY, dc.on_crash);
	EXPECT_EQ_INT(3, dc.num_nics);
	EXPECT_EQ_INT(0x0c, dc.nics[0].mac[5]);
	EXPECT_EQ_STR("xenbr0", dc.nics[0].bridge);
	EXPECT_EQ_INT(1, dc.nics[1].devid);
	EXPECT_EQ_INT(0, dc.nics[1].mac[0] | dc.nics[1].mac[5]); /* libxl generates it */
	EXPECT_TRUE(dc.nics[1].bridge == NULL);
	EXPECT_EQ_STR("web1.2", dc.nics[2].ifname);
	EXPECT_EQ_STR("vif-route", dc.nics[2].script);
	EXPECT_EQ_STR("10.0.0.2", dc.nics[2].ip);
	EXPECT_EQ_INT(LIBXL_NIC_TYPE_VIF, dc.nics[2].nictype);
	EXPECT_EQ_INT(2, dc.num_disks);
	EXPECT_EQ_STR("/dev/vg/web1", dc.disks[0].pdev_path);
	EXPECT_EQ_STR("xvda", dc.disks[0].vdev);
	EXPECT_EQ_INT(0, dc.disks[0].readwrite == 0);
	EXPECT_EQ_STR("/srv/b.img", dc.disks[1].pdev_path);
	EXPECT_EQ_INT(0, dc.disks[1].readwrite);
	api.libxl_domain_config_dispose(&dc);
	return 0;
}

DEF_TEST(defaults_and_hvm)
{
	libxl_domain_config dc;
	struct xv_error e;

	EXPECT_EQ_INT(0, build("name = 'a'\nkernel = '/k'\n", &dc, &e));
	EXPECT_EQ_U64(128 * 1024, dc.b_info.target_memkb);
	EXPECT_EQ_U64(128 * 1024, dc.b_info.max_memkb);
	EXPECT_EQ_INT(1, dc.b_info.max_vcpus);
	EXPECT_EQ_INT(0, (int)dc.b_info.avail_vcpus.size); /* libxl: all online */
	EXPECT_EQ_INT(LIBXL_ACTION_ON_SHUTDOWN_DESTROY, dc.on_poweroff);
	EXPECT_EQ_INT(LIBXL_ACTION_ON_SHUTDOWN_RESTART, dc.on_reboot);
	EXPECT_TRUE(dc.b_info.cmdline == NULL);
	EXPECT_EQ_INT(0, dc.num_nics);
	api.libxl_domain_config_dispose(&dc);

	EXPECT_EQ_INT(0, build("name = 'w'\ntype = 'hvm'\nvnc = 1\nvnclisten = '0.0.0.0'\n"
			       "vncdisplay = 3\nserial = 'pty'\nboot = 'dc'\n", &dc, &e));
	EXPECT_EQ_INT(LIBXL_DOMAIN_TYPE_HVM, dc.c_info.type);
	EXPECT_EQ_STR("0.0.0.0", dc.b_info.u.hvm.vnc.listen);
	EXPECT_EQ_INT(3, dc.b_info.u.hvm.vnc.display);
	EXPECT_EQ_STR("pty", dc.b_info.u.hvm.serial);
	EXPECT_EQ_STR("dc", dc.b_info.u.hvm.boot);
	api.libxl_domain_config_dispose(&dc);

	/* xl's older spelling */
	EXPECT_EQ_INT(0, build("name = 'w'\nbuilder = 'hvm'\n", &dc, &e));
	EXPECT_EQ_INT(LIBXL_DOMAIN_TYPE_HVM, dc.c_info.type);
	api.libxl_domain_config_dispose(&dc);
	return 0;
}

/* Names travel as data: whatever bytes xl accepts reach libxl unchanged
 * (the tools then hand them to hooks as argv, never to a shell). */
DEF_TEST(hostile_names)
{
	libxl_domain_config dc;
	struct xv_error e;

	EXPECT_EQ_INT(0, build("name = \"x; rm -rf / $(reboot) `id` | a & b > c\"\nkernel = '/k'\n",
			       &dc, &e));
	EXPECT_EQ_STR("x; rm -rf / $(reboot) `id` | a & b > c", dc.c_info.name);
	api.libxl_domain_config_dispose(&dc);
	EXPECT_EQ_INT(0, build("name = \"--help\"\nkernel = '-k'\n", &dc, &e));
	EXPECT_EQ_STR("--help", dc.c_info.name);
	api.libxl_domain_config_dispose(&dc);
	return 0;
}

DEF_TEST(refused)
{
	libxl_domain_config dc;
	struct xv_error e;

#define REFUSED(text_, code_, want_)                                                   \
	do {                                                                           \
		EXPECT_EQ_INT(-1, build(text_, &dc, &e));                              \
		EXPECT_EQ_STR(want_, e.msg);                                           \
		EXPECT_EQ_INT(code_, e.code);                                          \
		api.libxl_domain_config_dispose(&dc);                                  \
	} while (0)
	/* what libxlutil's parser refuses, in its words */
	REFUSED("name = 'a'\nkernel = '/k'\nmaxvcpus = 'two'\n", XV_E_DATA,
		"g.cfg:3: parameter `maxvcpus' is not a valid number");
	REFUSED("name = 'a'\nkernel = ['/k', '/j']\n", XV_E_DATA,
		"g.cfg:2: parameter `kernel' is a list but should be a single value");
	REFUSED("name = 'a'\nkernel = '/k'\ndisk = ['phy:/dev/x,xvda,w,bogus']\n", XV_E_DATA,
		"g.cfg: config parsing error in disk specification: too many positional "
		"parameters: near `bogus' in `phy:/dev/x,xvda,w,bogus'");
	/* what xvmon will not translate */
	REFUSED("name = 'a'\nkernel = '/k'\npci = ['01:00.0']\n", XV_E_UNSUPPORTED,
		"g.cfg:3: xvmon cannot create a domain with 'pci' (it translates name, uuid, "
		"type, memory, maxmem, vcpus, maxvcpus, kernel, ramdisk, extra, root, cmdline, "
		"bootloader, on_poweroff, on_reboot, on_crash, vif, disk, vnc*, serial, boot); "
		"use xl create");
	REFUSED("name = 'a'\nkernel = '/k'\nvif = ['bridge=b,rate=10Mb/s']\n", XV_E_UNSUPPORTED,
		"g.cfg: vif 'bridge=b,rate=10Mb/s': xvmon cannot apply 'rate' (it takes mac, "
		"bridge, ip, script, vifname, model, type); use xl create");
	/* values that can never make a guest */
	REFUSED("name = 'a'\nkernel = '/k'\nvif = ['bridge']\n", XV_E_DATA,
		"g.cfg: vif 'bridge': 'bridge' is not key=value");
	REFUSED("name = 'a'\nkernel = '/k'\nvif = ['type=e1000']\n", XV_E_DATA,
		"g.cfg: vif 'type=e1000': type must be ioemu or vif");
	REFUSED("name = 'a'\nkernel = '/k'\nmaxvcpus = 0\n", XV_E_DATA,
		"g.cfg: maxvcpus = 0: expected 1 to 4096");
	REFUSED("name = 'a'\nkernel = '/k'\nvcpus = 4\nmaxvcpus = 2\n", XV_E_DATA,
		"g.cfg: maxvcpus is below vcpus");
	REFUSED("name = 'a'\ntype = 'xen'\n", XV_E_DATA,
		"g.cfg: type = \"xen\": expected pv, pvh or hvm");
	REFUSED("name = 'a'\n", XV_E_DATA,
		"g.cfg: a PV guest needs kernel = \"...\" or bootloader = \"pygrub\"");
	REFUSED("name = 'a'\nkernel = '/k'\nvnc = 1\n", XV_E_DATA,
		"g.cfg: vnc is for HVM guests (type = \"hvm\")");
	REFUSED("name = 'a'\nkernel = '/k'\ncmdline = 'x'\nextra = 'y'\n", XV_E_DATA,
		"g.cfg: cmdline is given with root or extra: give one or the others");
	REFUSED("name = 'a'\nkernel = '/k'\non_crash = 'explode'\n", XV_E_DATA,
		"g.cfg: on_crash: unknown action 'explode' (destroy, restart, rename-restart, "
		"preserve, coredump-destroy, coredump-restart, soft-reset)");
	REFUSED("name = 'a'\nkernel = '/k'\non_crash = ['destroy']\n", XV_E_DATA,
		"g.cfg:3: parameter `on_crash' is a list but should be a single value");
	REFUSED("name = 'a'\nkernel = '/k'\nuuid = 'not-a-uuid'\n", XV_E_DATA,
		"g.cfg: uuid 'not-a-uuid' is not a UUID");
	return 0;
}

int main(void)
{
	struct xv_error e;

	if (xv_libxl_load(&api, &e)) {
		printf("# SKIP %s\n", e.msg);
		return 77;
	}
	RUN_TEST(pv_guest);
	RUN_TEST(defaults_and_hvm);
	RUN_TEST(hostile_names);
	RUN_TEST(refused);
	xv_libxl_unload(&api);
	END_TEST;
}
