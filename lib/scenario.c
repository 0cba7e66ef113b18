/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario.c: parse and check sim: scenario files. */
#include "scenario.h"
#include "ini_file.h"
#include "num.h"
#include "check.h"
#include "util.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xen's first reserved domain id (DOMID_FIRST_RESERVED): real ids are below. */
#define MAX_DOMID 0x7FEF
/* A scenario of the most domains a host can have is about 5 MB. */
#define XV_SCENARIO_MAX_BYTES (16u << 20)

enum section_kind { SEC_NONE, SEC_HOST, SEC_DOMAIN, SEC_SIM };

/* Per-domain facts only needed while checking the file. */
struct dom_meta {
	xv_ini_seen seen;       /* bit per key, see enum dom_key */
	unsigned line;          /* of the [domain ...] header */
	uint16_t n_vcpu_times;  /* figures given in vcpu_time (at most XV_MAX_VCPUS) */
	int8_t guest_report;    /* guest_report's value, -1 when not given */
	bool uuid_given;
};
/* 16 bytes: one per domain of thousands, and each page first touched costs */
_Static_assert(sizeof(struct dom_meta) <= 16, "dom_meta stays small");
_Static_assert(XV_MAX_VCPUS <= UINT16_MAX && XV_GUEST_REPORT_COUNT <= INT8_MAX, "fits dom_meta");

struct parse {
	struct xv_snapshot *snap;
	enum section_kind section;
	struct dom_meta *meta; /* parallel to snap->domains */
	size_t meta_alloc;
	size_t first_domain_offset; /* of the first [domain] header */
	unsigned host_line;
	xv_ini_seen host_seen;
	uint64_t dom0_memory_kib;
	unsigned sim_line;
	xv_ini_seen sim_seen;
	struct xv_sim_behaviour behaviour;
};

/* Whether a value is the word "unknown": its first letter looked at before
 * a call (a scenario of 1000 domains has 14 000 sizes, nearly all numbers). */
static bool is_unknown(const char *v)
{
	return v[0] == 'u' && !strcmp(v, "unknown");
}

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

	if (unknown_ok && is_unknown(value)) {
		*out = XV_KIB_UNKNOWN;
		return 0;
	}
	e = xv_parse_kib(value, out);
	if (e == XV_NUM_RANGE && value[0] != '-')
		return xv_ini_error(ini, "%s: '%s' is not a size from 0 to 1P (the largest xvmon "
				    "takes)", key, value);
	return e ? bad_number(ini, key, value, e) : 0;
}

/* --- [host] keys ---------------------------------------------------------- */

static int host_name(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!*v)
		return xv_ini_error(ini, "name: empty host name");
	p->snap->host.name = xv_strdup(v);
	return 0;
}

/* Setters shared by several keys find their field at the key's offset in
 * the host, or in the domain being read: a uint64_t, which the tables'
 * HOST_U64() and DOM_U64() check when they compile. */
#define U64_AT(type, member)                                                          \
	(offsetof(type, member) +                                                    \
	 0 * sizeof(char[sizeof(((type *)0)->member) == sizeof(uint64_t) ? 1 : -1]))
#define HOST_U64(member) U64_AT(struct xv_host, member)
#define DOM_U64(member) U64_AT(struct xv_domain, member)

static uint64_t *host_field(struct parse *p, const struct xv_ini_key *k)
{
	return (uint64_t *)((char *)&p->snap->host + k->offset);
}

static uint64_t *dom_field(struct parse *p, const struct xv_ini_key *k)
{
	return (uint64_t *)((char *)cur_dom(p) + k->offset);
}

/* ... or in its detail (guest memory, I/O), made when a key first needs it:
 * DETAIL_U64() keys have setters of their own, which call this. */
#define DETAIL_U64(member) U64_AT(struct xv_domain_detail, member)

static uint64_t *detail_field(struct parse *p, const struct xv_ini_key *k)
{
	return (uint64_t *)((char *)xv_domain_detail(cur_dom(p)) + k->offset);
}

static int host_kib(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_kib(ini, k->name, v, host_field(user, k), false);
}

/* a size, or "unknown" */
static int host_kib_or_unknown(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_kib(ini, k->name, v, host_field(user, k), true);
}

