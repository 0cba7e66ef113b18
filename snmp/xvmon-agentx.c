/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon-agentx: an AgentX subagent serving the IETF VM-MIB (RFC 7666) and
 * XVMON-MIB for one Xen host (-s SOURCE) and/or the pools of an inventory
 * (-i INVENTORY), under the host's snmpd.
 *
 * One process, one thread: net-snmp's event loop answers the master,
 * refreshes run in child processes watched by that loop (collector.h), and
 * notifications are raised by comparing snapshots in the same loop
 * (refresh.c).  A failing source never stops the agent: it serves the last
 * snapshot, marked stale.  docs/xvmon-agentx.8 is the reference. */
#include "agent.h"
#include "clock.h"
#include "ini_file.h"
#include "num.h"
#include "source.h"
#include "table.h"
#include "util.h"

#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define DEFAULT_SOURCE "xen:"
#define DEFAULT_STATE_DIR "/var/lib/xvmon"
#define DEFAULT_REFRESH_MS 30000
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_PING_MS 5000
#define DEFAULT_RETENTION_S (30ULL * 24 * 3600)
#define DEFAULT_THRESHOLD 900
#define CONFIG_MAX_BYTES (1u << 20)
#define STATE_FILE "vm-index"

static const char usage_text[] =
	"usage: xvmon-agentx [-f] [-c CONFIG] [-s SOURCE] [-i INVENTORY] [-x SOCKET]\n"
	"                    [-t DURATION] [-S STATE_DIR] [-L stderr|syslog|FILE]\n"
	"       xvmon-agentx --help | --version\n";

static volatile sig_atomic_t stopping;
static bool log_prefix = true;

/* --- logging -------------------------------------------------------------- */

void xva_vlog(int priority, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* syslog names the program itself */
	if (log_prefix)
		snmp_log(priority, XVA_PROG ": %s\n", msg);
	else
		snmp_log(priority, "%s\n", msg);
}

void xva_log(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xva_vlog(priority, fmt, ap);
	va_end(ap);
}

#define COMPLAINT_MAX_MS (24ULL * 3600 * 1000)

void xva_complain(struct xva_complaint *c, uint64_t first_ms, int priority, const char *fmt, ...)
{
	uint64_t now = xv_monotonic_ms();
	va_list ap;

	if (c->active && now < c->next_ms)
		return;
	if (!c->active)
		c->interval_ms = first_ms ? first_ms : 1000;
	else if (c->interval_ms < COMPLAINT_MAX_MS / 2)
		c->interval_ms *= 2;
	c->active = true;
	c->next_ms = now + c->interval_ms;
	va_start(ap, fmt);
	xva_vlog(priority, fmt, ap);
	va_end(ap);
}

void xva_complain_clear(struct xva_complaint *c, int priority, const char *fmt, ...)
{
	va_list ap;

	if (!c->active)
		return;
	c->active = false;
	va_start(ap, fmt);
	xva_vlog(priority, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 2, 3))) die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(XVA_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void __attribute__((noreturn)) die_oom(const char *message)
{
	fprintf(stderr, XVA_PROG ": %s\n", message);
	_exit(EX_OSERR);
}

/* --- configuration -------------------------------------------------------- */

/* What the command line gave, applied over the configuration file. */
struct args {
	const char *config, *source, *inventory, *socket, *refresh, *state_dir, *log;
	bool foreground;
};

static int set_string(char **field, const char *v)
{
	free(*field);
	*field = xv_strdup(v);
	return 0;
}

static int parse_ms(struct xv_ini *ini, const char *key, const char *v, uint64_t min_ms,
		    uint64_t max_ms, uint64_t *out)
{
	enum xv_num_error e = xv_parse_duration_ms(v, out);

	if (!e && (*out < min_ms || *out > max_ms))
		e = XV_NUM_RANGE;
	if (e)
		return xv_ini_error(ini, "%s: '%s' is not a duration from %llu ms to %llu s (%s)", key,
				    v, (unsigned long long)min_ms, (unsigned long long)max_ms / 1000,
				    xv_num_strerror(e));
	return 0;
}

static int parse_flag(struct xv_ini *ini, const char *key, const char *v, bool *out)
{
	int b;

	if (xv_ini_parse_bool(v, &b))
		return xv_ini_error(ini, "%s: '%s' is not yes or no", key, v);
	*out = b;
	return 0;
}

/* "90", "90%", "66.6%": a percentage to one decimal, as permille. */
static int parse_percent(const char *v, unsigned *permille)
{
	char buf[32];
	double d;
	size_t len = strlen(v);

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, v, len + 1);
	if (buf[len - 1] == '%')
		buf[len - 1] = '\0';
	if (xv_parse_double(buf, &d) || d < 0 || d > 100)
		return -1;
	/* one decimal at most: 66.6 is 666, 66.66 is refused */
	double tenths = d * 10;
	double whole = xv_round(tenths);
	if (tenths - whole > 1e-6 || whole - tenths > 1e-6)
		return -1;
	*permille = (unsigned)whole;
	return 0;
}

