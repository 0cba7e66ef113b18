/* scenario.c: parse and check sim: scenario files. */
#include "scenario.h"
#include "ini_file.h"
#include "num.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xen's first reserved domain id (DOMID_FIRST_RESERVED): real ids are below. */
#define MAX_DOMID 0x7FEF

enum section_kind { SEC_NONE, SEC_HOST, SEC_DOMAIN, SEC_SIM };

/* Per-domain facts only needed while checking the file. */
struct dom_meta {
	unsigned line;    /* of the [domain ...] header */
	unsigned seen;    /* bit per key, see domain_keys[] */
	bool uuid_given;
};

struct parse {
	struct xv_snapshot *snap;
	enum section_kind section;
	struct dom_meta *meta; /* parallel to snap->domains */
	size_t meta_alloc;
	unsigned host_line;
	unsigned host_seen;
	uint64_t dom0_memory_kib;
	unsigned sim_line;
	unsigned sim_seen;
	struct xv_sim_behaviour behaviour;
};

typedef int (*key_fn)(struct xv_ini *ini, struct parse *p, const char *value);

struct key {
	const char *name;
	key_fn set;
	bool required;
};

static struct xv_domain *cur_dom(struct parse *p)
{
	return &p->snap->domains[p->snap->n_domains - 1];
}

static int bad_number(struct xv_ini *ini, const char *key, const char *value, enum xv_num_error e)
{
	return xv_ini_error(ini, "%s: '%s' is not valid (%s)", key, value, xv_num_strerror(e));
}

static int set_kib(struct xv_ini *ini, const char *key, const char *value, uint64_t *out,
		   bool unknown_ok)
{
	enum xv_num_error e;

	if (unknown_ok && !strcmp(value, "unknown")) {
		*out = XV_KIB_UNKNOWN;
		return 0;
	}
	e = xv_parse_kib(value, out);
	if (!e && *out == XV_KIB_UNKNOWN)
		e = XV_NUM_RANGE;
	return e ? bad_number(ini, key, value, e) : 0;
}

/* --- [host] keys ---------------------------------------------------------- */

static int host_name(struct xv_ini *ini, struct parse *p, const char *v)
{
	if (!*v)
		return xv_ini_error(ini, "name: empty host name");
	p->snap->host.name = xv_strdup(v);
	return 0;
}

static int host_total(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "total_memory", v, &p->snap->host.total_kib, false);
}

static int host_free(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "free_memory", v, &p->snap->host.free_kib, false);
}

static int host_dom0(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "dom0_memory", v, &p->dom0_memory_kib, false);
}

static int host_scrub(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "scrub_memory", v, &p->snap->host.scrub_kib, true);
}

static int host_outstanding(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "outstanding_memory", v, &p->snap->host.outstanding_kib, true);
}

static int host_cpus(struct xv_ini *ini, struct parse *p, const char *v)
{
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 1, 65536, &n);

	if (e)
		return bad_number(ini, "cpus", v, e);
	p->snap->host.cpus = (unsigned)n;
	return 0;
}

static int host_version(struct xv_ini *ini, struct parse *p, const char *v)
{
	if (!*v)
		return xv_ini_error(ini, "xen_version: empty");
	p->snap->host.xen_version = xv_strdup(v);
	return 0;
}

static const struct key host_keys[] = {
	{ "name", host_name, true },
	{ "total_memory", host_total, true },
	{ "free_memory", host_free, true },
	{ "cpus", host_cpus, true },
	{ "dom0_memory", host_dom0, false },
	{ "xen_version", host_version, false },
	{ "scrub_memory", host_scrub, false },
	{ "outstanding_memory", host_outstanding, false },
};

/* --- [domain NAME] keys --------------------------------------------------- */

static int dom_id(struct xv_ini *ini, struct parse *p, const char *v)
{
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 0, MAX_DOMID, &n);

	if (e)
		return xv_ini_error(ini, "id: '%s' is not a domain id (0-%d)", v, MAX_DOMID);
	cur_dom(p)->id = (uint32_t)n;
	return 0;
}

