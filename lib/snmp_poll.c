/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_poll.c: snmp:// hosts as net-snmp sessions in one poll() loop.
 *
 * Per host: one GET of the scalars, then GETBULKs walking every column at
 * once (snmp_mib.c does the reading); net-snmp retransmits on its own
 * (timeout= and retries= of the URI), the host's deadline and the overall
 * one are ours, as in poller.c.  A table that changed during the walk is
 * walked once more.
 *
 * net-snmp is used through its single-session API (snmp_sess_*), never the
 * global session list: a process that forked from the SNMP agent inherits
 * the agent's sessions in that list, and must not touch them. */
#include "snmp_poll.h"
#include "buf.h"
#include "clock.h"
#include "file.h"
#include "snmp_mib.h"
#include "snmp_uri.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PARALLEL 1024
#define PASSPHRASE_MAX_BYTES 1024
/* A walk that changed under us is walked again this many times. */
#define WALK_RETRIES 1

#if XV_HAVE_NETSNMP

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#define NETSNMP_SYMBOLS(X)                                                     \
	X(init_snmp)                                                           \
	X(netsnmp_ds_set_boolean)                                              \
	X(netsnmp_ds_set_int)                                                  \
	X(netsnmp_set_mib_directory)                                           \
	X(netsnmp_register_loghandler)                                         \
	X(snmp_sess_init)                                                      \
	X(snmp_sess_open)                                                      \
	X(snmp_sess_close)                                                     \
	X(snmp_sess_transport)                                                 \
	X(snmp_sess_async_send)                                                \
	X(snmp_sess_select_info2)                                              \
	X(snmp_sess_read2)                                                     \
	X(snmp_sess_timeout)                                                   \
	X(snmp_error)                                                          \
	X(snmp_pdu_create)                                                     \
	X(snmp_add_null_var)                                                   \
	X(snmp_free_pdu)                                                       \
	X(snmp_errstring)                                                      \
	X(generate_Ku)                                                         \
	X(netsnmp_large_fd_set_init)                                           \
	X(netsnmp_large_fd_set_cleanup)                                        \
	X(netsnmp_large_fd_setfd)

static struct {
	void *lib;
#define DECLARE(name) __typeof__(name) *name;
	NETSNMP_SYMBOLS(DECLARE)
#undef DECLARE
} api;

static struct xv_error load_error;

/* Opens the library and starts it once: no configuration files, no MIB
 * files, no logging (a plugin's stdout and stderr are its protocol). */
static void load_once(void)
{
	api.lib = dlopen(XV_SONAME_NETSNMP, RTLD_NOW | RTLD_LOCAL);
	if (!api.lib) {
		xv_error(&load_error, XV_E_UNSUPPORTED, "snmp: cannot load %s: %s (install "
			 "Debian's libsnmp40)", XV_SONAME_NETSNMP, dlerror());
		return;
	}
#define RESOLVE(name)                                                                  \
	api.name = (__typeof__(name) *)dlsym(api.lib, #name);                          \
	if (!api.name) {                                                               \
		xv_error(&load_error, XV_E_UNSUPPORTED, "snmp: %s lacks %s",           \
			 XV_SONAME_NETSNMP, #name);                                    \
		return;                                                                \
	}
	NETSNMP_SYMBOLS(RESOLVE)
#undef RESOLVE
	api.netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_EMERG);
	api.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	api.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	api.netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	api.netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	api.netsnmp_set_mib_directory("");
	api.init_snmp("xvmon");
}

static int load(struct xv_error *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, load_once);
	if (load_error.code == XV_E_NONE)
		return 0;
	*e = load_error;
	return -1;
}

/* --- one host --------------------------------------------------------------- */

enum host_state { H_WAITING, H_RUNNING, H_DONE };

struct xv_snmp_batch;

struct host {
	struct xv_snmp_batch *batch;
	size_t target;
	enum host_state state;
	void *sess;
	int fd;
	struct xv_snmp_uri uri;
	char peer[300];
	struct xv_snmp_reader *reader;
	bool walking;        /* past the GET */
	unsigned walks;
	size_t asked;        /* OIDs in the GETBULK in flight */
	uint64_t started_ms, deadline_ms;
	uint64_t next_ms;    /* the earlier of the deadline and net-snmp's next retransmission */
	bool cut_short;
	bool ended;          /* the callback has decided; close in the loop */
};

