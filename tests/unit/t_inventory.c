/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_inventory.c: inventory files and VM repositories. */
#include "harness.h"
#include "util.h"
#include "inventory.h"
#include "vm_repository.h"

#include <stdlib.h>

static int parse(const char *text, struct xv_inventory *inv, char *err, size_t n)
{
	struct xv_error e;
	int rc = xv_inventory_parse("inv.ini", "tests/data/pool", text, strlen(text), inv, &e);

	if (rc)
		xv_strlcpy(err, e.msg, n);
	return rc;
}

DEF_TEST(two_pools_file)
{
	struct xv_inventory inv;
	const struct xv_inv_pool *prod, *seed;
	struct xv_error e;

	if (xv_inventory_load("tests/data/pool/two-pools.ini", &inv, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_INT(2, inv.n_pools);
	EXPECT_EQ_INT(2, inv.n_hosts);
	prod = xv_inventory_pool(&inv, "prod");
	seed = xv_inventory_pool(&inv, "seed");
	EXPECT_TRUE(prod && seed && !xv_inventory_pool(&inv, "nope"));
	EXPECT_EQ_INT(3, prod->n_vms);
	EXPECT_EQ_STR("db1", prod->vms[0]); /* sorted */
	EXPECT_EQ_STR("web2", prod->vms[2]);
	EXPECT_TRUE(xv_inv_pool_expects(prod, "web1"));
	EXPECT_TRUE(!xv_inv_pool_expects(prod, "web3"));
	EXPECT_EQ_INT(10000, prod->timeout_ms);
	/* repository: three vm.cfg directories and one xl config */
	EXPECT_EQ_INT(4, seed->n_vms);
	EXPECT_EQ_STR("12_dbvrtg001", seed->vms[0]);
	EXPECT_EQ_STR("15_dbvrtg002", seed->vms[1]);
	EXPECT_EQ_STR("22_dbvrtg004", seed->vms[2]);
	EXPECT_EQ_STR("builder", seed->vms[3]);
	EXPECT_EQ_STR("DBVirt", seed->sls_id);
	EXPECT_EQ_STR("it-db-virt@example.org", seed->sls_contact);
	EXPECT_TRUE(prod->sls_id == NULL);
	/* hosts: relative sim: paths are taken from the inventory's directory */
	EXPECT_EQ_STR("xen-a", inv.hosts[prod->hosts[0]].name);
	EXPECT_EQ_STR("sim:tests/data/pool/xen-a.sim", inv.hosts[prod->hosts[0]].uri);
	EXPECT_EQ_INT(1, seed->n_hosts);
	EXPECT_EQ_INT(1, inv.hosts[1].pool);
	xv_inventory_release(&inv);
	return 0;
}

DEF_TEST(merging_and_order)
{
	struct xv_inventory inv;
	char err[512] = "";

	/* hosts may come before their pool; listed + repository VMs merge */
	EXPECT_EQ_INT(0, parse("[host h1]\npool = p\nsource = xen:\ntimeout = 250ms\n"
			       "[pool p]\nvm = builder\nvm_repository = repo/xl\nparallel = 7\n"
			       "timeout = 2s\n", &inv, err, sizeof(err)));
	EXPECT_EQ_INT(1, inv.pools[0].n_vms);
	EXPECT_EQ_INT(7, inv.pools[0].parallel);
	EXPECT_EQ_INT(2000, inv.pools[0].timeout_ms);
	EXPECT_EQ_INT(250, inv.hosts[0].timeout_ms);
	EXPECT_EQ_STR("xen:", inv.hosts[0].uri);
	xv_inventory_release(&inv);
	/* an empty pool is valid: its availability is undefined, not an error */
	EXPECT_EQ_INT(0, parse("[pool empty]\n", &inv, err, sizeof(err)));
	EXPECT_EQ_INT(0, inv.pools[0].n_hosts);
	xv_inventory_release(&inv);
	return 0;
}

DEF_TEST(malformed_inventories)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "", "inv.ini:1: no [pool NAME] section" },
		{ "vm = a\n", "inv.ini:1: 'vm' is outside any section (start with [pool NAME])" },
		{ "[pool]\n", "inv.ini:1: [pool] needs a name: [pool NAME]" },
		{ "[host]\n", "inv.ini:1: [host] needs a name: [host NAME]" },
		{ "[cluster x]\n", "inv.ini:1: unknown section [cluster x] (expected [pool NAME] or [host NAME])" },
		{ "[pool p]\n[pool p]\n", "inv.ini:2: duplicate pool 'p' (first on line 1)" },
		{ "[pool p]\ncolour = red\n", "inv.ini:2: unknown key 'colour' in [pool p]" },
		{ "[pool p]\nvm = a\nvm = b\nvm = a\n", "inv.ini:4: vm: 'a' is listed twice (first on line 2)" },
		{ "[pool p]\nvm =\n", "inv.ini:2: vm: empty VM name" },
		{ "[pool p]\ntimeout = soon\n", "inv.ini:2: timeout: 'soon' is not a duration from 1ms to 1h, like 5s or 500ms (not a number)" },
		{ "[pool p]\ntimeout = 2h\n", "inv.ini:2: timeout: '2h' is not a duration from 1ms to 1h, like 5s or 500ms (number out of range)" },
		{ "[pool p]\ntimeout = 1s\ntimeout = 2s\n", "inv.ini:3: duplicate key 'timeout' in [pool p]" },
		{ "[pool p]\nparallel = 0\n", "inv.ini:2: parallel: '0' is not a number from 1 to 4096" },
		{ "[pool p]\nsls_id =\n", "inv.ini:2: sls_id: empty" },
		{ "[pool p]\nvm_repository = nowhere\n", "inv.ini:2: vm_repository: cannot scan VM repository 'tests/data/pool/nowhere': No such file or directory" },
		{ "[pool p]\n[host h]\nsource = xen:\n", "inv.ini:2: [host h] lacks 'pool'" },
		{ "[pool p]\n[host h]\npool = p\n", "inv.ini:2: [host h] lacks 'source'" },
		{ "[pool p]\n[host h]\npool = q\nsource = xen:\n", "inv.ini:3: pool: 'q' is not defined (no [pool q] section)" },
		{ "[pool p]\n[host h]\npool = p\nsource = xen01\n", "inv.ini:4: source: source 'xen01' has no scheme (try sim:xen01 or xen:)" },
		{ "[pool p]\n[host h]\npool = p\nsource = xen:\n[host h]\n", "inv.ini:5: duplicate host 'h' (first on line 2)" },
		{ "[pool p]\n[host h]\npool = p\npool = p\n", "inv.ini:4: duplicate key 'pool' in [host h]" },
		{ "[pool p]\n[host h]\nspeed = fast\n", "inv.ini:3: unknown key 'speed' in [host h]" },
		{ "[pool p]\nthis is not a pair\n", "inv.ini:2: syntax error (expected [section] or key = value)" },
	};
	struct xv_inventory inv;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i].text, &inv, err, sizeof(err)) != -1)
			FAIL_AT("accepted case %zu", i);
		if (strcmp(err, bad[i].message))
			FAIL_AT("case %zu:\n#   expected \"%s\"\n#   got      \"%s\"", i, bad[i].message, err);
		EXPECT_EQ_INT(0, inv.n_pools);
	}
	return 0;
}