static int dom_state(struct xv_ini *ini, struct parse *p, const char *v)
{
	char *copy = xv_strdup(v), *save = NULL, *tok;
	unsigned flags = 0, flag;
	int rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (xv_dom_flag_parse(tok, &flag)) {
			rc = xv_ini_error(ini, "state: unknown state '%s' (use running, blocked, "
					  "paused, shutdown, crashed or dying)", tok);
			goto out;
		}
		flags |= flag;
	}
	if (!flags) {
		rc = xv_ini_error(ini, "state: empty");
		goto out;
	}
	if ((flags & XV_DOM_SHUTDOWN) && (flags & XV_DOM_CRASHED)) {
		rc = xv_ini_error(ini, "state: a domain is either shut down or crashed, not both");
		goto out;
	}
	cur_dom(p)->flags = flags;
out:
	free(copy);
	return rc;
}

static int dom_memory(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "memory", v, &cur_dom(p)->cur_kib, false);
}

static int dom_target(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "target", v, &cur_dom(p)->target_kib, true);
}

static int dom_maxmem(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "maxmem", v, &cur_dom(p)->max_kib, true);
}

static int dom_swap(struct xv_ini *ini, struct parse *p, const char *v)
{
	return set_kib(ini, "swap_used", v, &cur_dom(p)->swap_used_kib, true);
}

static int dom_vcpus(struct xv_ini *ini, struct parse *p, const char *v)
{
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 1, 4096, &n);

	if (e)
		return bad_number(ini, "vcpus", v, e);
	cur_dom(p)->vcpus = (unsigned)n;
	return 0;
}

static int dom_cpu_time(struct xv_ini *ini, struct parse *p, const char *v)
{
	double s;
	enum xv_num_error e = xv_parse_double(v, &s);

	if (!e && (s < 0 || s > 1.8e10))
		e = XV_NUM_RANGE;
	if (e)
		return bad_number(ini, "cpu_time", v, e);
	cur_dom(p)->cpu_ns = (uint64_t)(s * 1e9);
	return 0;
}

static int dom_uuid(struct xv_ini *ini, struct parse *p, const char *v)
{
	if (!xv_uuid_normalize(v, cur_dom(p)->uuid))
		return xv_ini_error(ini, "uuid: '%s' is not a UUID (8-4-4-4-12 hex digits)", v);
	p->meta[p->snap->n_domains - 1].uuid_given = true;
	return 0;
}

static const struct key domain_keys[] = {
	{ "id", dom_id, true },
	{ "state", dom_state, true },
	{ "memory", dom_memory, true },
	{ "target", dom_target, false },
	{ "maxmem", dom_maxmem, false },
	{ "vcpus", dom_vcpus, false },
	{ "cpu_time", dom_cpu_time, false },
	{ "uuid", dom_uuid, false },
	{ "swap_used", dom_swap, false },
};

/* --- [sim] keys: how the simulated host answers --------------------------- */

static int sim_delay(struct xv_ini *ini, struct parse *p, const char *v)
{
	enum xv_num_error e = xv_parse_duration_ms(v, &p->behaviour.delay_ms);

	if (!e && p->behaviour.delay_ms > 24ULL * 3600 * 1000)
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "delay: '%s' is not a duration like 300ms or 2s (%s)", v,
				    xv_num_strerror(e));
	return 0;
}

static int sim_hang(struct xv_ini *ini, struct parse *p, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		p->behaviour.hang = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false"))
		p->behaviour.hang = false;
	else
		return xv_ini_error(ini, "hang: '%s' is not yes or no", v);
	return 0;
}

static const struct key sim_keys[] = {
	{ "delay", sim_delay, false },
	{ "hang", sim_hang, false },
};