struct xv_snmp_batch {
	const struct xv_poll_target *targets;
	struct xv_poll_result *results;
	size_t n;
	struct host *hosts;
	size_t next;         /* the next host to start */
	size_t running;
	unsigned max_parallel;
	unsigned timeout_ms;
	uint64_t overall;
	struct pollfd *fds;
	size_t *fd_host;     /* the host of each pollfd */
	netsnmp_large_fd_set scratch;
};

static void host_fail(struct host *h, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void host_fail(struct host *h, enum xv_error_code code, const char *fmt, ...)
{
	struct xv_poll_result *r = &h->batch->results[h->target];
	va_list ap;

	if (h->ended)
		return;
	va_start(ap, fmt);
	xv_verror(&r->error, code, fmt, ap);
	va_end(ap);
	h->ended = true;
}

static void host_close(struct host *h)
{
	struct xv_poll_result *r = &h->batch->results[h->target];

	if (h->sess)
		api.snmp_sess_close(h->sess);
	h->sess = NULL;
	xv_snmp_reader_free(h->reader);
	h->reader = NULL;
	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - h->started_ms);
	if (h->state == H_RUNNING)
		h->batch->running--;
	h->state = H_DONE;
}

/* A passphrase from a file only its owner can read, or the environment. */
static int passphrase(const char *file, const char *env, const char *what, char *out, size_t size,
		      struct xv_error *e)
{
	struct xv_buf b = XV_BUF_INIT;
	struct stat st;
	int rc = -1;

	if (env[0]) {
		const char *v = getenv(env);
		if (!v || !*v)
			return xv_error(e, XV_E_CONFIG, "snmp: %s: the environment variable %s is not "
					"set", what, env);
		if (xv_strlcpy(out, v, size) >= size)
			return xv_error(e, XV_E_CONFIG, "snmp: %s: the passphrase in %s is too long",
					what, env);
		return 0;
	}
	if (stat(file, &st) == 0 && (st.st_mode & 077))
		return xv_error(e, XV_E_CONFIG, "snmp: %s file '%s' can be read by others (mode "
				"%03o): make it the owner's alone with chmod 600 '%s'", what, file,
				(unsigned)(st.st_mode & 0777), file);
	if (xv_file_read(file, PASSPHRASE_MAX_BYTES, 1, &b, e)) {
		e->code = XV_E_CONFIG;
		xv_error_prefix(e, "snmp: %s", what);
		goto out;
	}
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
		xv_buf_truncate(&b, b.len - 1);
	if (!b.len || strchr(b.data, '\n')) {
		xv_error(e, XV_E_CONFIG, "snmp: %s file '%s' must hold the passphrase on one line",
			 what, file);
		goto out;
	}
	if (xv_strlcpy(out, b.data, size) >= size) {
		xv_error(e, XV_E_CONFIG, "snmp: %s file '%s': passphrase too long", what, file);
		goto out;
	}
	rc = 0;
out:
	xv_buf_release(&b);
	return rc;
}

static const oid md5_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 2 };
static const oid sha_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 3 };
static const oid sha224_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 4 };
static const oid sha256_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 5 };
static const oid sha384_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 6 };
static const oid sha512_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 1, 7 };
static const oid des_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 2, 2 };
static const oid aes_oid[] = { 1, 3, 6, 1, 6, 3, 10, 1, 2, 4 };

static const oid *auth_oid(enum xv_snmp_auth a)
{
	switch (a) {
	case XV_SNMP_AUTH_MD5:
		return md5_oid;
	case XV_SNMP_AUTH_SHA224:
		return sha224_oid;
	case XV_SNMP_AUTH_SHA256:
		return sha256_oid;
	case XV_SNMP_AUTH_SHA384:
		return sha384_oid;
	case XV_SNMP_AUTH_SHA512:
		return sha512_oid;
	default:
		return sha_oid;
	}
}

static int callback(int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu, void *magic);

