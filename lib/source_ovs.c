/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_ovs.c: ovs://[user@]host[:port][?options], an Oracle VM 2.x server
 * through its agent (ovs-agent, XML-RPC over HTTPS on port 8899, HTTP basic
 * authentication as "oracle"), as the seed's recovery tool asked it.
 *
 * Oracle never published the agent's API, and no agent was at hand: the
 * calls below are what this source assumes, each answered with a string
 * "success:key=value;key=value;..." (anything else, such as "failed:...",
 * is the agent refusing), lists as an XML-RPC array of such strings.
 * docs/sources.md lists them with their keys; to follow an agent that
 * differs, change the tables below (a key's name, its unit) or add one:
 * unknown keys are ignored, so an agent that says more is still read.
 *
 *   get_host_info()  hostname, total_memory_kib, free_memory_kib, cpus,
 *                    xen_version (optional)
 *   list_vm()        per domain (Domain-0 included): name, domid, uuid,
 *                    state (xm's six columns, "-b----"), memory_kib,
 *                    maxmem_kib, vcpus, cpu_time (seconds; optional)
 *   get_master_ip()  master_ip: the pool master the server follows (the
 *                    seed's recovery tree); an agent that refuses it leaves
 *                    the master unknown, the host still answers
 *
 * The balloon target, scrub and outstanding memory and swap are not in
 * these answers: unknown in the snapshot.  The calls go one after the
 * other on one kept-alive connection; the agent keeps no session.
 *
 * Options: password_file, password_env (default XVMON_OVS_PASSWORD),
 * ca_file, verify (default yes), tls (default yes; the agent's port 8899
 * either way). */
#include "source_impl.h"
#include "clock.h"
#include "credential.h"
#include "http.h"
#include "num.h"
#include "ovs.h"
#include "uri.h"
#include "util.h"
#include "xmlrpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OVS_DEFAULT_USER "oracle"
#define OVS_DEFAULT_PORT 8899
#define OVS_PASSWORD_ENV "XVMON_OVS_PASSWORD"
#define OVS_MAX_REPLY (16u << 20)

static const char *const ovs_keys[] = { "password_file", "password_env", "ca_file", "verify",
					 "tls", NULL };

/* --- answers -> snapshot (ovs.h) ----------------------------------------- */

/* The value of `key` in "success:k=v;k=v", copied into buf; NULL if absent. */
static const char *kv(const char *s, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	s += strlen("success:");
	while (*s) {
		const char *end = strchr(s, ';');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len > klen && s[klen] == '=' && !strncmp(s, key, klen)) {
			len -= klen + 1;
			if (len >= size)
				len = size - 1;
			memcpy(buf, s + klen + 1, len);
			buf[len] = '\0';
			return buf;
		}
		s += len;
		if (*s == ';')
			s++;
	}
	return NULL;
}

static int answer_string(const char *call, const struct xv_xmlrpc_value *v, const char **out,
			 struct xv_error *e)
{
	if (v->type != XV_XMLRPC_STRING)
		return xv_error(e, XV_E_HOST, "Oracle VM agent %s: the answer is a %s, not a string",
				call, xv_xmlrpc_type_name(v->type));
	if (strncmp(v->str, "success:", 8))
		return xv_error(e, XV_E_HOST, "Oracle VM agent %s: %.300s", call, v->str);
	*out = v->str;
	return 0;
}

static int need(const char *call, const char *s, const char *key, char *buf, size_t size,
		struct xv_error *e)
{
	if (!kv(s, key, buf, size))
		return xv_error(e, XV_E_HOST, "Oracle VM agent %s: no '%s' in the answer", call, key);
	return 0;
}

static int number(const char *call, const char *key, const char *v, uint64_t max, uint64_t *out,
		  struct xv_error *e)
{
	if (xv_parse_u64(v, 0, max, out))
		return xv_error(e, XV_E_HOST, "Oracle VM agent %s: %s '%.40s' is not a number from "
				"0 to %llu", call, key, v, (unsigned long long)max);
	return 0;
}

/* xm's state columns "rbpscd", '-' where a flag is not set. */
static int state_flags(const char *s, unsigned *flags)
{
	static const char cols[] = "rbpscd";

	*flags = 0;
	if (strlen(s) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (s[i] == '-')
			continue;
		if (s[i] != cols[i])
			return -1;
	}
	if (s[0] == 'r')
		*flags |= XV_DOM_RUNNING;
	if (s[1] == 'b')
		*flags |= XV_DOM_BLOCKED;
	if (s[2] == 'p')
		*flags |= XV_DOM_PAUSED;
	if (s[4] == 'c')
		*flags |= XV_DOM_CRASHED;
	else if (s[3] == 's')
		*flags |= XV_DOM_SHUTDOWN;
	if (s[5] == 'd')
		*flags |= XV_DOM_DYING;
	return 0;
}

static int vm_facts(const char *s, struct xv_snapshot *snap, struct xv_error *e)
{
	static const char call[] = "list_vm";
	char name[1024], v[128];
	struct xv_domain *d;
	uint64_t n;
	double secs;

	if (need(call, s, "name", name, sizeof(name), e) ||
	    need(call, s, "domid", v, sizeof(v), e) ||
	    number(call, "domid", v, XV_MAX_DOMAINS - 1, &n, e))
		return -1;
	d = xv_snapshot_add_domain(snap);
	d->id = (uint32_t)n;
	xv_domain_name_set(snap, d, name, strlen(name));
	if (need(call, s, "uuid", v, sizeof(v), e))
		return -1;
	if (!xv_uuid_normalize(v, d->uuid))
		return xv_error(e, XV_E_HOST, "Oracle VM agent list_vm: %.80s: uuid '%.40s' is not "
				"a UUID", name, v);
	if (need(call, s, "state", v, sizeof(v), e))
		return -1;
	if (state_flags(v, &d->flags))
		return xv_error(e, XV_E_HOST, "Oracle VM agent list_vm: %.80s: state '%.40s' is "
				"not xm's six columns (like -b----)", name, v);
	if (need(call, s, "memory_kib", v, sizeof(v), e) ||
	    number(call, "memory_kib", v, XV_KIB_MAX, &d->cur_kib, e) ||
	    need(call, s, "maxmem_kib", v, sizeof(v), e) ||
	    number(call, "maxmem_kib", v, XV_KIB_MAX, &d->max_kib, e) ||
	    need(call, s, "vcpus", v, sizeof(v), e) || number(call, "vcpus", v, 4096, &n, e))
		return -1;
	d->vcpus = (unsigned)n;
	if (kv(s, "cpu_time", v, sizeof(v))) {
		if (xv_parse_double(v, &secs) || secs < 0 || secs > 1.8e10)
			return xv_error(e, XV_E_HOST, "Oracle VM agent list_vm: %.80s: cpu_time "
					"'%.40s' is not a number of seconds", name, v);
		d->cpu_ns = (uint64_t)(secs * 1e9);
	}
	if (d->id == 0)
		snap->host.dom0_kib = d->cur_kib;
	return 0;
}

/* get_master_ip()'s answer: the address, or NULL when the agent did not
 * say (a refusal, a fault, no key). */
static char *master_of(const struct xv_xmlrpc_value *v)
{
	char buf[256];

	if (!v || v->type != XV_XMLRPC_STRING || strncmp(v->str, "success:", 8) ||
	    !kv(v->str, "master_ip", buf, sizeof(buf)) || !*buf)
		return NULL;
	return xv_strdup(buf);
}

int xv_ovs_snapshot(const struct xv_xmlrpc_value *host_info, const struct xv_xmlrpc_value *vms,
		    const struct xv_xmlrpc_value *master, struct xv_snapshot *snap,
		    struct xv_error *e)
{
	static const char call[] = "get_host_info";
	const char *s;
	char v[256];
	uint64_t n;
	size_t i = 0;

	xv_snapshot_init(snap);
	if (answer_string(call, host_info, &s, e) || need(call, s, "hostname", v, sizeof(v), e))
		goto fail;
	snap->host.name = xv_strdup(v);
	if (kv(s, "xen_version", v, sizeof(v)))
		snap->host.xen_version = xv_strdup(v);
	if (need(call, s, "total_memory_kib", v, sizeof(v), e) ||
	    number(call, "total_memory_kib", v, XV_KIB_MAX, &snap->host.total_kib, e) ||
	    need(call, s, "free_memory_kib", v, sizeof(v), e) ||
	    number(call, "free_memory_kib", v, XV_KIB_MAX, &snap->host.free_kib, e) ||
	    need(call, s, "cpus", v, sizeof(v), e) || number(call, "cpus", v, 65536, &n, e))
		goto fail;
	snap->host.cpus = (unsigned)n;
	snap->host.pool_master = master_of(master);
	if (vms->type != XV_XMLRPC_ARRAY) {
		if (vms->type == XV_XMLRPC_STRING && strncmp(vms->str, "success:", 8))
			xv_error(e, XV_E_HOST, "Oracle VM agent list_vm: %.300s", vms->str);
		else
			xv_error(e, XV_E_HOST, "Oracle VM agent list_vm: the answer is a %s, not an "
				 "array", xv_xmlrpc_type_name(vms->type));
		goto fail;
	}
	for (const struct xv_xmlrpc_value *vm = vms->first; vm; vm = vm->next, i++)
		if (answer_string("list_vm", vm, &s, e) || vm_facts(s, snap, e))
			goto fail;
	if (xv_snapshot_check(snap, e)) {
		xv_error_prefix(e, "Oracle VM agent");
		goto fail;
	}
	return 0;
fail:
	xv_snapshot_release(snap);
	return -1;
}

/* --- the source ---------------------------------------------------------- */

static int ovs_check(const char *arg, struct xv_error *e)
{
	struct xv_uri u;
	int rc = xv_uri_parse("ovs", arg, ovs_keys, &u, e);

	if (rc == 0)
		rc = xv_http_uri_check("ovs", &u, e);
	xv_uri_release(&u);
	return rc;
}

static const char *ovs_caveat(const char *arg)
{
	struct xv_uri u;
	const char *why = NULL;

	if (xv_uri_parse("ovs", arg, ovs_keys, &u, NULL) == 0)
		why = xv_http_uri_caveat(&u);
	xv_uri_release(&u);
	return why;
}

static const char *const ovs_calls[] = { "get_host_info", "list_vm", "get_master_ip" };
#define OVS_CALLS 3
#define OVS_MASTER_CALL 2 /* its failure is not the host's */

struct ovs_engine {
	struct xv_loop *loop;
	struct xv_http *http;
};

struct ovs_host {
	struct xv_http_conn *conn;
	char *url, *userpwd;
	uint64_t deadline_ms;
	size_t step; /* the call in flight */
	struct xv_xmlrpc_reply replies[OVS_CALLS];
	xv_async_done_fn *done;
	void *ctx;
};

static void ovs_host_free(struct ovs_host *h)
{
	xv_http_conn_free(h->conn);
	for (size_t i = 0; i < OVS_CALLS; i++)
		xv_xmlrpc_reply_release(&h->replies[i]);
	free(h->url);
	xv_credential_free(h->userpwd);
	free(h);
}

static void ovs_answer(void *ctx, const struct xv_error *err, const char *body, size_t len);

static int ovs_send(struct ovs_host *h, struct xv_error *e)
{
	struct xv_buf call = XV_BUF_INIT;
	/* curl's own timeout is a backstop behind the caller's deadline, whose
	 * abandon() comes first and says it in the poller's words */
	struct xv_http_request req = { .url = h->url, .userpwd = h->userpwd,
				       .content_type = "text/xml",
				       .deadline_ms = h->deadline_ms + XV_ASYNC_CLEANUP_MS,
				       .last = h->step == OVS_CALLS - 1 };
	int rc;

	xv_xmlrpc_call_begin(&call, ovs_calls[h->step]);
	xv_xmlrpc_call_end(&call);
	req.body = call.data;
	req.body_len = call.len;
	rc = xv_http_post(h->conn, &req, ovs_answer, h, e);
	xv_buf_release(&call);
	return rc;
}

static void ovs_answer(void *ctx, const struct xv_error *err, const char *body, size_t len)
{
	struct ovs_host *h = ctx;
	struct xv_snapshot snap;
	struct xv_error e;
	struct xv_xmlrpc_reply *r = &h->replies[h->step];

	if (err) {
		e = *err;
		xv_error_prefix(&e, "Oracle VM agent at %s", h->url);
		goto fail;
	}
	if (xv_xmlrpc_parse(body, len, r, &e)) {
		xv_error_prefix(&e, "Oracle VM agent %s", ovs_calls[h->step]);
		goto fail;
	}
	if (r->fault && h->step != OVS_MASTER_CALL) {
		xv_error(&e, XV_E_HOST, "Oracle VM agent %s: XML-RPC fault %lld: %.300s",
			 ovs_calls[h->step], (long long)r->fault_code, r->fault_string);
		goto fail;
	}
	if (++h->step < OVS_CALLS) {
		if (ovs_send(h, &e))
			goto fail;
		return;
	}
	if (xv_ovs_snapshot(h->replies[0].value, h->replies[1].value,
			    h->replies[2].fault ? NULL : h->replies[2].value, &snap, &e))
		goto fail;
	h->done(h->ctx, &snap, NULL);
	ovs_host_free(h);
	return;
fail:
	h->done(h->ctx, NULL, &e);
	ovs_host_free(h);
}

static int ovs_engine_new(struct xv_loop *loop, void **out, struct xv_error *e)
{
	struct ovs_engine *eng = xv_calloc(1, sizeof(*eng));

	eng->loop = loop;
	if (xv_http_new(loop, &eng->http, e)) {
		free(eng);
		*out = NULL;
		return -1;
	}
	*out = eng;
	return 0;
}

static int ovs_start(void *engine, const char *arg, uint64_t deadline_ms, xv_async_done_fn *done,
		     void *ctx, struct xv_async_snap **out, struct xv_error *e)
{
	struct ovs_engine *eng = engine;
	struct ovs_host *h = xv_calloc(1, sizeof(*h));
	struct xv_http_tls tls = { .verify = true };
	struct xv_uri u;
	char *password = NULL, *authority;
	bool use_tls;
	int rc = -1;

	h->deadline_ms = deadline_ms;
	h->done = done;
	h->ctx = ctx;
	if (xv_uri_parse("ovs", arg, ovs_keys, &u, e) ||
	    xv_credential_password("ovs", &u, OVS_PASSWORD_ENV, &password, e))
		goto out;
	xv_http_uri_tls(&u, &tls, &use_tls);
	authority = xv_uri_authority(u.host, u.port ? u.port : OVS_DEFAULT_PORT);
	h->url = xv_asprintf("%s://%s/", use_tls ? "https" : "http", authority);
	free(authority);
	h->userpwd = xv_asprintf("%s:%s", u.user ? u.user : OVS_DEFAULT_USER, password);
	h->conn = xv_http_conn_new(eng->http, &tls, OVS_MAX_REPLY);
	rc = ovs_send(h, e);
out:
	xv_credential_free(password);
	xv_uri_release(&u);
	if (rc) {
		ovs_host_free(h);
		return -1;
	}
	*out = (struct xv_async_snap *)h;
	return 0;
}

static void ovs_abandon(struct xv_async_snap *as)
{
	ovs_host_free((struct ovs_host *)as);
}

static bool ovs_engine_busy(void *engine)
{
	return false;
}

static void ovs_engine_free(void *engine)
{
	struct ovs_engine *eng = engine;

	xv_http_free(eng->http);
	free(eng);
}

static const struct xv_source_async_ops ovs_async = {
	.engine_new = ovs_engine_new,
	.start = ovs_start,
	.abandon = ovs_abandon,
	.engine_busy = ovs_engine_busy,
	.engine_free = ovs_engine_free,
	.fds_per_host = 2, /* the connection; a name lookup's socket pair */
	.process_per_host = false,
};

const struct xv_source_ops xv_source_ovs_ops = {
	.scheme = "ovs",
	.check = ovs_check,
#if XV_HAVE_CURL
	.async = &ovs_async,
#endif
	.caveat = ovs_caveat,
};
