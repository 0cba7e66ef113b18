/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inventory.c: parse and check inventory files. */
#include "inventory.h"
#include "buf.h"
#include "ini_file.h"
#include "num.h"
#include "poller.h"
#include "source.h"
#include "util.h"
#include "vm_repository.h"

#include <libgen.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Where each expected VM came from, to name both places in a duplicate. */
struct vm_origin {
	char *name;
	unsigned line;
	size_t pool;
};

struct parse {
	struct xv_inventory *inv;
	const char *dir; /* relative paths start here */
	enum { SEC_NONE, SEC_POOL, SEC_HOST } section;
	size_t current;   /* index of the pool or host being read */
	xv_ini_seen seen; /* keys seen in the current section, one bit each */
	struct pool_ref {   /* per host: its pool as written, resolved at the end */
		char *name;
		unsigned line;
	} *host_pool;
	size_t alloc_host_pool;
	struct vm_origin *listed; /* vm = lines, for duplicate messages */
	size_t n_listed, alloc_listed;
};

static char *resolve_path(struct parse *p, const char *path)
{
	if (path[0] == '/' || !p->dir)
		return xv_strdup(path);
	return xv_asprintf("%s/%s", p->dir, path);
}

/* --- [pool NAME] --------------------------------------------------------- */

static struct xv_inv_pool *cur_pool(struct parse *p)
{
	return &p->inv->pools[p->current];
}

static int add_vm(struct xv_inv_pool *pool, const char *name)
{
	pool->vms = xv_grow(pool->vms, sizeof(*pool->vms), pool->n_vms + 1, &pool->alloc_vms);
	pool->vms[pool->n_vms++] = xv_strdup(name);
	return 0;
}

/* Domain-0 runs on every host and is never counted as a VM of the pool: an
 * inventory that expects it would report it missing forever. */
static int is_dom0_name(const char *name)
{
	return !strcmp(name, "Domain-0");
}

static int pool_vm(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!*v)
		return xv_ini_error(ini, "vm: empty VM name");
	if (is_dom0_name(v))
		return xv_ini_error(ini, "vm: 'Domain-0' is the control domain of every host, not a "
				    "VM of the pool");
	/* duplicates are found at the end, with a hash table: a pool of 20 000
	 * VMs must not cost 200 million comparisons */
	p->listed = xv_grow(p->listed, sizeof(*p->listed), p->n_listed + 1, &p->alloc_listed);
	p->listed[p->n_listed++] = (struct vm_origin){ xv_strdup(v), xv_ini_line(ini), p->current };
	return add_vm(cur_pool(p), v);
}

static int repo_vm(void *user, const char *name, const char *file, unsigned line,
		   struct xv_error *e)
{
	if (is_dom0_name(name))
		return xv_error_at(e, XV_E_DATA, file, line, "'Domain-0' is the control domain of "
				   "every host, not a VM of the pool");
	/* a VM both listed and in the repository is expected once: the
	 * duplicates are merged after sorting */
	return add_vm(user, name);
}

static int pool_repository(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	struct xv_error e;
	char *dir;
	int rc;

	if (!*v)
		return xv_ini_error(ini, "vm_repository: empty path");
	dir = resolve_path(p, v);
	rc = xv_repo_scan(dir, repo_vm, cur_pool(p), &e);
	if (rc) {
		free(dir);
		xv_error_prefix(&e, "vm_repository");
		return xv_ini_error_from(ini, &e);
	}
	struct xv_inv_pool *pool = cur_pool(p);
	pool->repositories = xv_grow(pool->repositories, sizeof(*pool->repositories),
				     pool->n_repositories + 1, &pool->alloc_repositories);
	pool->repositories[pool->n_repositories++] = dir;
	return 0;
}