/* The v3 part of a session: user, level, keys from the passphrases. */
static int set_v3(netsnmp_session *s, const struct xv_snmp_uri *u, struct xv_error *e)
{
	char pass[PASSPHRASE_MAX_BYTES + 1];

	s->securityName = (char *)u->user;
	s->securityNameLen = strlen(u->user);
	s->securityLevel = u->priv ? SNMP_SEC_LEVEL_AUTHPRIV
			   : u->auth ? SNMP_SEC_LEVEL_AUTHNOPRIV : SNMP_SEC_LEVEL_NOAUTH;
	if (!u->auth)
		return 0;
	s->securityAuthProto = (oid *)auth_oid(u->auth);
	s->securityAuthProtoLen = OID_LENGTH(sha_oid);
	s->securityAuthKeyLen = USM_AUTH_KU_LEN;
	if (passphrase(u->auth_file, u->auth_env, "auth passphrase", pass, sizeof(pass), e))
		return -1;
	if (strlen(pass) < 8 || api.generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
						(u_char *)pass, strlen(pass), s->securityAuthKey,
						&s->securityAuthKeyLen) != SNMPERR_SUCCESS) {
		explicit_bzero(pass, sizeof(pass));
		return xv_error(e, XV_E_CONFIG, "snmp: the auth passphrase must have at least 8 "
				"characters (SNMPv3's rule)");
	}
	if (!u->priv) {
		explicit_bzero(pass, sizeof(pass));
		return 0;
	}
	s->securityPrivProto = (oid *)(u->priv == XV_SNMP_PRIV_DES ? des_oid : aes_oid);
	s->securityPrivProtoLen = OID_LENGTH(aes_oid);
	s->securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (passphrase(u->priv_file, u->priv_env, "priv passphrase", pass, sizeof(pass), e))
		return -1;
	if (strlen(pass) < 8 || api.generate_Ku(s->securityAuthProto, (u_int)s->securityAuthProtoLen,
						(u_char *)pass, strlen(pass), s->securityPrivKey,
						&s->securityPrivKeyLen) != SNMPERR_SUCCESS) {
		explicit_bzero(pass, sizeof(pass));
		return xv_error(e, XV_E_CONFIG, "snmp: the priv passphrase must have at least 8 "
				"characters (SNMPv3's rule)");
	}
	explicit_bzero(pass, sizeof(pass));
	return 0;
}

static void send_get(struct host *h);

/* Opens the session and sends the GET; a failure ends the host. */
static void host_start(struct host *h)
{
	struct xv_poll_result *r = &h->batch->results[h->target];
	const char *uri = h->batch->targets[h->target].uri;
	netsnmp_session s;
	struct xv_error e;
	char peername[300];

	h->state = H_RUNNING;
	h->batch->running++;
	h->started_ms = xv_monotonic_ms();
	h->deadline_ms = h->started_ms + (h->batch->targets[h->target].timeout_ms
					  ? h->batch->targets[h->target].timeout_ms
					  : h->batch->timeout_ms);
	h->cut_short = h->batch->overall && h->deadline_ms > h->batch->overall;
	if (h->cut_short)
		h->deadline_ms = h->batch->overall > h->started_ms ? h->batch->overall : h->started_ms;
	if (strncmp(uri, "snmp:", 5) || xv_snmp_uri_parse(uri + 5, &h->uri, &e)) {
		if (strncmp(uri, "snmp:", 5))
			xv_error(&e, XV_E_SOFTWARE, "snmp: not an snmp: URI: '%s'", uri);
		r->error = e;
		h->ended = true;
		return;
	}
	snprintf(h->peer, sizeof(h->peer), strchr(h->uri.host, ':') ? "[%s]:%u" : "%s:%u",
		 h->uri.host, h->uri.port);
	if (load(&e)) {
		r->error = e;
		h->ended = true;
		return;
	}
	api.snmp_sess_init(&s);
	xv_snmp_uri_peer(&h->uri, peername, sizeof(peername));
	s.peername = peername;
	s.timeout = (long)h->uri.timeout_ms * 1000;
	s.retries = (int)h->uri.retries;
	s.callback = callback;
	s.callback_magic = h;
	if (h->uri.version == 3) {
		s.version = SNMP_VERSION_3;
		if (set_v3(&s, &h->uri, &e)) {
			r->error = e;
			h->ended = true;
			return;
		}
	} else {
		s.version = SNMP_VERSION_2c;
		s.community = (u_char *)h->uri.community;
		s.community_len = strlen(h->uri.community);
	}
	h->sess = api.snmp_sess_open(&s);
	explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
	explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
	if (!h->sess) {
		int sys = 0, snmp = 0;
		char *msg = NULL;
		api.snmp_error(&s, &sys, &snmp, &msg);
		host_fail(h, snmp == SNMPERR_TIMEOUT ? XV_E_TIMEOUT : XV_E_HOST,
			  "cannot open an SNMP session to %s: %s", h->peer, msg ? msg : "unknown error");
		free(msg);
		return;
	}
	h->fd = api.snmp_sess_transport(h->sess)->sock;
	h->reader = xv_snmp_reader_new(h->peer);
	send_get(h);
}