#define KEY(fn) static int key_##fn(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)

KEY(source) { return set_string(&((struct xva_config *)user)->source, v); }
KEY(inventory) { return set_string(&((struct xva_config *)user)->inventory, v); }
KEY(socket) { return set_string(&((struct xva_config *)user)->agentx_socket, v); }
KEY(state_dir) { return set_string(&((struct xva_config *)user)->state_dir, v); }
KEY(log) { return set_string(&((struct xva_config *)user)->log, v); }
KEY(refresh)
{
	return parse_ms(ini, "refresh", v, 100, 86400000, &((struct xva_config *)user)->refresh_ms);
}
KEY(timeout)
{
	return parse_ms(ini, "timeout", v, 100, 3600000, &((struct xva_config *)user)->timeout_ms);
}
KEY(ping)
{
	return parse_ms(ini, "ping_interval", v, 1000, 3600000,
			&((struct xva_config *)user)->ping_interval_ms);
}
KEY(retention)
{
	uint64_t ms;
	int rc = parse_ms(ini, "index_retention", v, 1000, 100ULL * 366 * 86400 * 1000, &ms);
	((struct xva_config *)user)->index_retention_s = ms / 1000;
	return rc;
}
KEY(per_vm)
{
	return parse_flag(ini, "per_vm_notifications", v,
			  &((struct xva_config *)user)->per_vm_notifications);
}
KEY(bulk)
{
	return parse_flag(ini, "bulk_notifications", v,
			  &((struct xva_config *)user)->bulk_notifications);
}
KEY(xvmon_notes)
{
	return parse_flag(ini, "xvmon_notifications", v,
			  &((struct xva_config *)user)->xvmon_notifications);
}
KEY(threshold)
{
	if (parse_percent(v, &((struct xva_config *)user)->availability_threshold))
		return xv_ini_error(ini, "availability_threshold: '%s' is not a percentage from 0 "
				    "to 100 with at most one decimal", v);
	return 0;
}

static const struct xv_ini_key agent_keys[] = {
	{ "source", key_source, 0, 0 },
	{ "inventory", key_inventory, 0, 0 },
	{ "agentx_socket", key_socket, 0, 0 },
	{ "refresh", key_refresh, 0, 0 },
	{ "timeout", key_timeout, 0, 0 },
	{ "ping_interval", key_ping, 0, 0 },
	{ "state_dir", key_state_dir, 0, 0 },
	{ "index_retention", key_retention, 0, 0 },
	{ "log", key_log, 0, 0 },
	{ "per_vm_notifications", key_per_vm, 0, 0 },
	{ "bulk_notifications", key_bulk, 0, 0 },
	{ "xvmon_notifications", key_xvmon_notes, 0, 0 },
	{ "availability_threshold", key_threshold, 0, 0 },
};

struct config_parse {
	struct xva_config *cfg;
	bool in_agent;
	xv_ini_seen seen;
};

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct config_parse *p = user;

	if (strcmp(section, "agent"))
		return xv_ini_error(ini, "unknown section [%s] (the file has one section, [agent])",
				    section);
	if (p->in_agent)
		return xv_ini_error(ini, "duplicate [agent] section");
	p->in_agent = true;
	return 0;
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct config_parse *p = user;

	if (!p->in_agent)
		return xv_ini_error(ini, "'%s' is outside any section (start with [agent])", key);
	return xv_ini_set_key(ini, agent_keys, XV_ARRAY_SIZE(agent_keys), &p->seen, section, key,
			      value, p->cfg);
}

static void config_defaults(struct xva_config *c)
{
	memset(c, 0, sizeof(*c));
	c->refresh_ms = DEFAULT_REFRESH_MS;
	c->timeout_ms = DEFAULT_TIMEOUT_MS;
	c->ping_interval_ms = DEFAULT_PING_MS;
	c->index_retention_s = DEFAULT_RETENTION_S;
	c->availability_threshold = DEFAULT_THRESHOLD;
	c->per_vm_notifications = true;
	c->xvmon_notifications = true;
}