/* --- parsing -------------------------------------------------------------- */

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct parse *p = user;

	if (!strcmp(section, "host")) {
		if (p->host_line)
			return xv_ini_error(ini, "duplicate [host] section (first on line %u)",
					    p->host_line);
		p->host_line = xv_ini_line(ini);
		p->section = SEC_HOST;
		return 0;
	}
	if (!strncmp(section, "domain", 6) && (section[6] == ' ' || section[6] == '\t')) {
		const char *name = section + 7;
		struct xv_domain *d;

		while (*name == ' ' || *name == '\t')
			name++;
		if (!*name)
			return xv_ini_error(ini, "[domain] needs a name: [domain NAME]");
		for (size_t i = 0; i < p->snap->n_domains; i++)
			if (!strcmp(p->snap->domains[i].name, name))
				return xv_ini_error(ini, "duplicate domain '%s' (first on line %u)",
						    name, p->meta[i].line);
		d = xv_snapshot_add_domain(p->snap);
		d->name = xv_strdup(name);
		d->vcpus = 1;
		p->meta = xv_grow(p->meta, sizeof(*p->meta), p->snap->n_domains, &p->meta_alloc);
		memset(&p->meta[p->snap->n_domains - 1], 0, sizeof(*p->meta));
		p->meta[p->snap->n_domains - 1].line = xv_ini_line(ini);
		p->section = SEC_DOMAIN;
		return 0;
	}
	if (!strcmp(section, "sim")) {
		if (p->sim_line)
			return xv_ini_error(ini, "duplicate [sim] section (first on line %u)",
					    p->sim_line);
		p->sim_line = xv_ini_line(ini);
		p->section = SEC_SIM;
		return 0;
	}
	if (!strcmp(section, "domain"))
		return xv_ini_error(ini, "[domain] needs a name: [domain NAME]");
	return xv_ini_error(ini, "unknown section [%s] (expected [host], [domain NAME] or [sim])",
			    section);
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct parse *p = user;
	const struct key *keys;
	size_t n;
	unsigned *seen;

	switch (p->section) {
	case SEC_HOST:
		keys = host_keys;
		n = XV_ARRAY_SIZE(host_keys);
		seen = &p->host_seen;
		break;
	case SEC_DOMAIN:
		keys = domain_keys;
		n = XV_ARRAY_SIZE(domain_keys);
		seen = &p->meta[p->snap->n_domains - 1].seen;
		break;
	case SEC_SIM:
		keys = sim_keys;
		n = XV_ARRAY_SIZE(sim_keys);
		seen = &p->sim_seen;
		break;
	default:
		return xv_ini_error(ini, "'%s' is outside any section (start with [host])", key);
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(key, keys[i].name))
			continue;
		if (*seen & (1u << i))
			return xv_ini_error(ini, "duplicate key '%s' in [%s]", key, section);
		*seen |= 1u << i;
		return keys[i].set(ini, p, value);
	}
	return xv_ini_error(ini, "unknown key '%s' in [%s]", key, section);
}

/* --- checks on the whole file ---------------------------------------------- */

/* Whether key `name` of table `keys` was given, by the parser's seen bits. */
static bool given(const struct key *keys, size_t n, unsigned seen, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i].name, name))
			return seen & (1u << i);
	return false;
}

static int check_required(struct xv_ini *ini, const struct key *keys, size_t n, unsigned seen,
			  unsigned line, const char *section)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].required && !(seen & (1u << i)))
			return xv_ini_error_at(ini, line, "[%s] lacks '%s'", section, keys[i].name);
	return 0;
}

/* A stable UUID from the name, so a sim domain keeps its identity between
 * runs like a real one does (FNV-1a, two seeds, version-4 layout). */