DEF_TEST(vm_config_names)
{
	static const struct {
		const char *text, *name;
		unsigned line;
	} good[] = {
		{ "name = \"a\"\n", "a", 1 },
		{ "memory = 4096\nname='12_dbvrtg001'\n", "12_dbvrtg001", 2 },
		{ "  name   =   \"b c\"   # the manager set this\n", "b c", 1 },
		{ "names = ['x']\nname = \"n\"\r\n", "n", 2 },
		{ "# name = \"commented\"\nname = \"real\"", "real", 2 },
	};
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "memory = 1\n", "vm.cfg: no name = \"...\" line" },
		{ "name = web1\n", "vm.cfg:1: the name is not a quoted string" },
		{ "name = \"web1\n", "vm.cfg:1: the name's closing quote is missing" },
		{ "name = \"\"\n", "vm.cfg:1: the name is empty" },
		{ "name = \"a\" + \"b\"\n", "vm.cfg:1: unexpected text after the name" },
		{ "name = \"a\\\"b\"\n", "vm.cfg:1: escapes in the name are not supported" },
		{ "name = \"a\"\nname = \"b\"\n", "vm.cfg:2: name is set twice (first on line 1)" },
	};
	char *name;
	unsigned line;
	struct xv_error e;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (xv_repo_parse_config("vm.cfg", good[i].text, strlen(good[i].text), &name, &line, &e))
			FAIL_AT("good case %zu: %s", i, e.msg);
		EXPECT_EQ_STR(good[i].name, name);
		EXPECT_EQ_INT(good[i].line, line);
		free(name);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		name = NULL;
		if (!xv_repo_parse_config("vm.cfg", bad[i].text, strlen(bad[i].text), &name, &line, &e))
			FAIL_AT("bad case %zu accepted as '%s'", i, name);
		EXPECT_EQ_INT(XV_E_DATA, e.code);
		EXPECT_EQ_STR(bad[i].message, e.msg);
	}
	EXPECT_EQ_INT(-1, xv_repo_parse_config("vm.cfg", "name = \"a\"\0", 11, &name, &line, &e));
	EXPECT_CONTAINS("NUL byte", e.msg);
	return 0;
}