static int parse_timeout(struct xv_ini *ini, const char *key, const char *v, unsigned *out)
{
	uint64_t ms;
	enum xv_num_error e = xv_parse_duration_ms(v, &ms);

	if (!e && (ms < 1 || ms > 3600 * 1000))
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "%s: '%s' is not a duration from 1ms to 1h, like 5s or "
				    "500ms (%s)", key, v, xv_num_strerror(e));
	*out = (unsigned)ms;
	return 0;
}

static int pool_timeout(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	return parse_timeout(ini, "timeout", v, &cur_pool(p)->timeout_ms);
}

static int pool_parallel(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	uint64_t n;

	if (xv_parse_u64(v, 1, 4096, &n))
		return xv_ini_error(ini, "parallel: '%s' is not a number from 1 to 4096", v);
	cur_pool(p)->parallel = (unsigned)n;
	return 0;
}

/* sls_id, sls_contact, sls_webpage: text at the key's offset in the pool */
static int pool_text(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	char **out = (char **)((char *)cur_pool(user) + k->offset);

	if (!*v)
		return xv_ini_error(ini, "%s: empty", k->name);
	*out = xv_strdup(v);
	return 0;
}

/* --- [host NAME] --------------------------------------------------------- */

static struct xv_inv_host *cur_host(struct parse *p)
{
	return &p->inv->hosts[p->current];
}

static int host_pool(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!*v)
		return xv_ini_error(ini, "pool: empty");
	p->host_pool[p->current].name = xv_strdup(v);
	p->host_pool[p->current].line = xv_ini_line(ini);
	return 0;
}

static int host_source(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	struct xv_error e;

	if (xv_source_check_uri(v, &e)) {
		xv_error_prefix(&e, "source");
		return xv_ini_error_from(ini, &e);
	}
	if (!strncmp(v, "sim:", 4) && v[4] != '/') {
		char *path = resolve_path(p, v + 4);
		cur_host(p)->uri = xv_asprintf("sim:%s", path);
		free(path);
	} else {
		cur_host(p)->uri = xv_strdup(v);
	}
	return 0;
}

static int host_timeout(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	return parse_timeout(ini, "timeout", v, &cur_host(p)->timeout_ms);
}

/* --- tables and dispatch -------------------------------------------------- */

static const struct xv_ini_key pool_keys[] = {
	{ "vm", pool_vm, XV_INI_REPEATABLE, 0 },
	{ "vm_repository", pool_repository, XV_INI_REPEATABLE, 0 },
	{ "timeout", pool_timeout, 0, 0 },
	{ "parallel", pool_parallel, 0, 0 },
	{ "sls_id", pool_text, 0, offsetof(struct xv_inv_pool, sls_id) },
	{ "sls_contact", pool_text, 0, offsetof(struct xv_inv_pool, sls_contact) },
	{ "sls_webpage", pool_text, 0, offsetof(struct xv_inv_pool, sls_webpage) },
};