static void to_oid(const struct xv_snmp_oid *o, oid *out)
{
	for (size_t i = 0; i < o->len; i++)
		out[i] = o->sub[i];
}

static void send_pdu(struct host *h, netsnmp_pdu *pdu)
{
	if (!api.snmp_sess_async_send(h->sess, pdu, callback, h)) {
		api.snmp_free_pdu(pdu);
		host_fail(h, XV_E_HOST, "cannot send to %s", h->peer);
	}
}

static void send_get(struct host *h)
{
	netsnmp_pdu *pdu = api.snmp_pdu_create(SNMP_MSG_GET);
	size_t n;
	const struct xv_snmp_oid *oids = xv_snmp_scalar_oids(&n);
	oid o[XV_SNMP_MAX_OID];

	for (size_t i = 0; i < n; i++) {
		to_oid(&oids[i], o);
		api.snmp_add_null_var(pdu, o, oids[i].len);
	}
	h->walking = false;
	send_pdu(h, pdu);
}

/* The next GETBULK, or the end of the walk. */
static void send_next(struct host *h)
{
	struct xv_poll_result *r = &h->batch->results[h->target];
	struct xv_snmp_oid next[XV_SNMP_COLUMNS];
	oid o[XV_SNMP_MAX_OID];
	struct xv_error e;
	int changed;

	h->asked = xv_snmp_reader_next(h->reader, next);
	if (h->asked) {
		netsnmp_pdu *pdu = api.snmp_pdu_create(SNMP_MSG_GETBULK);
		pdu->non_repeaters = 0;
		pdu->max_repetitions = (long)h->uri.repetitions;
		for (size_t i = 0; i < h->asked; i++) {
			to_oid(&next[i], o);
			api.snmp_add_null_var(pdu, o, next[i].len);
		}
		h->walking = true;
		send_pdu(h, pdu);
		return;
	}
	if (xv_snmp_reader_finish(h->reader, &r->snap, &changed, &e)) {
		if (changed && h->walks++ < WALK_RETRIES) {
			xv_snmp_reader_free(h->reader);
			h->reader = xv_snmp_reader_new(h->peer);
			send_get(h);
			return;
		}
		host_fail(h, e.code, "%s", e.msg);
		return;
	}
	if (xv_snapshot_check(&r->snap, &e)) {
		xv_snapshot_release(&r->snap);
		host_fail(h, e.code, "%s: %s", h->peer, e.msg);
		return;
	}
	xv_error_clear(&r->error);
	h->ended = true;
}

static enum xv_snmp_type type_of(u_char t)
{
	switch (t) {
	case ASN_INTEGER:
		return XV_SNMP_INTEGER;
	case ASN_OCTET_STR:
		return XV_SNMP_OCTETS;
	case ASN_OBJECT_ID:
		return XV_SNMP_OBJECT_ID;
	case ASN_COUNTER:
		return XV_SNMP_COUNTER32;
	case ASN_GAUGE:
		return XV_SNMP_GAUGE32;
	case ASN_TIMETICKS:
		return XV_SNMP_TIMETICKS;
	case ASN_COUNTER64:
		return XV_SNMP_COUNTER64;
	case SNMP_NOSUCHOBJECT:
		return XV_SNMP_NO_SUCH_OBJECT;
	case SNMP_NOSUCHINSTANCE:
		return XV_SNMP_NO_SUCH_INSTANCE;
	case SNMP_ENDOFMIBVIEW:
		return XV_SNMP_END_OF_MIB_VIEW;
	default:
		return XV_SNMP_OTHER;
	}
}