static int count_vm(void *user, const char *name, const char *file, unsigned line,
		    struct xv_error *e)
{
	(*(int *)user)++;
	return 0;
}

DEF_TEST(repository_errors_name_the_file)
{
	char dir[] = "/tmp/xv-repo-XXXXXX", path[512];
	struct xv_error e;
	int n = 0;

	EXPECT_TRUE(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "mkdir -p %s/vm1 %s/vm2 && printf \"name = 'ok'\\n\" > %s/vm1/vm.cfg"
		 " && printf 'memory = 1\\nname = broken\\n' > %s/vm2/vm.cfg", dir, dir, dir, dir);
	EXPECT_EQ_INT(0, system(path));
	EXPECT_EQ_INT(-1, xv_repo_scan(dir, count_vm, &n, &e));
	snprintf(path, sizeof(path), "%s/vm2/vm.cfg:2: the name is not a quoted string", dir);
	EXPECT_EQ_STR(path, e.msg);
	EXPECT_EQ_INT(1, n);
	/* a dangling link where a config was is not silently skipped */
	snprintf(path, sizeof(path), "rm -rf %s/vm2 && ln -s %s/gone.cfg %s/vm3.cfg", dir, dir, dir);
	EXPECT_EQ_INT(0, system(path));
	n = 0;
	EXPECT_EQ_INT(-1, xv_repo_scan(dir, count_vm, &n, &e));
	EXPECT_EQ_INT(XV_E_NOINPUT, e.code);
	snprintf(path, sizeof(path), "cannot read '%s/vm3.cfg': it is a dangling symbolic link", dir);
	EXPECT_EQ_STR(path, e.msg);
	/* a FIFO where a config was is refused at once, not read forever */
	snprintf(path, sizeof(path), "rm %s/vm3.cfg && mkfifo %s/vm4.cfg", dir, dir);
	EXPECT_EQ_INT(0, system(path));
	EXPECT_EQ_INT(-1, xv_repo_scan(dir, count_vm, &n, &e));
	snprintf(path, sizeof(path), "cannot read '%s/vm4.cfg': it is a FIFO, not a regular file", dir);
	EXPECT_EQ_STR(path, e.msg);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	EXPECT_EQ_INT(0, system(path));
	return 0;
}

int main(void)
{
	RUN_TEST(two_pools_file);
	RUN_TEST(merging_and_order);
	RUN_TEST(malformed_inventories);
	RUN_TEST(vm_config_names);
	RUN_TEST(repository_errors_name_the_file);
	END_TEST;
}