static const struct xv_ini_key host_keys[] = {
	{ "pool", host_pool, 0, 0 },
	{ "source", host_source, 0, 0 },
	{ "timeout", host_timeout, 0, 0 },
};

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct parse *p = user;
	struct xv_inventory *inv = p->inv;
	const char *name;

	p->seen = 0;
	if ((name = xv_ini_section_arg(section, "pool"))) {
		if (!*name)
			return xv_ini_error(ini, "[pool] needs a name: [pool NAME]");
		/* repeated names are found at the end (check_repeats) */
		inv->pools = xv_grow(inv->pools, sizeof(*inv->pools), inv->n_pools + 1,
				     &inv->alloc_pools);
		memset(&inv->pools[inv->n_pools], 0, sizeof(*inv->pools));
		inv->pools[inv->n_pools].name = xv_strdup(name);
		inv->pools[inv->n_pools].line = xv_ini_line(ini);
		inv->pools[inv->n_pools].timeout_ms = XV_POLL_DEFAULT_TIMEOUT_MS;
		p->current = inv->n_pools++;
		p->section = SEC_POOL;
		return 0;
	}
	if ((name = xv_ini_section_arg(section, "host"))) {
		if (!*name)
			return xv_ini_error(ini, "[host] needs a name: [host NAME]");
		inv->hosts = xv_grow(inv->hosts, sizeof(*inv->hosts), inv->n_hosts + 1,
				     &inv->alloc_hosts);
		memset(&inv->hosts[inv->n_hosts], 0, sizeof(*inv->hosts));
		inv->hosts[inv->n_hosts].name = xv_strdup(name);
		inv->hosts[inv->n_hosts].line = xv_ini_line(ini);
		p->host_pool = xv_grow(p->host_pool, sizeof(*p->host_pool), inv->n_hosts + 1,
				       &p->alloc_host_pool);
		p->host_pool[inv->n_hosts] = (struct pool_ref){ NULL, 0 };
		p->current = inv->n_hosts++;
		p->section = SEC_HOST;
		return 0;
	}
	if (!strcmp(section, "pool") || !strcmp(section, "host"))
		return xv_ini_error(ini, "[%s] needs a name: [%s NAME]", section, section);
	return xv_ini_error(ini, "unknown section [%s] (expected [pool NAME] or [host NAME])",
			    section);
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct parse *p = user;
	const struct xv_ini_key *keys;
	size_t n;

	if (p->section == SEC_POOL) {
		keys = pool_keys;
		n = XV_ARRAY_SIZE(pool_keys);
	} else if (p->section == SEC_HOST) {
		keys = host_keys;
		n = XV_ARRAY_SIZE(host_keys);
	} else {
		return xv_ini_error(ini, "'%s' is outside any section (start with [pool NAME])", key);
	}
	return xv_ini_set_key(ini, keys, n, &p->seen, section, key, value, p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts a pool's expected VMs and merges the same name found twice (listed
 * and in a repository, or in two repositories). */
static void sort_vms(struct xv_inv_pool *pool)
{
	size_t out = 0;

	xv_sort(pool->vms, pool->n_vms, sizeof(*pool->vms), cmp_str);
	for (size_t i = 0; i < pool->n_vms; i++) {
		if (out && !strcmp(pool->vms[out - 1], pool->vms[i]))
			free(pool->vms[i]);
		else
			pool->vms[out++] = pool->vms[i];
	}
	pool->n_vms = out;
}

static int listed_cmp(size_t i, size_t j, const void *user)
{
	const struct parse *p = user;
	const struct vm_origin *a = &p->listed[i], *b = &p->listed[j];

	if (a->pool != b->pool)
		return a->pool < b->pool ? -1 : 1;
	return strcmp(a->name, b->name);
}

static uint64_t listed_hash(size_t i, const void *user)
{
	const struct parse *p = user;
	return xv_hash_str(p->listed[i].name) ^ p->listed[i].pool;
}

static int host_cmp(size_t i, size_t j, const void *user)
{
	const struct xv_inventory *inv = user;
	return strcmp(inv->hosts[i].name, inv->hosts[j].name);
}

static uint64_t host_hash(size_t i, const void *user)
{
	const struct xv_inventory *inv = user;
	return xv_hash_str(inv->hosts[i].name);
}

static int pool_cmp(size_t i, size_t j, const void *user)
{
	const struct xv_inventory *inv = user;
	return strcmp(inv->pools[i].name, inv->pools[j].name);
}

static uint64_t pool_hash(size_t i, const void *user)
{
	const struct xv_inventory *inv = user;
	return xv_hash_str(inv->pools[i].name);
}

/* Names given twice: pools, hosts, and a VM listed twice in one pool.  Of
 * several, the repeat that comes first in the file is reported. */