static int host_dom0(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	return set_kib(ini, "dom0_memory", v, &p->dom0_memory_kib, false);
}

static int host_cpus(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 1, 65536, &n);

	if (e)
		return bad_number(ini, "cpus", v, e);
	p->snap->host.cpus = (unsigned)n;
	return 0;
}

static int host_version(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!*v)
		return xv_ini_error(ini, "xen_version: empty");
	p->snap->host.xen_version = xv_strdup(v);
	return 0;
}

/* Uptimes: a duration (300ms, 90s, 45m, 72h; a bare number is seconds), at
 * most ten years. */
static int set_uptime(struct xv_ini *ini, const char *key, const char *v, uint64_t *out)
{
	enum xv_num_error e = xv_parse_duration_ms(v, out);

	if (!e && *out > 10ULL * 366 * 24 * 3600 * 1000)
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "%s: '%s' is not a duration like 90s or 72h (%s)", key, v,
				    xv_num_strerror(e));
	return 0;
}

static int host_uptime(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_uptime(ini, k->name, v, host_field(user, k));
}

/* The moment of the snapshot, seconds since the epoch: two scenarios with
 * times make CPU and I/O rates that tests can derive by hand. */
static int host_time(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	double s;
	enum xv_num_error e = xv_parse_double(v, &s);

	/* from 1 s after the epoch (0 means "not given") to the year 3000 */
	if (!e && (s < 1 || s > 32503680000.0))
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "time: '%s' is not a time in seconds since 1970 (%s)", v,
				    xv_num_strerror(e));
	p->snap->time_ms = (uint64_t)xv_round(s * 1000);
	return 0;
}

static int host_master(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!*v)
		return xv_ini_error(ini, "master: empty host name");
	p->snap->host.pool_master = xv_strdup(v);
	return 0;
}

/* Indices of host_keys[], for the bits of parse.host_seen. */
enum host_key { HK_NAME, HK_TOTAL, HK_FREE, HK_CPUS, HK_DOM0 };

static const struct xv_ini_key host_keys[] = {
	[HK_NAME] = { "name", host_name, XV_INI_REQUIRED, 0 },
	[HK_TOTAL] = { "total_memory", host_kib, XV_INI_REQUIRED, HOST_U64(total_kib) },
	[HK_FREE] = { "free_memory", host_kib, XV_INI_REQUIRED, HOST_U64(free_kib) },
	[HK_CPUS] = { "cpus", host_cpus, XV_INI_REQUIRED, 0 },
	[HK_DOM0] = { "dom0_memory", host_dom0, 0, 0 },
	{ "xen_version", host_version, 0, 0 },
	{ "scrub_memory", host_kib_or_unknown, 0, HOST_U64(scrub_kib) },
	{ "outstanding_memory", host_kib_or_unknown, 0, HOST_U64(outstanding_kib) },
	{ "uptime", host_uptime, 0, HOST_U64(uptime_ms) },
	{ "time", host_time, 0, 0 },
	{ "master", host_master, 0, 0 },
};

/* --- [domain NAME] keys --------------------------------------------------- */

static int dom_id(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 0, MAX_DOMID, &n);

	if (e)
		return xv_ini_error(ini, "id: '%s' is not a domain id (0-%d)", v, MAX_DOMID);
	cur_dom(p)->id = (uint32_t)n;
	return 0;
}

static int dom_state(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	unsigned flags = 0, flag;

	/* one flag, the common case (a name has no comma or blank); else
	 * flags separated by commas and blanks, read in place */
	if (!xv_dom_flag_parse(v, &flag)) {
		cur_dom(p)->flags = flag;
		return 0;
	}
	for (const char *tok = v + strspn(v, ", "); *tok; tok += strspn(tok, ", ")) {
		size_t len = strcspn(tok, ", ");
		char name[16];

		if (len >= sizeof(name) || (memcpy(name, tok, len), name[len] = '\0',
					    xv_dom_flag_parse(name, &flag)))
			return xv_ini_error(ini, "state: unknown state '%.*s' (use running, blocked, "
					    "paused, shutdown, crashed or dying)", (int)len, tok);
		flags |= flag;
		tok += len;
	}
	if (!flags)
		return xv_ini_error(ini, "state: empty");
	if ((flags & XV_DOM_SHUTDOWN) && (flags & XV_DOM_CRASHED))
		return xv_ini_error(ini, "state: a domain is either shut down or crashed, not both");
	cur_dom(p)->flags = flags;
	return 0;
}