/* The answer's varbinds as snmp_mib.h reads them; returns their number. */
static size_t convert(const netsnmp_pdu *pdu, struct xv_snmp_vb **out)
{
	size_t n = 0, i = 0;

	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
		n++;
	*out = xv_calloc(n ? n : 1, sizeof(**out));
	for (const netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, i++) {
		struct xv_snmp_vb *vb = &(*out)[i];
		vb->oid.len = v->name_length < XV_SNMP_MAX_OID ? v->name_length : XV_SNMP_MAX_OID;
		for (size_t k = 0; k < vb->oid.len; k++)
			vb->oid.sub[k] = (uint32_t)v->name[k];
		vb->type = v->name_length > XV_SNMP_MAX_OID ? XV_SNMP_OTHER : type_of(v->type);
		switch (vb->type) {
		case XV_SNMP_INTEGER:
			vb->integer = v->val.integer ? *v->val.integer : 0;
			break;
		case XV_SNMP_COUNTER32:
		case XV_SNMP_GAUGE32:
		case XV_SNMP_TIMETICKS:
			vb->number = v->val.integer ? (uint32_t)*v->val.integer : 0;
			break;
		case XV_SNMP_COUNTER64:
			vb->number = v->val.counter64 ? (uint64_t)(uint32_t)v->val.counter64->high << 32 |
								(uint32_t)v->val.counter64->low
						      : 0;
			break;
		case XV_SNMP_OCTETS:
			vb->octets = v->val.string;
			vb->octets_len = v->val.string ? v->val_len : 0;
			break;
		default:
			break;
		}
	}
	return n;
}

static int callback(int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct host *h = magic;
	struct xv_snmp_vb *vb;
	struct xv_error e;
	size_t n;
	int rc;

	if (h->ended || h->state != H_RUNNING)
		return 1;
	switch (op) {
	case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
		break;
	case NETSNMP_CALLBACK_OP_TIMED_OUT:
		/* an agent drops a request with a wrong community without a word */
		host_fail(h, XV_E_TIMEOUT, "no answer from %s (%u %s of %u ms%s)", h->peer,
			  h->uri.retries + 1, h->uri.retries ? "tries" : "try", h->uri.timeout_ms,
			  h->uri.version == 3 ? "" : "; a wrong community is not answered either");
		return 1;
	case NETSNMP_CALLBACK_OP_RESEND:
	case NETSNMP_CALLBACK_OP_CONNECT:
		return 1; /* net-snmp retransmits; not an answer yet */
	case NETSNMP_CALLBACK_OP_SEC_ERROR:
		host_fail(h, XV_E_HOST, "%s refused our SNMPv3 credentials (user '%s')", h->peer,
			  h->uri.user);
		return 1;
	default:
		host_fail(h, XV_E_HOST, "the request to %s failed (nothing listening on its SNMP "
			  "port?)", h->peer);
		return 1;
	}
	if (pdu->command == SNMP_MSG_REPORT) {
		host_fail(h, XV_E_HOST, "%s answered with a report (wrong SNMPv3 user, passphrase or "
			  "security level?)", h->peer);
		return 1;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		host_fail(h, XV_E_HOST, "the agent at %s answered '%s' (variable %ld)", h->peer,
			  api.snmp_errstring((int)pdu->errstat), pdu->errindex);
		return 1;
	}
	n = convert(pdu, &vb);
	rc = h->walking ? xv_snmp_reader_bulk(h->reader, h->asked, vb, n, &e)
			: xv_snmp_reader_scalars(h->reader, vb, n, &e);
	free(vb);
	if (rc)
		host_fail(h, e.code, "%s", e.msg);
	else
		send_next(h);
	return 1;
}

/* --- the batch ------------------------------------------------------------ */

/* Each session holds a descriptor: stay within the limit, raising the soft
 * one towards the hard one when more are wanted (as poller.c does). */
static unsigned fd_budget(unsigned wanted)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)wanted + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return wanted;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur >= want)
		return wanted;
	return rl.rlim_cur > 80 ? (unsigned)(rl.rlim_cur - 64) : 16;
}