static int check_repeats(struct xv_ini *ini, struct parse *p)
{
	const struct xv_inventory *inv = p->inv;
	const struct xv_repeat_order pools = { pool_cmp, pool_hash, inv };
	const struct xv_repeat_order hosts = { host_cmp, host_hash, inv };
	const struct xv_repeat_order vms = { listed_cmp, listed_hash, p };
	size_t r, f;
	unsigned best = 0;
	char what[32] = "";
	const char *name = NULL;
	unsigned first_line = 0;

	if (xv_find_repeat(inv->n_pools, &pools, &r, &f)) {
		best = inv->pools[r].line;
		strcpy(what, "duplicate pool");
		name = inv->pools[r].name;
		first_line = inv->pools[f].line;
	}
	if (xv_find_repeat(inv->n_hosts, &hosts, &r, &f) && (!best || inv->hosts[r].line < best)) {
		best = inv->hosts[r].line;
		strcpy(what, "duplicate host");
		name = inv->hosts[r].name;
		first_line = inv->hosts[f].line;
	}
	if (xv_find_repeat(p->n_listed, &vms, &r, &f) && (!best || p->listed[r].line < best))
		return xv_ini_error_at(ini, p->listed[r].line, "vm: '%s' is listed twice (first on "
				       "line %u)", p->listed[r].name, p->listed[f].line);
	if (best)
		return xv_ini_error_at(ini, best, "%s '%s' (first on line %u)", what, name, first_line);
	return 0;
}

/* Pool indices sorted by name, to resolve every host's pool in log time. */
static int pool_index_cmp(const void *x, const void *y, void *arg)
{
	const struct xv_inventory *inv = arg;
	return strcmp(inv->pools[*(const size_t *)x].name, inv->pools[*(const size_t *)y].name);
}