static int dom_kib(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_kib(ini, k->name, v, dom_field(user, k), false);
}

/* A size or "unknown". */
static int dom_kib_or_unknown(struct xv_ini *ini, void *user, const struct xv_ini_key *k,
			      const char *v)
{
	return set_kib(ini, k->name, v, dom_field(user, k), true);
}

static int dom_guest_report(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	for (int r = 0; r < XV_GUEST_REPORT_COUNT; r++) {
		if (!strcmp(v, xv_guest_report_name((enum xv_guest_report)r))) {
			p->meta[p->snap->n_domains - 1].guest_report = (int8_t)r;
			return 0;
		}
	}
	return xv_ini_error(ini, "guest_report: '%s' is not none, reported or refused", v);
}

/* I/O counters: byte counts as sizes, operation counts as whole numbers. */
static int set_counter(struct xv_ini *ini, const char *key, const char *v, bool bytes,
		       uint64_t *out)
{
	uint64_t n;
	enum xv_num_error e;

	if (is_unknown(v)) {
		*out = XV_COUNTER_UNKNOWN;
		return 0;
	}
	if (bytes) {
		if (set_kib(ini, key, v, &n, false))
			return -1;
		*out = n * 1024; /* at most 1 PiB */
		return 0;
	}
	e = xv_parse_u64(v, 0, XV_KIB_COUNTER_MAX, &n);
	if (e)
		return bad_number(ini, key, v, e);
	*out = n;
	return 0;
}

static int io_bytes(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_counter(ini, k->name, v, true, detail_field(user, k));
}

static int io_count(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_counter(ini, k->name, v, false, detail_field(user, k));
}

/* A guest figure: a size or "unknown".  Giving any of them makes the
 * domain's guest record a report (unless guest_report says otherwise). */
static int guest_kib(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_kib(ini, k->name, v, detail_field(user, k), true);
}

static int dom_vcpus(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	uint64_t n;
	enum xv_num_error e = xv_parse_u64(v, 1, 4096, &n);

	if (e)
		return bad_number(ini, "vcpus", v, e);
	cur_dom(p)->vcpus = (unsigned)n;
	return 0;
}

/* CPU seconds (decimals allowed) in nanoseconds, at most 570 years. */
static enum xv_num_error parse_cpu_ns(const char *v, size_t len, uint64_t *ns)
{
	double s;
	enum xv_num_error e = xv_parse_double_n(v, len, &s);

	if (!e && (s < 0 || s > 1.8e10))
		e = XV_NUM_RANGE;
	if (!e)
		*ns = (uint64_t)xv_round(s * 1e9);
	return e;
}

/* CPU seconds into a nanosecond counter; "unknown" allowed. */
static int set_cpu_seconds(struct xv_ini *ini, const char *key, const char *v, uint64_t *ns)
{
	enum xv_num_error e;

	if (is_unknown(v)) {
		*ns = XV_COUNTER_UNKNOWN;
		return 0;
	}
	e = parse_cpu_ns(v, strlen(v), ns);
	return e ? bad_number(ini, key, v, e) : 0;
}

static int dom_cpu_seconds(struct xv_ini *ini, void *user, const struct xv_ini_key *k,
			   const char *v)
{
	return set_cpu_seconds(ini, k->name, v, dom_field(user, k));
}