struct xv_snmp_batch *xv_snmp_batch_start(const struct xv_poll_target *targets, size_t n,
					  const struct xv_poll_options *opt,
					  struct xv_poll_result *results)
{
	struct xv_snmp_batch *b = xv_calloc(1, sizeof(*b));
	unsigned want = opt && opt->max_parallel ? opt->max_parallel : DEFAULT_PARALLEL;

	b->targets = targets;
	b->results = results;
	b->n = n;
	b->hosts = xv_calloc(n ? n : 1, sizeof(*b->hosts));
	b->max_parallel = fd_budget(want);
	b->timeout_ms = opt && opt->timeout_ms ? opt->timeout_ms : XV_POLL_DEFAULT_TIMEOUT_MS;
	b->overall = opt ? opt->deadline_ms : 0;
	b->fds = xv_calloc(b->max_parallel, sizeof(*b->fds));
	b->fd_host = xv_calloc(b->max_parallel, sizeof(*b->fd_host));
	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		xv_snapshot_init(&results[i].snap);
		xv_error(&results[i].error, XV_E_SOFTWARE, "not polled");
		b->hosts[i].batch = b;
		b->hosts[i].target = i;
		b->hosts[i].fd = -1;
	}
	/* the scratch set grows as descriptors need (netsnmp_large_fd_setfd) */
	xv_snmp_batch_dispatch(b, NULL, 0);
	return b;
}

void xv_snmp_batch_wait(struct xv_snmp_batch *b, struct pollfd **fds, size_t *n_fds,
			uint64_t *wake_ms)
{
	uint64_t wake = UINT64_MAX;
	size_t k = 0;

	if (b->next < b->n && b->running < b->max_parallel)
		wake = xv_monotonic_ms(); /* hosts wait to be started */
	for (size_t i = 0; i < b->n; i++) {
		struct host *h = &b->hosts[i];

		if (h->state != H_RUNNING || !h->sess)
			continue;
		if (k < b->max_parallel) {
			b->fds[k] = (struct pollfd){ .fd = h->fd, .events = POLLIN };
			b->fd_host[k++] = i;
		}
		if (h->next_ms < wake)
			wake = h->next_ms;
	}
	*fds = b->fds;
	*n_fds = k;
	*wake_ms = wake;
}

/* When the host next needs attention without an answer: its deadline, or
 * net-snmp's next retransmission (or timeout) of the request in flight. */
static void schedule(struct xv_snmp_batch *b, struct host *h, uint64_t now)
{
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	h->next_ms = h->deadline_ms;
	if (h->state != H_RUNNING || !h->sess || h->ended)
		return;
	api.snmp_sess_select_info2(h->sess, &numfds, &b->scratch, &tv, &block);
	if (!block) {
		uint64_t at = now + (uint64_t)tv.tv_sec * 1000 + (uint64_t)(tv.tv_usec + 999) / 1000;
		if (at < h->next_ms)
			h->next_ms = at;
	}
}

/* Reads one session's answer: net-snmp reads through a descriptor set. */
static void read_host(struct xv_snmp_batch *b, struct host *h)
{
	netsnmp_large_fd_set set;

	api.netsnmp_large_fd_set_init(&set, h->fd + 1);
	NETSNMP_LARGE_FD_ZERO(&set);
	api.netsnmp_large_fd_setfd(h->fd, &set);
	api.snmp_sess_read2(h->sess, &set);
	api.netsnmp_large_fd_set_cleanup(&set);
}