static const struct xv_inv_pool *find_pool(const struct xv_inventory *inv, const size_t *sorted,
					   const char *name)
{
	size_t lo = 0, hi = inv->n_pools;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, inv->pools[sorted[mid]].name);
		if (!c)
			return &inv->pools[sorted[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int on_end(struct xv_ini *ini, void *user)
{
	struct parse *p = user;
	struct xv_inventory *inv = p->inv;
	size_t *sorted;
	int rc = -1;

	if (check_repeats(ini, p))
		return -1;
	sorted = xv_calloc(inv->n_pools, sizeof(*sorted));
	for (size_t i = 0; i < inv->n_pools; i++)
		sorted[i] = i;
	qsort_r(sorted, inv->n_pools, sizeof(*sorted), pool_index_cmp, inv);

	for (size_t i = 0; i < inv->n_hosts; i++) {
		struct xv_inv_host *h = &inv->hosts[i];
		const struct xv_inv_pool *pool;
		const struct pool_ref *ref = &p->host_pool[i];
		if (!ref->name) {
			xv_ini_error_at(ini, h->line, "[host %s] lacks 'pool'", h->name);
			goto out;
		}
		if (!h->uri) {
			xv_ini_error_at(ini, h->line, "[host %s] lacks 'source'", h->name);
			goto out;
		}
		pool = find_pool(inv, sorted, ref->name);
		if (!pool) {
			xv_ini_error_at(ini, ref->line, "pool: '%s' is not defined (no [pool %s] "
					"section)", ref->name, ref->name);
			goto out;
		}
		h->pool = (size_t)(pool - inv->pools);
		struct xv_inv_pool *pl = &inv->pools[h->pool];
		pl->hosts = xv_grow(pl->hosts, sizeof(*pl->hosts), pl->n_hosts + 1, &pl->alloc_hosts);
		pl->hosts[pl->n_hosts++] = i;
	}
	if (!inv->n_pools) {
		xv_ini_error_at(ini, 1, "no [pool NAME] section");
		goto out;
	}
	for (size_t i = 0; i < inv->n_pools; i++) {
		struct xv_inv_pool *pl = &inv->pools[i];
		sort_vms(pl);
		if (pl->n_vms > XV_POOL_MAX_COUNT || pl->n_hosts > XV_POOL_MAX_COUNT) {
			xv_ini_error_at(ini, pl->line, "pool '%s' has %zu VMs and %zu hosts: the limit "
					"is %u of each", pl->name, pl->n_vms, pl->n_hosts,
					XV_POOL_MAX_COUNT);
			goto out;
		}
	}
	rc = 0;
out:
	free(sorted);
	return rc;
}

static const struct xv_ini_callbacks callbacks = { on_section, on_key, on_end };

static int finish(struct parse *p, int rc)
{
	for (size_t i = 0; i < p->inv->n_hosts; i++)
		free(p->host_pool[i].name);
	free(p->host_pool);
	for (size_t i = 0; i < p->n_listed; i++)
		free(p->listed[i].name);
	free(p->listed);
	if (rc)
		xv_inventory_release(p->inv);
	return rc;
}

int xv_inventory_parse(const char *name, const char *dir, const char *text, size_t len,
		       struct xv_inventory *inv, struct xv_error *e)
{
	struct parse p = { .inv = inv, .dir = dir };

	memset(inv, 0, sizeof(*inv));
	inv->path = xv_strdup(name);
	return finish(&p, xv_ini_parse_string(name, text, len, &callbacks, &p, e));
}

int xv_inventory_load(const char *path, struct xv_inventory *inv, struct xv_error *e)
{
	char *copy = xv_strdup(path);
	struct parse p = { .inv = inv, .dir = dirname(copy) };
	int rc;

	memset(inv, 0, sizeof(*inv));
	inv->path = xv_strdup(path);
	rc = finish(&p, xv_ini_parse_file(path, XV_INVENTORY_MAX_BYTES, &callbacks, &p, e));
	free(copy);
	return rc;
}

void xv_inventory_release(struct xv_inventory *inv)
{
	for (size_t i = 0; i < inv->n_pools; i++) {
		struct xv_inv_pool *pool = &inv->pools[i];
		for (size_t j = 0; j < pool->n_vms; j++)
			free(pool->vms[j]);
		free(pool->vms);
		free(pool->hosts);
		free(pool->name);
		free(pool->sls_id);
		free(pool->sls_contact);
		free(pool->sls_webpage);
		for (size_t r = 0; r < pool->n_repositories; r++)
			free(pool->repositories[r]);
		free(pool->repositories);
	}
	free(inv->pools);
	for (size_t i = 0; i < inv->n_hosts; i++) {
		free(inv->hosts[i].name);
		free(inv->hosts[i].uri);
	}
	free(inv->hosts);
	free(inv->path);
	memset(inv, 0, sizeof(*inv));
}

const struct xv_inv_pool *xv_inventory_pool(const struct xv_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->n_pools; i++)
		if (!strcmp(inv->pools[i].name, name))
			return &inv->pools[i];
	return NULL;
}

const struct xv_inv_pool *xv_inventory_choose(const struct xv_inventory *inv, const char *name,
					      struct xv_error *e)
{
	const struct xv_inv_pool *pool;
	struct xv_buf names = XV_BUF_INIT;

	if (!name && inv->n_pools == 1)
		return &inv->pools[0];
	if (name && (pool = xv_inventory_pool(inv, name)))
		return pool;
	for (size_t i = 0; i < inv->n_pools; i++)
		xv_buf_addf(&names, "%s%s", i ? ", " : "", inv->pools[i].name);
	if (name)
		xv_error(e, XV_E_USAGE, "no pool '%s' in %s (pools: %s)", name, inv->path, names.data);
	else
		xv_error(e, XV_E_USAGE, "%s defines %zu pools (%s): choose one with -p", inv->path,
			 inv->n_pools, names.data);
	xv_buf_release(&names);
	return NULL;
}

int xv_inv_pool_expects(const struct xv_inv_pool *pool, const char *vm)
{
	return pool->n_vms &&
	       bsearch(&vm, pool->vms, pool->n_vms, sizeof(*pool->vms), cmp_str) != NULL;
}