/* "2560.1, 2560.15": one figure per vCPU, checked against vcpus at the end. */
static int dom_vcpu_time(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	struct xv_domain *d = cur_dom(p);
	size_t n = 1, i = 0;
	const char *s = v;

	for (const char *c = v; *c; c++)
		n += *c == ',';
	if (n > XV_MAX_VCPUS)
		return xv_ini_error(ini, "vcpu_time: more than %d figures", XV_MAX_VCPUS);
	d->vcpu_ns = xv_calloc(n, sizeof(*d->vcpu_ns));
	for (i = 0; i < n; i++) {
		size_t len;
		while (*s == ' ')
			s++;
		len = strcspn(s, ",");
		while (len && s[len - 1] == ' ')
			len--;
		enum xv_num_error e = parse_cpu_ns(s, len, &d->vcpu_ns[i]);
		if (e)
			return xv_ini_error(ini, "vcpu_time: '%.*s' is not valid (%s)", (int)len, s,
					    xv_num_strerror(e));
		s += strcspn(s, ",");
		if (*s)
			s++;
	}
	p->meta[p->snap->n_domains - 1].n_vcpu_times = (uint16_t)n;
	return 0;
}

static int dom_uptime(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	return set_uptime(ini, k->name, v, dom_field(user, k));
}

static int dom_uuid(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	if (!xv_uuid_normalize(v, cur_dom(p)->uuid))
		return xv_ini_error(ini, "uuid: '%s' is not a UUID (8-4-4-4-12 hex digits)", v);
	p->meta[p->snap->n_domains - 1].uuid_given = true;
	return 0;
}

/* The keys below describe what the sim: source's actions need (docs/scenario.md);
 * the snapshot does not carry them, the actions read them from the file. */
static int dom_mac(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!xv_mac_is_valid(v))
		return xv_ini_error(ini, "mac: '%s' is not a MAC address like 00:16:3e:12:34:56", v);
	return 0;
}

static int dom_console(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!xv_scenario_console_is_valid(v))
		return xv_ini_error(ini, "console: '%s' is neither text nor vnc://HOST:PORT", v);
	return 0;
}

static int dom_ignore_shutdown(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	int b;

	if (xv_ini_parse_bool(v, &b))
		return xv_ini_error(ini, "ignore_shutdown: '%s' is not yes or no", v);
	return 0;
}

/* Indices of domain_keys[], for the bits of dom_meta.seen. */
enum dom_key {
	DK_ID,
	DK_STATE,
	DK_MEMORY,
	DK_TARGET,
	DK_MAXMEM,
	DK_VCPUS,
	DK_CPU_TIME,
	DK_UUID,
	DK_CPU_WAIT,
	DK_GUEST_REPORT,
	DK_GUEST_TOTAL,
	DK_GUEST_FREE,
	DK_GUEST_AVAILABLE,
	DK_GUEST_CACHED,
	DK_GUEST_COMMITTED,
	DK_SWAP_TOTAL,
	DK_SWAP_USED,
	DK_UPTIME,
	DK_VCPU_TIME,
	DK_SWAP_IN,
	DK_SWAP_OUT,
	DK_DISK_READ,
	DK_DISK_WRITE,
	DK_DISK_READ_OPS,
	DK_DISK_WRITE_OPS,
	DK_NET_RX,
	DK_NET_TX,
	DK_NET_RX_PACKETS,
	DK_NET_TX_PACKETS,
	DK_MAC,
	DK_CONSOLE,
	DK_IGNORE_SHUTDOWN,
	DK_COUNT
};