static void config_release(struct xva_config *c)
{
	free(c->source);
	free(c->inventory);
	free(c->agentx_socket);
	free(c->state_dir);
	free(c->log);
}

/* Options win over the file; the command line's durations are checked like
 * the file's, with the option named. */
static void configure(struct xva_config *c, const struct args *a)
{
	static const struct xv_ini_callbacks cb = { on_section, on_key, NULL };
	struct config_parse p = { .cfg = c };
	struct xv_error e;

	config_defaults(c);
	if (a->config && xv_ini_parse_file(a->config, CONFIG_MAX_BYTES, &cb, &p, &e))
		die(xv_error_exit_code(e.code == XV_E_DATA ? XV_E_CONFIG : e.code), "%s", e.msg);
	if (a->source)
		set_string(&c->source, a->source);
	if (a->inventory)
		set_string(&c->inventory, a->inventory);
	if (a->socket)
		set_string(&c->agentx_socket, a->socket);
	if (a->state_dir)
		set_string(&c->state_dir, a->state_dir);
	if (a->log)
		set_string(&c->log, a->log);
	if (a->refresh) {
		char *text = xv_asprintf("[agent]\nrefresh = %s\n", a->refresh);
		struct config_parse q = { .cfg = c };
		if (xv_ini_parse_string("-t", text, strlen(text), &cb, &q, &e))
			die(EX_USAGE, "%s", strstr(e.msg, "refresh:") ? strstr(e.msg, "refresh:")
								      : e.msg);
		free(text);
	}
	c->foreground = a->foreground;
	if (!c->source && !c->inventory)
		c->source = xv_strdup(DEFAULT_SOURCE);
	if (!c->log)
		c->log = xv_strdup(c->foreground ? "stderr" : "syslog");
}

/* --- start and stop ------------------------------------------------------- */

static void on_signal(int sig)
{
	stopping = 1;
}

static void setup_logging(const char *target)
{
	snmp_disable_log();
	if (!strcmp(target, "stderr")) {
		snmp_enable_stderrlog();
	} else if (!strcmp(target, "syslog")) {
		snmp_enable_syslog_ident(XVA_PROG, LOG_DAEMON);
		log_prefix = false;
	} else {
		snmp_enable_filelog(target, 1);
	}
}

/* The state file's place: an explicit directory must exist; the default
 * one is used when it exists, else indexes are not kept across restarts. */
static char *state_path(const struct xva_config *c)
{
	struct stat st;
	const char *dir = c->state_dir ? c->state_dir : DEFAULT_STATE_DIR;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		if (c->state_dir)
			die(EX_CONFIG, "state directory '%s' is not a directory", dir);
		return NULL;
	}
	return xv_asprintf("%s/%s", dir, STATE_FILE);
}