static void uuid_from_name(const char *name, char out[37])
{
	uint64_t h[2] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };
	unsigned char b[16];

	for (int k = 0; k < 2; k++)
		for (const unsigned char *s = (const unsigned char *)name; *s; s++)
			h[k] = (h[k] ^ *s) * 0x100000001b3ULL;
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h[0] >> (8 * i));
		b[8 + i] = (unsigned char)(h[1] >> (8 * i));
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static char *fmt_kib(uint64_t kib, char *buf, size_t size)
{
	if (kib % (1024 * 1024) == 0)
		snprintf(buf, size, "%lluG", (unsigned long long)(kib / (1024 * 1024)));
	else if (kib % 1024 == 0)
		snprintf(buf, size, "%lluM", (unsigned long long)(kib / 1024));
	else
		snprintf(buf, size, "%lluK", (unsigned long long)kib);
	return buf;
}

static int check_domain(struct xv_ini *ini, struct parse *p, size_t i)
{
	struct xv_domain *d = &p->snap->domains[i];
	unsigned line = p->meta[i].line;
	char a[32], b[32];

	if (check_required(ini, domain_keys, XV_ARRAY_SIZE(domain_keys), p->meta[i].seen, line,
			   "domain"))
		return -1;
	if (!given(domain_keys, XV_ARRAY_SIZE(domain_keys), p->meta[i].seen, "target"))
		d->target_kib = d->cur_kib;
	if (!given(domain_keys, XV_ARRAY_SIZE(domain_keys), p->meta[i].seen, "maxmem"))
		d->max_kib = d->cur_kib;
	if (d->max_kib != XV_KIB_UNKNOWN && d->cur_kib > d->max_kib)
		return xv_ini_error_at(ini, line, "domain '%s': memory %s exceeds maxmem %s", d->name,
				       fmt_kib(d->cur_kib, a, sizeof(a)),
				       fmt_kib(d->max_kib, b, sizeof(b)));
	if (d->max_kib != XV_KIB_UNKNOWN && d->target_kib != XV_KIB_UNKNOWN &&
	    d->target_kib > d->max_kib)
		return xv_ini_error_at(ini, line, "domain '%s': target %s exceeds maxmem %s", d->name,
				       fmt_kib(d->target_kib, a, sizeof(a)),
				       fmt_kib(d->max_kib, b, sizeof(b)));
	if (!p->meta[i].uuid_given) {
		if (d->id == 0)
			strcpy(d->uuid, "00000000-0000-0000-0000-000000000000");
		else
			uuid_from_name(d->name, d->uuid);
	}
	for (size_t j = 0; j < i; j++) {
		if (p->snap->domains[j].id == d->id)
			return xv_ini_error_at(ini, line, "domain '%s': id %u is already used by '%s' "
					       "(line %u)", d->name, d->id, p->snap->domains[j].name,
					       p->meta[j].line);
		if (!strcmp(p->snap->domains[j].uuid, d->uuid))
			return xv_ini_error_at(ini, line, "domain '%s': uuid %s is already used by "
					       "'%s' (line %u)", d->name, d->uuid,
					       p->snap->domains[j].name, p->meta[j].line);
	}
	return 0;
}

/* Puts a synthesized or declared domain 0 first, as Xen lists it. */
static void dom0_first(struct parse *p)
{
	struct xv_snapshot *s = p->snap;

	for (size_t i = 1; i < s->n_domains; i++) {
		if (s->domains[i].id == 0) {
			struct xv_domain d = s->domains[i];
			struct dom_meta m = p->meta[i];
			memmove(&s->domains[1], &s->domains[0], i * sizeof(d));
			memmove(&p->meta[1], &p->meta[0], i * sizeof(m));
			s->domains[0] = d;
			p->meta[0] = m;
			return;
		}
	}
}