static const struct xv_ini_key domain_keys[] = {
	[DK_ID] = { "id", dom_id, XV_INI_REQUIRED, 0 },
	[DK_STATE] = { "state", dom_state, XV_INI_REQUIRED, 0 },
	[DK_MEMORY] = { "memory", dom_kib, XV_INI_REQUIRED, DOM_U64(cur_kib) },
	[DK_TARGET] = { "target", dom_kib_or_unknown, 0, DOM_U64(target_kib) },
	[DK_MAXMEM] = { "maxmem", dom_kib_or_unknown, 0, DOM_U64(max_kib) },
	[DK_VCPUS] = { "vcpus", dom_vcpus, 0, 0 },
	[DK_CPU_TIME] = { "cpu_time", dom_cpu_seconds, 0, DOM_U64(cpu_ns) },
	[DK_UUID] = { "uuid", dom_uuid, 0, 0 },
	[DK_CPU_WAIT] = { "cpu_wait", dom_cpu_seconds, 0, DOM_U64(cpu_wait_ns) },
	[DK_GUEST_REPORT] = { "guest_report", dom_guest_report, 0, 0 },
	[DK_GUEST_TOTAL] = { "guest_total", guest_kib, 0, DETAIL_U64(guest.total_kib) },
	[DK_GUEST_FREE] = { "guest_free", guest_kib, 0, DETAIL_U64(guest.free_kib) },
	[DK_GUEST_AVAILABLE] = { "guest_available", guest_kib, 0, DETAIL_U64(guest.available_kib) },
	[DK_GUEST_CACHED] = { "guest_cached", guest_kib, 0, DETAIL_U64(guest.cached_kib) },
	[DK_GUEST_COMMITTED] = { "guest_committed", guest_kib, 0, DETAIL_U64(guest.committed_kib) },
	[DK_SWAP_TOTAL] = { "swap_total", guest_kib, 0, DETAIL_U64(guest.swap_total_kib) },
	[DK_SWAP_USED] = { "swap_used", guest_kib, 0, DETAIL_U64(guest.swap_used_kib) },
	[DK_UPTIME] = { "uptime", dom_uptime, 0, DOM_U64(uptime_ms) },
	[DK_VCPU_TIME] = { "vcpu_time", dom_vcpu_time, 0, 0 },
	[DK_SWAP_IN] = { "swap_in", guest_kib, 0, DETAIL_U64(guest.swap_in_kib) },
	[DK_SWAP_OUT] = { "swap_out", guest_kib, 0, DETAIL_U64(guest.swap_out_kib) },
	[DK_DISK_READ] = { "disk_read", io_bytes, 0, DETAIL_U64(io.disk_read_bytes) },
	[DK_DISK_WRITE] = { "disk_write", io_bytes, 0, DETAIL_U64(io.disk_write_bytes) },
	[DK_DISK_READ_OPS] = { "disk_read_ops", io_count, 0, DETAIL_U64(io.disk_read_ops) },
	[DK_DISK_WRITE_OPS] = { "disk_write_ops", io_count, 0, DETAIL_U64(io.disk_write_ops) },
	[DK_NET_RX] = { "net_rx", io_bytes, 0, DETAIL_U64(io.net_rx_bytes) },
	[DK_NET_TX] = { "net_tx", io_bytes, 0, DETAIL_U64(io.net_tx_bytes) },
	[DK_NET_RX_PACKETS] = { "net_rx_packets", io_count, 0, DETAIL_U64(io.net_rx_packets) },
	[DK_NET_TX_PACKETS] = { "net_tx_packets", io_count, 0, DETAIL_U64(io.net_tx_packets) },
	[DK_MAC] = { "mac", dom_mac, XV_INI_REPEATABLE, 0 },
	[DK_CONSOLE] = { "console", dom_console, 0, 0 },
	[DK_IGNORE_SHUTDOWN] = { "ignore_shutdown", dom_ignore_shutdown, 0, 0 },
};
_Static_assert(DK_COUNT <= XV_INI_MAX_KEYS, "dom_meta.seen has a bit per key");

/* The keys whose figures come from the guest itself. */
#define GUEST_FIGURE_KEYS                                                                       \
	(XV_INI_BIT(DK_GUEST_TOTAL) | XV_INI_BIT(DK_GUEST_FREE) | XV_INI_BIT(DK_GUEST_AVAILABLE) | \
	 XV_INI_BIT(DK_GUEST_CACHED) | XV_INI_BIT(DK_GUEST_COMMITTED) | XV_INI_BIT(DK_SWAP_TOTAL) | \
	 XV_INI_BIT(DK_SWAP_USED) | XV_INI_BIT(DK_SWAP_IN) | XV_INI_BIT(DK_SWAP_OUT))

/* --- [sim] keys: how the simulated host answers --------------------------- */

static int sim_delay(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;
	enum xv_num_error e = xv_parse_duration_ms(v, &p->behaviour.delay_ms);

	if (!e && p->behaviour.delay_ms > 24ULL * 3600 * 1000)
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "delay: '%s' is not a duration like 300ms or 2s (%s)", v,
				    xv_num_strerror(e));
	return 0;
}