bool xv_snmp_batch_dispatch(struct xv_snmp_batch *b, const struct pollfd *fds, size_t n_fds)
{
	uint64_t now;

	for (size_t k = 0; k < n_fds; k++) {
		struct host *h = &b->hosts[b->fd_host[k]];
		if (fds[k].revents && h->state == H_RUNNING && h->sess && !h->ended) {
			read_host(b, h);
			schedule(b, h, xv_monotonic_ms());
		}
	}
	now = xv_monotonic_ms();
	for (size_t i = 0; i < b->n; i++) {
		struct host *h = &b->hosts[i];
		if (h->state != H_RUNNING)
			continue;
		if (!h->ended && now >= h->next_ms) {
			if (h->sess)
				api.snmp_sess_timeout(h->sess); /* retransmits, or times out */
			if (!h->ended && now >= h->deadline_ms) {
				unsigned allowed = (unsigned)(h->deadline_ms - h->started_ms);
				b->results[i].out_of_time = h->cut_short;
				host_fail(h, XV_E_TIMEOUT, h->cut_short ? "no answer within %u ms, when "
					  "the check ran out of time" : "no answer within %u ms", allowed);
			}
			schedule(b, h, now);
		}
		if (h->ended)
			host_close(h);
	}
	/* start waiting hosts, unless the whole poll is out of time */
	while (b->next < b->n && b->running < b->max_parallel) {
		struct host *h = &b->hosts[b->next++];
		if (b->overall && xv_monotonic_ms() >= b->overall) {
			xv_error(&b->results[h->target].error, XV_E_TIMEOUT,
				 "not asked: the check ran out of time");
			b->results[h->target].out_of_time = true;
			h->state = H_DONE;
			continue;
		}
		host_start(h);
		if (!b->scratch.lfs_setsize && api.lib)
			api.netsnmp_large_fd_set_init(&b->scratch, FD_SETSIZE);
		if (h->ended)
			host_close(h);
		else
			schedule(b, h, xv_monotonic_ms());
	}
	return b->next == b->n && b->running == 0;
}

void xv_snmp_batch_finish(struct xv_snmp_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct host *h = &b->hosts[i];
		if (h->state == H_RUNNING) {
			b->results[i].out_of_time = true;
			host_fail(h, XV_E_TIMEOUT, "no answer from %s when the poll ended", h->peer);
			host_close(h);
		} else if (h->state == H_WAITING) {
			xv_error(&b->results[i].error, XV_E_TIMEOUT, "not asked: the poll ended");
			b->results[i].out_of_time = true;
		}
	}
	if (b->scratch.lfs_setsize)
		api.netsnmp_large_fd_set_cleanup(&b->scratch);
	free(b->fds);
	free(b->fd_host);
	free(b->hosts);
	free(b);
}

void xv_snmp_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
		  struct xv_poll_result *results)
{
	struct xv_snmp_batch *b = xv_snmp_batch_start(targets, n, opt, results);
	bool done = b->next == b->n && b->running == 0;

	while (!done) {
		struct pollfd *fds;
		size_t n_fds;
		uint64_t wake, now;
		int wait_ms;

		xv_snmp_batch_wait(b, &fds, &n_fds, &wake);
		now = xv_monotonic_ms();
		wait_ms = wake <= now ? 0 : wake - now > 60000 ? 60000 : (int)(wake - now);
		if (poll(fds, n_fds, wait_ms) < 0 && errno != EINTR)
			break;
		done = xv_snmp_batch_dispatch(b, fds, n_fds);
	}
	xv_snmp_batch_finish(b);
}

#else /* !XV_HAVE_NETSNMP */

void xv_snmp_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
		  struct xv_poll_result *results)
{
	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		xv_snapshot_init(&results[i].snap);
		xv_error(&results[i].error, XV_E_UNSUPPORTED, "snmp: support is not compiled in "
			 "(build xvmon with libsnmp-dev installed)");
	}
}

struct xv_snmp_batch {
	bool unused;
};

struct xv_snmp_batch *xv_snmp_batch_start(const struct xv_poll_target *targets, size_t n,
					  const struct xv_poll_options *opt,
					  struct xv_poll_result *results)
{
	xv_snmp_poll(targets, n, opt, results);
	return xv_calloc(1, sizeof(struct xv_snmp_batch));
}

void xv_snmp_batch_wait(struct xv_snmp_batch *b, struct pollfd **fds, size_t *n_fds,
			uint64_t *wake_ms)
{
	*fds = NULL;
	*n_fds = 0;
	*wake_ms = xv_monotonic_ms();
}

bool xv_snmp_batch_dispatch(struct xv_snmp_batch *b, const struct pollfd *fds, size_t n_fds)
{
	return true;
}

void xv_snmp_batch_finish(struct xv_snmp_batch *b)
{
	free(b);
}

#endif