static int check_all(struct xv_ini *ini, struct parse *p)
{
	struct xv_snapshot *s = p->snap;
	struct xv_host *h = &s->host;
	const struct xv_domain *dom0;
	uint64_t used = 0;
	char a[32], b[32], c[32];
	bool dom0_key = given(host_keys, XV_ARRAY_SIZE(host_keys), p->host_seen, "dom0_memory");

	if (!p->host_line)
		return xv_ini_error_at(ini, 1, "no [host] section");
	if (check_required(ini, host_keys, XV_ARRAY_SIZE(host_keys), p->host_seen, p->host_line,
			   "host"))
		return -1;
	if (h->free_kib > h->total_kib)
		return xv_ini_error_at(ini, p->host_line, "free_memory %s exceeds total_memory %s",
				       fmt_kib(h->free_kib, a, sizeof(a)),
				       fmt_kib(h->total_kib, b, sizeof(b)));
	for (size_t i = 0; i < s->n_domains; i++)
		if (check_domain(ini, p, i))
			return -1;

	dom0 = xv_snapshot_find_id(s, 0);
	if (dom0 && dom0_key)
		return xv_ini_error_at(ini, p->host_line, "dom0_memory and [domain %s] (id 0) both "
				       "describe domain 0: keep one", dom0->name);
	if (!dom0 && !dom0_key)
		return xv_ini_error_at(ini, p->host_line, "no domain 0: add dom0_memory to [host] "
				       "or a [domain Domain-0] section with id = 0");
	if (!dom0) {
		const struct xv_domain *named = xv_snapshot_find_name(s, "Domain-0");
		if (named)
			return xv_ini_error_at(ini, p->meta[named - s->domains].line,
					       "[domain Domain-0] has id %u, but dom0_memory makes "
					       "Domain-0 domain 0: give it id = 0 and drop dom0_memory",
					       named->id);
		struct xv_domain *d = xv_snapshot_add_domain(s);
		d->name = xv_strdup("Domain-0");
		d->id = 0;
		d->flags = XV_DOM_RUNNING;
		d->cur_kib = d->target_kib = d->max_kib = p->dom0_memory_kib;
		d->vcpus = h->cpus;
		strcpy(d->uuid, "00000000-0000-0000-0000-000000000000");
		p->meta = xv_grow(p->meta, sizeof(*p->meta), s->n_domains, &p->meta_alloc);
		memset(&p->meta[s->n_domains - 1], 0, sizeof(*p->meta));
		p->meta[s->n_domains - 1].line = p->host_line;
	}
	dom0_first(p);
	h->dom0_kib = s->domains[0].cur_kib;

	/* What Xen guarantees: domains and free memory fit in the machine. */
	for (size_t i = 0; i < s->n_domains; i++)
		used += s->domains[i].cur_kib;
	if (used > h->total_kib || h->free_kib > h->total_kib - used)
		return xv_ini_error_at(ini, p->host_line, "domains hold %s and %s is free, more than "
				       "total_memory %s", fmt_kib(used, a, sizeof(a)),
				       fmt_kib(h->free_kib, b, sizeof(b)),
				       fmt_kib(h->total_kib, c, sizeof(c)));
	return 0;
}

static int on_end(struct xv_ini *ini, void *user)
{
	return check_all(ini, user);
}

static const struct xv_ini_callbacks callbacks = { on_section, on_key, on_end };

static int finish(struct parse *p, int rc, struct xv_sim_behaviour *behaviour)
{
	free(p->meta);
	if (rc)
		xv_snapshot_release(p->snap);
	else if (behaviour)
		*behaviour = p->behaviour;
	return rc;
}

int xv_scenario_load(const char *path, struct xv_snapshot *snap,
		     struct xv_sim_behaviour *behaviour, char *err, size_t errlen)
{
	struct parse p = { .snap = snap };

	xv_snapshot_init(snap);
	return finish(&p, xv_ini_parse_file(path, &callbacks, &p, err, errlen), behaviour);
}

int xv_scenario_parse(const char *name, const char *text, size_t len,
		      struct xv_snapshot *snap, struct xv_sim_behaviour *behaviour,
		      char *err, size_t errlen)
{
	struct parse p = { .snap = snap };

	xv_snapshot_init(snap);
	return finish(&p, xv_ini_parse_string(name, text, len, &callbacks, &p, err, errlen),
		      behaviour);
}