static int sim_hang(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct parse *p = user;

	int hang;

	if (xv_ini_parse_bool(v, &hang))
		return xv_ini_error(ini, "hang: '%s' is not yes or no", v);
	p->behaviour.hang = hang;
	return 0;
}

static const struct xv_ini_key sim_keys[] = {
	{ "delay", sim_delay, 0, 0 },
	{ "hang", sim_hang, 0, 0 },
};

bool xv_mac_is_valid(const char *s)
{
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return false;
		s += 2;
		if (i < 5 && *s++ != ':')
			return false;
	}
	return *s == '\0';
}

bool xv_scenario_console_is_valid(const char *v)
{
	const char *colon;
	uint64_t port;

	if (!strcmp(v, "text"))
		return true;
	if (strncmp(v, "vnc://", 6))
		return false;
	v += 6;
	colon = strrchr(v, ':');
	if (!colon || colon == v || xv_parse_u64(colon + 1, 1, 65535, &port))
		return false;
	for (const char *c = v; c < colon; c++)
		if (!isalnum((unsigned char)*c) && !strchr(".-[]:", *c))
			return false;
	return true;
}

/* --- parsing -------------------------------------------------------------- */

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct parse *p = user;
	const char *name = xv_ini_section_arg(section, "domain");

	if (!strcmp(section, "host")) {
		if (p->host_line)
			return xv_ini_error(ini, "duplicate [host] section (first on line %u)",
					    p->host_line);
		p->host_line = xv_ini_line(ini);
		p->section = SEC_HOST;
		return 0;
	}
	if (name) {
		struct xv_domain *d;

		if (!*name)
			return xv_ini_error(ini, "[domain] needs a name: [domain NAME]");
		if (p->snap->n_domains >= XV_MAX_DOMAINS)
			return xv_ini_error(ini, "more than %d domains: no Xen host has that many",
					    XV_MAX_DOMAINS);
		if (!p->snap->n_domains) {
			p->first_domain_offset = xv_ini_offset(ini);
		} else if (p->snap->n_domains == 1) {
			/* room for the domains the rest of the file holds if they
			 * take the bytes the first one took, and an eighth more,
			 * so the tables of thousands are not copied as they grow.
			 * Not room for all it could hold (36 bytes make a domain):
			 * on the plugins' huge pages, the tables' untouched end
			 * would push what comes after them onto another one. */
			size_t at = xv_ini_offset(ini), each = at - p->first_domain_offset;
			size_t left = (xv_ini_size(ini) > at ? xv_ini_size(ini) - at : 0) / (each ? each : 1);
			size_t most = 2 + left + left / 8;
			if (most > XV_MAX_DOMAINS + 1)
				most = XV_MAX_DOMAINS + 1;
			xv_snapshot_reserve(p->snap, most);
			p->meta = xv_reserve(p->meta, sizeof(*p->meta), most, &p->meta_alloc);
		}
		/* duplicate names are found at the end, in check_unique() */
		d = xv_snapshot_add_domain(p->snap);
		xv_domain_name_set(p->snap, d, name, strlen(name));
		d->vcpus = 1;
		p->meta = xv_grow(p->meta, sizeof(*p->meta), p->snap->n_domains, &p->meta_alloc);
		memset(&p->meta[p->snap->n_domains - 1], 0, sizeof(*p->meta));
		p->meta[p->snap->n_domains - 1].line = xv_ini_line(ini);
		p->meta[p->snap->n_domains - 1].guest_report = -1;
		d->cpu_ns = 0; /* documented default: a scenario's guests start idle */
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
	const struct xv_ini_key *keys;
	size_t n;
	xv_ini_seen *seen;

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
	return xv_ini_set_key(ini, keys, n, seen, section, key, value, p);
}

/* --- checks on the whole file ---------------------------------------------- */

/* A stable UUID from the name, so a sim domain keeps its identity between
 * runs like a real one does (FNV-1a, two seeds, version-4 layout). */
static void uuid_from_name(const char *name, char out[37])
{
	uint64_t h[2] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };
	unsigned char b[16];

	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		h[0] = (h[0] ^ *s) * 0x100000001b3ULL;
		h[1] = (h[1] ^ *s) * 0x100000001b3ULL;
	}
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h[0] >> (8 * i));
		b[8 + i] = (unsigned char)(h[1] >> (8 * i));
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	xv_uuid_format(b, out);
}