/* fds 0-2 open, so nothing the agent opens later is taken for stdio. */
static void guard_stdio(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
		;
	if (fd > STDERR_FILENO)
		close(fd);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "An AgentX subagent: the IETF VM-MIB (RFC 7666, mib-2.236) and XVMON-MIB for a\n"
	       "Xen host, and XVMON-MIB pool tables for the pools of an inventory.\n"
	       "\n"
	       "  -s, --source=URI        the host to serve (default xen:; sim:FILE, snmp://...)\n"
	       "  -i, --inventory=FILE    watch the pools of this inventory\n"
	       "  -c, --config=FILE       settings ([agent] section; see xvmon-agentx(8))\n"
	       "  -x, --agentx-socket=ADDR  the master's AgentX socket (default net-snmp's)\n"
	       "  -t, --refresh=DURATION  how often to take a snapshot (default 30s)\n"
	       "  -S, --state-dir=DIR     keep the vmIndex map here (default %s if it exists)\n"
	       "  -L, --log=stderr|syslog|FILE  where to log (default syslog; stderr with -f)\n"
	       "  -f, --foreground        do not detach\n"
	       "  -V, --version           print the version and the sources compiled in\n",
	       usage_text, DEFAULT_STATE_DIR);
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "config", required_argument, NULL, 'c' },
		{ "agentx-socket", required_argument, NULL, 'x' },
		{ "refresh", required_argument, NULL, 't' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'L' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct args args = { 0 };
	static struct xva_agent agent;
	struct xva_agent *a = &agent;
	struct xv_error e;
	char *path;
	int opt, rc = 0;

	xv_set_die_hook(die_oom);
	while ((opt = getopt_long(argc, argv, "s:i:c:x:t:S:L:fhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': args.source = optarg; break;
		case 'i': args.inventory = optarg; break;
		case 'c': args.config = optarg; break;
		case 'x': args.socket = optarg; break;
		case 't': args.refresh = optarg; break;
		case 'S': args.state_dir = optarg; break;
		case 'L': args.log = optarg; break;
		case 'f': args.foreground = true; break;
		case 'h': help();
		case 'V':
			printf("%s %s (sources: %s)\n", XVA_PROG, XV_VERSION, xv_source_schemes());
			return 0;
		default:
			fputs(usage_text, stderr);
			return EX_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, XVA_PROG ": unexpected argument '%s'\n%s", argv[optind], usage_text);
		return EX_USAGE;
	}
	configure(&a->cfg, &args);
	a->host_mode = a->cfg.source != NULL;
	a->pool_mode = a->cfg.inventory != NULL;
	if (a->host_mode && xv_source_check_uri(a->cfg.source, &e))
		die(xv_error_exit_code(e.code), "source: %s", e.msg);
	if (a->pool_mode && xv_inventory_load(a->cfg.inventory, &a->inv, &e))
		die(xv_error_exit_code(e.code), "%s", e.msg);
	a->per_vm_notes = a->cfg.per_vm_notifications;
	a->bulk_notes = a->cfg.bulk_notifications;
	a->xvmon_notes = a->cfg.xvmon_notifications;
	guard_stdio();

	/* net-snmp: a subagent that reads no MIB files (it needs none, and a
	 * missing one would fill the log) */
	if (!getenv("MIBS"))
		setenv("MIBS", "", 1);
	setup_logging(a->cfg.log);
	netsnmp_enable_subagent();
	if (a->cfg.agentx_socket)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
				      a->cfg.agentx_socket);
	SOCK_STARTUP;
	init_agent(XVA_PROG);
	/* after init_agent(), which resets it */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   (int)(a->cfg.ping_interval_ms / 1000));

	path = a->host_mode ? state_path(&a->cfg) : NULL;
	if (a->host_mode) {
		struct xva_vm_index *map = xva_vm_index_new(path, a->cfg.index_retention_s);
		if (xva_vm_index_load(map, &e))
			xva_log(LOG_ERR, "vmIndex map: %s (starting with new indexes)", e.msg);
		xva_host_model_init(&a->host, a->cfg.source, map);
	}
	if (a->pool_mode)
		xva_pool_model_init(&a->pool, &a->inv, a->cfg.availability_threshold);

	xva_collector_init(&a->host_poll);
	xva_collector_init(&a->pool_poll);
	if (a->host_mode)
		rc |= xva_vm_hypervisor_init(a) | xva_vm_table_init(a) | xva_vm_cpu_table_init(a) |
		      xva_xvmon_vm_table_init(a);
	rc |= xva_xvmon_scalars_init(a);
	if (a->pool_mode)
		rc |= xva_xvmon_pool_table_init(a) | xva_xvmon_pool_host_table_init(a);
	if (rc)
		die(EX_SOFTWARE, "cannot register the MIB objects (see the log)");
	init_snmp(XVA_PROG);

	if (!a->cfg.foreground && netsnmp_daemonize(1, !strcmp(a->cfg.log, "stderr")))
		die(EX_OSERR, "cannot run in the background: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN); /* the configuration is read at start only */
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	xva_log(LOG_NOTICE, "started (%s%s%s), refresh every %llu ms, vmIndex map %s",
		a->host_mode ? a->host.uri : "", a->host_mode && a->pool_mode ? ", " : "",
		a->pool_mode ? a->cfg.inventory : "", (unsigned long long)a->cfg.refresh_ms,
		path ? path : "not kept");
	if (xva_refresh_start(a))
		die(EX_SOFTWARE, "cannot start refreshing");

	while (!stopping) {
		xva_agentx_output_attach();
		agent_check_and_process(1);
	}
	xva_agentx_output_release();

	xva_log(LOG_NOTICE, "stopping");
	xva_refresh_stop(a);
	if (a->host_mode && xva_vm_index_save(a->host.index, &e))
		xva_log(LOG_ERR, "vmIndex map: %s", e.msg);
	xva_tables_shutdown();
	snmp_shutdown(XVA_PROG);
	SOCK_CLEANUP;
	if (a->host_mode)
		xva_host_model_release(&a->host);
	if (a->pool_mode) {
		xva_pool_model_release(&a->pool);
		xv_inventory_release(&a->inv);
	}
	config_release(&a->cfg);
	free(path);
	return 0;
}