static char *fmt_kib(uint64_t kib, char *buf, size_t size)
{
	xv_format_kib(kib, buf, size);
	return buf;
}

/* The guest's report: its kind follows from the figures given, unless
 * guest_report names it; the figures must be ones a guest could publish. */
static int check_guest(struct xv_ini *ini, struct parse *p, size_t i)
{
	struct xv_domain *d = &p->snap->domains[i];
	const struct dom_meta *m = &p->meta[i];
	bool figures = (m->seen & GUEST_FIGURE_KEYS) != 0;
	const char *why;
	char a[32], b[32];

	enum xv_guest_report report = m->guest_report < 0
		? (figures ? XV_GUEST_REPORTED : XV_GUEST_NONE)
		: (enum xv_guest_report)m->guest_report;
	const struct xv_guest_memory *g;

	if (m->guest_report >= 0 && report != XV_GUEST_REPORTED && figures)
		return xv_ini_error_at(ini, m->line, "domain '%s': guest_report = %s, but guest "
				       "figures are given (a guest that reports none has none)",
				       d->name, xv_guest_report_name(report));
	if (report != XV_GUEST_NONE || d->detail)
		xv_domain_detail(d)->guest.report = report;
	if (!d->detail) /* nothing given, nothing to check */
		return 0;
	g = xv_domain_guest(d);
	if ((why = xv_guest_memory_validate(g)))
		return xv_ini_error_at(ini, m->line, "domain '%s': guest figures cannot be true: %s",
				       d->name, why);
	if (g->total_kib != XV_KIB_UNKNOWN && d->max_kib != XV_KIB_UNKNOWN &&
	    g->total_kib > d->max_kib)
		return xv_ini_error_at(ini, m->line, "domain '%s': guest_total %s exceeds maxmem %s",
				       d->name, fmt_kib(g->total_kib, a, sizeof(a)),
				       fmt_kib(d->max_kib, b, sizeof(b)));
	return 0;
}

static int check_domain(struct xv_ini *ini, struct parse *p, size_t i)
{
	struct xv_domain *d = &p->snap->domains[i];
	unsigned line = p->meta[i].line;
	char a[32], b[32];

	if (xv_ini_check_required(ini, domain_keys, XV_ARRAY_SIZE(domain_keys), p->meta[i].seen, line,
			   "domain"))
		return -1;
	if (!(p->meta[i].seen & XV_INI_BIT(DK_TARGET)))
		d->target_kib = d->cur_kib;
	if (!(p->meta[i].seen & XV_INI_BIT(DK_MAXMEM)))
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
	if (d->vcpu_ns && p->meta[i].n_vcpu_times != d->vcpus)
		return xv_ini_error_at(ini, line, "domain '%s': vcpu_time has %u figures for %u "
				       "vcpus", d->name, (unsigned)p->meta[i].n_vcpu_times, d->vcpus);
	if (check_guest(ini, p, i))
		return -1;
	if (!p->meta[i].uuid_given) {
		if (d->id == 0)
			strcpy(d->uuid, "00000000-0000-0000-0000-000000000000");
		else
			uuid_from_name(d->name, d->uuid);
	}
	return 0;
}

struct unique_by {
	const struct parse *p;
	int (*cmp)(const struct xv_domain *a, const struct xv_domain *b);
	uint64_t (*hash)(const struct xv_domain *d);
};

static int by_name(const struct xv_domain *a, const struct xv_domain *b)
{
	return strcmp(a->name, b->name);
}

static int by_id(const struct xv_domain *a, const struct xv_domain *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

static int by_uuid(const struct xv_domain *a, const struct xv_domain *b)
{
	return strcmp(a->uuid, b->uuid);
}

static uint64_t hash_name(const struct xv_domain *d)
{
	return xv_hash_str(d->name);
}

static uint64_t hash_id(const struct xv_domain *d)
{
	return d->id * 0x9e3779b97f4a7c15ull;
}

static uint64_t hash_uuid(const struct xv_domain *d)
{
	return xv_hash_str(d->uuid);
}

static int unique_cmp(size_t i, size_t j, const void *user)
{
	const struct unique_by *u = user;
	return u->cmp(&u->p->snap->domains[i], &u->p->snap->domains[j]);
}

static uint64_t unique_hash(size_t i, const void *user)
{
	const struct unique_by *u = user;
	return u->hash(&u->p->snap->domains[i]);
}

/* Names, ids and uuids are unique on a Xen host.  Found with a hash table (a
 * pairwise check made 8000 domains cost a third of a second, sorting a
 * sixth of the plugin's time at 3000); of several repeats, the one that
 * comes first in the file is reported. */
static int check_unique(struct xv_ini *ini, struct parse *p, size_t from, size_t to)
{
	const struct xv_snapshot *s = p->snap;
	struct unique_by by[] = {
		{ p, by_name, hash_name }, { p, by_id, hash_id }, { p, by_uuid, hash_uuid },
	};
	size_t best = 0, best_first = 0, rep, first, which = 0;
	bool found = false;

	for (size_t k = from; k < to; k++) {
		struct xv_repeat_order o = { unique_cmp, unique_hash, &by[k] };
		if (!xv_find_repeat(s->n_domains, &o, &rep, &first))
			continue;
		if (p->meta[rep].line < p->meta[first].line) { /* a declared dom0 was moved first */
			size_t t = rep;
			rep = first;
			first = t;
		}
		if (!found || p->meta[rep].line < p->meta[best].line) {
			found = true;
			best = rep;
			best_first = first;
			which = k;
		}
	}
	if (!found)
		return 0;
	const struct xv_domain *d = &s->domains[best], *f = &s->domains[best_first];
	unsigned line = p->meta[best].line, first_line = p->meta[best_first].line;
	if (which == 0)
		return xv_ini_error_at(ini, line, "duplicate domain '%s' (first on line %u)", d->name,
				       first_line);
	if (which == 1)
		return xv_ini_error_at(ini, line, "domain '%s': id %u is already used by '%s' "
				       "(line %u)", d->name, d->id, f->name, first_line);
	return xv_ini_error_at(ini, line, "domain '%s': uuid %s is already used by '%s' (line %u)",
			       d->name, d->uuid, f->name, first_line);
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
	bool dom0_key = (p->host_seen & XV_INI_BIT(HK_DOM0)) != 0;

	if (!p->host_line)
		return xv_ini_error_at(ini, 1, "no [host] section");
	if (xv_ini_check_required(ini, host_keys, XV_ARRAY_SIZE(host_keys), p->host_seen, p->host_line,
			   "host"))
		return -1;
	if (h->free_kib > h->total_kib)
		return xv_ini_error_at(ini, p->host_line, "free_memory %s exceeds total_memory %s",
				       fmt_kib(h->free_kib, a, sizeof(a)),
				       fmt_kib(h->total_kib, b, sizeof(b)));
	/* a repeated section first: its other faults follow from the repeat */
	if (check_unique(ini, p, 0, 1))
		return -1;
	for (size_t i = 0; i < s->n_domains; i++)
		if (check_domain(ini, p, i))
			return -1;
	if (check_unique(ini, p, 1, 3))
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
		xv_domain_name_set(s, d, "Domain-0", strlen("Domain-0"));
		d->id = 0;
		d->flags = XV_DOM_RUNNING;
		d->cur_kib = d->target_kib = d->max_kib = p->dom0_memory_kib;
		d->vcpus = h->cpus;
		d->cpu_ns = 0;
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
		     struct xv_sim_behaviour *behaviour, struct xv_error *e)
{
	struct parse p = { .snap = snap };

	xv_snapshot_init(snap);
	return finish(&p, xv_ini_parse_file(path, XV_SCENARIO_MAX_BYTES, &callbacks, &p, e),
		      behaviour);
}

int xv_scenario_parse(const char *name, const char *text, size_t len,
		      struct xv_snapshot *snap, struct xv_sim_behaviour *behaviour,
		      struct xv_error *e)
{
	struct parse p = { .snap = snap };

	xv_snapshot_init(snap);
	return finish(&p, xv_ini_parse_string(name, text, len, &callbacks, &p, e), behaviour);
}
