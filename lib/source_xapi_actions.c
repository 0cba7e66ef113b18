/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_xapi_actions.c: the xapi:// actions, through the XenAPI.
 *
 * An action is one operator's request, so it takes the simple path: one
 * session on one connection, each call waited for on a private event loop
 * (the same codec and HTTP engine as the snapshots, source_xapi.c):
 *
 *   session.login_with_password      HOST_IS_SLAVE: at the master (once)
 *   VM.get_by_name_label(name)       then VM.get_record of each match:
 *                                    templates and snapshots are not VMs;
 *                                    none left: XV_E_DATA; several: refused
 *                                    (XV_E_USAGE); the control domain:
 *                                    refused (XV_E_USAGE)
 *   the action                       Async.VM.clean_shutdown (returns its
 *                                    task at once: xv_source_shutdown_wait()
 *                                    watches the snapshots), VM.hard_shutdown,
 *                                    VM.pause, VM.unpause, or VM.get_consoles
 *                                    + console.get_protocol/get_location
 *   session.logout                   on every path once logged in
 *
 * and, without a VM to find first:
 *
 *   create from a template           the host the URI names, the one
 *                                    template, VM.clone, VM.provision,
 *                                    VM.set_is_a_template false,
 *                                    VM.set_memory_limits, VM.start_on
 *                                    paused, the VIFs' MACs; a failure after
 *                                    the clone names what it left behind
 *   export (the pool database)       pool.get_all_records (its name and
 *                                    uuid), then GET /pool/xmldbdump on the
 *                                    master: at most XV_XAPI_DUMP_MAX_BYTES,
 *                                    checked to be a XAPI <database>
 *   close                            the Async tasks started are destroyed
 *                                    (XAPI keeps finished tasks)
 *
 * The whole sequence has the source's deadline (xv_source_set_deadline(),
 * else XV_SOURCE_DEFAULT_TIMEOUT_MS; longer defaults for the dump and a
 * create), the logout XV_ASYNC_CLEANUP_MS more at least.  Failures are the
 * host's (XV_E_HOST, "CODE: params" as XenAPI says them, e.g.
 * VM_BAD_POWER_STATE) or a timeout. */
#include "source_xapi.h"
#include "clock.h"
#include "credential.h"
#include "http.h"
#include "loop.h"
#include "num.h"
#include "text.h"
#include "util.h"
#include "xapi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers to single-object calls are small; a console list or a record of
 * a VM with many devices stays far below this. */
#define ACTION_MAX_REPLY (4u << 20)

struct session {
	struct xv_uri uri;
	char *password;
	char *base_url;
	char *session;
	struct xv_loop *loop;
	struct xv_http *http;
	struct xv_http_conn *conn;
	uint64_t deadline_ms;
	bool redirected; /* the URI's host is a slave; base_url is its master */
	/* the answer being waited for */
	bool answered;
	struct xv_error answer_error;
	bool answer_failed;
	struct xv_buf body;
};

static void on_answer(void *ctx, const struct xv_error *e, const char *body, size_t len)
{
	struct session *s = ctx;

	s->answered = true;
	s->answer_failed = e != NULL;
	if (e)
		s->answer_error = *e;
	else
		xv_buf_add(&s->body, body, len);
}

/* Posts `call` and waits for the answer until `deadline`: 0 with the parsed
 * reply (release it), or -1. */
static int exchange(struct session *s, const struct xv_buf *call, bool last, uint64_t deadline,
		    struct xv_xmlrpc_reply *reply, struct xv_error *e)
{
	char *url = xv_asprintf("%s/", s->base_url);
	struct xv_http_request req = { .url = url, .content_type = "text/xml", .body = call->data,
				       .body_len = call->len, .deadline_ms = deadline,
				       .last = last };
	int rc;

	s->answered = false;
	xv_buf_reset(&s->body);
	rc = xv_http_post(s->conn, &req, on_answer, s, e);
	free(url);
	if (rc)
		return -1;
	while (!s->answered && xv_monotonic_ms() < deadline)
		xv_loop_run_once(s->loop, deadline);
	if (!s->answered) {
		xv_http_cancel(s->conn);
		return xv_error(e, XV_E_TIMEOUT, "XenAPI at %s: no answer in time", s->base_url);
	}
	if (s->answer_failed) {
		*e = s->answer_error;
		xv_error_prefix(e, "XenAPI at %s", s->base_url);
		return -1;
	}
	return xv_xmlrpc_parse(s->body.data, s->body.len, reply, e);
}

/* Boolean parameters of call(), told apart by their address. */
static const char ARG_TRUE[] = "true", ARG_FALSE[] = "false";

/* One XenAPI call with string parameters (ARG_TRUE and ARG_FALSE are
 * booleans; XenAPI's 64-bit integers are strings): 0 with *value in `reply`, or -1
 * (with *failure pointing into `reply` for a XenAPI Failure; the caller
 * releases `reply` in every case once it has been filled). */
static int call(struct session *s, struct xv_xmlrpc_reply *reply,
		const struct xv_xmlrpc_value **value, const struct xv_xmlrpc_value **failure,
		struct xv_error *e, const char *method, ...)
{
	struct xv_buf c = XV_BUF_INIT;
	const char *p;
	va_list ap;
	int rc;

	memset(reply, 0, sizeof(*reply));
	*value = *failure = NULL;
	xv_xmlrpc_call_begin(&c, method);
	xv_xmlrpc_param_string(&c, s->session);
	va_start(ap, method);
	while ((p = va_arg(ap, const char *))) {
		if (p == ARG_TRUE || p == ARG_FALSE)
			xv_xmlrpc_param_bool(&c, p == ARG_TRUE);
		else
			xv_xmlrpc_param_string(&c, p);
	}
	va_end(ap);
	xv_xmlrpc_call_end(&c);
	rc = exchange(s, &c, false, s->deadline_ms, reply, e);
	xv_buf_release(&c);
	if (rc == 0 && (rc = xv_xapi_result(reply, value, failure, e)))
		xv_error_prefix(e, "XenAPI %s", method);
	return rc;
}

static void session_free(struct session *s)
{
	xv_http_conn_free(s->conn);
	xv_http_free(s->http);
	xv_loop_free(s->loop);
	xv_credential_free(s->password);
	free(s->base_url);
	free(s->session);
	xv_buf_release(&s->body);
	xv_uri_release(&s->uri);
	free(s);
}

/* Ends the session (whatever the peer answers, it is over for us) and
 * frees everything. */
static void session_end(struct session *s)
{
	if (s && s->session) {
		struct xv_buf c = XV_BUF_INIT;
		struct xv_xmlrpc_reply r;
		struct xv_error ignored;
		uint64_t now = xv_monotonic_ms();
		uint64_t by = s->deadline_ms > now + XV_ASYNC_CLEANUP_MS ? s->deadline_ms
									   : now + XV_ASYNC_CLEANUP_MS;

		xv_xapi_logout_call(&c, s->session);
		if (exchange(s, &c, true, by, &r, &ignored) == 0)
			xv_xmlrpc_reply_release(&r);
		xv_buf_release(&c);
	}
	if (s)
		session_free(s);
}

static int login(struct session *s, struct xv_error *e)
{
	for (int attempt = 0;; attempt++) {
		struct xv_buf c = XV_BUF_INIT;
		struct xv_xmlrpc_reply r;
		const struct xv_xmlrpc_value *value, *failure;
		const char *master;
		int rc;

		xv_xapi_login_call(&c, &s->uri, s->password);
		/* a login outlives the deadline a little: if it succeeds after
		 * all, its session is ended instead of leaked */
		rc = exchange(s, &c, false, s->deadline_ms + XV_ASYNC_CLEANUP_MS, &r, e);
		explicit_bzero(c.data, c.len);
		xv_buf_release(&c);
		if (rc)
			return -1;
		if (xv_xapi_result(&r, &value, &failure, e) == 0) {
			rc = 0;
			if (value->type != XV_XMLRPC_STRING || strncmp(value->str, "OpaqueRef:", 10))
				rc = xv_error(e, XV_E_HOST, "XenAPI: the login answered no session");
			else
				s->session = xv_strdup(value->str);
			xv_xmlrpc_reply_release(&r);
			if (rc == 0 && xv_monotonic_ms() >= s->deadline_ms)
				rc = xv_error(e, XV_E_TIMEOUT, "XenAPI at %s: no answer in time",
					      s->base_url);
			return rc;
		}
		if (!failure) {
			xv_error_prefix(e, "XenAPI login");
		} else if (!strcmp(xv_xapi_failure_code(failure), "SESSION_AUTHENTICATION_FAILED")) {
			xv_error(e, XV_E_HOST, "XenAPI: authentication failed for user '%s'",
				 xv_xapi_user(&s->uri));
		} else if (!strcmp(xv_xapi_failure_code(failure), "HOST_IS_SLAVE")) {
			if (attempt)
				xv_error(e, XV_E_HOST,
					 "XenAPI: the master the slave named is a slave too");
			else if ((master = xv_xapi_slave_master(failure, e))) {
				free(s->base_url);
				s->base_url = xv_xapi_base_url(&s->uri, master);
				s->redirected = true;
				xv_xmlrpc_reply_release(&r);
				continue;
			}
		} else {
			xv_error_prefix(e, "XenAPI login");
		}
		xv_xmlrpc_reply_release(&r);
		return -1;
	}
}

/* Logs in at the pool master `src` reaches: a session, or NULL with `e`.
 * The session's calls end by the source's deadline, else `default_ms` from
 * now. */
static struct session *session_begin_within(struct xv_source *src, uint64_t default_ms,
					    struct xv_error *e)
{
	struct session *s = xv_calloc(1, sizeof(*s));
	struct xv_http_tls tls;
	bool use_tls;

	s->deadline_ms = src->deadline_ms ? src->deadline_ms : xv_monotonic_ms() + default_ms;
	if (xv_uri_parse("xapi", src->arg, xv_xapi_uri_keys, &s->uri, e) ||
	    xv_credential_password("xapi", &s->uri, XV_XAPI_PASSWORD_ENV, &s->password, e) ||
	    xv_loop_new(&s->loop, e) || xv_http_new(s->loop, &s->http, e))
		goto fail;
	xv_http_uri_tls(&s->uri, &tls, &use_tls);
	s->base_url = xv_xapi_base_url(&s->uri, NULL);
	s->conn = xv_http_conn_new(s->http, &tls, ACTION_MAX_REPLY);
	if (login(s, e))
		goto fail;
	return s;
fail:
	session_end(s); /* logs out if the login succeeded late */
	return NULL;
}

static struct session *session_begin(struct xv_source *src, struct xv_error *e)
{
	return session_begin_within(src, XV_SOURCE_DEFAULT_TIMEOUT_MS, e);
}

static bool is_ref(const struct xv_xmlrpc_value *v)
{
	return v && v->type == XV_XMLRPC_STRING && !strncmp(v->str, "OpaqueRef:", 10) &&
	       strcmp(v->str, "OpaqueRef:NULL");
}

/* Calls `method` on `arg` for a list of references: the array (held by
 * `r`, which the caller releases) or NULL with `e` set. */
static const struct xv_xmlrpc_value *call_refs(struct session *s, struct xv_xmlrpc_reply *r,
					       const char *method, const char *arg,
					       struct xv_error *e)
{
	const struct xv_xmlrpc_value *refs, *failure;

	if (call(s, r, &refs, &failure, e, method, arg, (const char *)NULL))
		return NULL;
	if (refs->type != XV_XMLRPC_ARRAY) {
		xv_error(e, XV_E_HOST, "XenAPI %s: answered a %s, not an array", method,
			 xv_xmlrpc_type_name(refs->type));
		return NULL;
	}
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		if (!is_ref(ref)) {
			xv_error(e, XV_E_HOST, "XenAPI %s: not a reference", method);
			return NULL;
		}
	}
	return refs;
}

static bool member_true(const struct xv_xmlrpc_value *rec, const char *name)
{
	const struct xv_xmlrpc_value *v = xv_xmlrpc_member(rec, name);

	return v && v->type == XV_XMLRPC_BOOL && v->num;
}

/* The one VM of the pool named `name` (a malloc'ed reference), or NULL. */
static char *find_vm(struct session *s, const char *name, struct xv_error *e)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *refs;
	char *found = NULL;
	size_t n = 0;

	if (!(refs = call_refs(s, &r, "VM.get_by_name_label", name, e)))
		goto out;
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		struct xv_xmlrpc_reply rr;
		const struct xv_xmlrpc_value *rec, *f;
		bool control, skip;

		if (call(s, &rr, &rec, &f, e, "VM.get_record", ref->str, (const char *)NULL)) {
			xv_xmlrpc_reply_release(&rr);
			goto fail;
		}
		control = member_true(rec, "is_control_domain");
		skip = member_true(rec, "is_a_template") || member_true(rec, "is_a_snapshot");
		xv_xmlrpc_reply_release(&rr);
		if (control) {
			xv_error(e, XV_E_USAGE, "refusing to act on '%s': it is a control domain (dom0)",
				 name);
			goto fail;
		}
		if (skip)
			continue;
		if (++n == 1)
			found = xv_strdup(ref->str);
	}
	if (n == 0)
		xv_error(e, XV_E_DATA, "the pool has no VM named '%s'", name);
	else if (n > 1)
		xv_error(e, XV_E_USAGE,
			 "the pool has %zu VMs named '%s': refusing to choose one (rename them)", n,
			 name);
	if (n == 1)
		goto out;
fail:
	free(found);
	found = NULL;
out:
	xv_xmlrpc_reply_release(&r);
	return found;
}

/* Logs in, finds `name`, calls `method` on it, logs out. */
static int vm_call(struct xv_source *src, const char *name, const char *method,
		   struct xv_error *e)
{
	struct session *s = session_begin(src, e);
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *value, *failure;
	char *vm;
	int rc = -1;

	if (!s)
		return -1;
	if ((vm = find_vm(s, name, e))) {
		rc = call(s, &r, &value, &failure, e, method, vm, (const char *)NULL);
		xv_xmlrpc_reply_release(&r);
		if (rc)
			xv_error_prefix(e, "'%s'", name);
		free(vm);
	}
	session_end(s);
	return rc;
}

/* Tasks of asynchronous calls, destroyed when the source closes: XAPI
 * keeps a finished task until someone destroys it. */
struct xapi_priv {
	char **tasks;
	size_t n;
};

int xv_xapi_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	struct session *s = session_begin(src, e);
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *task, *failure;
	char *vm;
	int rc = -1;

	if (!s)
		return -1;
	/* the asynchronous form answers with its task at once; the caller
	 * watches the VM leave (xv_source_shutdown_wait()) and the task is
	 * destroyed when the source closes (xv_xapi_close()) */
	if ((vm = find_vm(s, name, e))) {
		rc = call(s, &r, &task, &failure, e, "Async.VM.clean_shutdown", vm,
			  (const char *)NULL);
		if (rc) {
			xv_error_prefix(e, "'%s'", name);
		} else if (is_ref(task)) {
			struct xapi_priv *p = src->priv;
			if (!p)
				src->priv = p = xv_calloc(1, sizeof(*p));
			p->tasks = xv_realloc(p->tasks, (p->n + 1) * sizeof(*p->tasks));
			p->tasks[p->n++] = xv_strdup(task->str);
		}
		xv_xmlrpc_reply_release(&r);
		free(vm);
	}
	session_end(s);
	return rc;
}

int xv_xapi_destroy(struct xv_source *src, const char *name, struct xv_error *e)
{
	return vm_call(src, name, "VM.hard_shutdown", e);
}

int xv_xapi_pause(struct xv_source *src, const char *name, bool pause, struct xv_error *e)
{
	return vm_call(src, name, pause ? "VM.pause" : "VM.unpause", e);
}

/* A console location is printed and handed to a viewer: a URL of printable
 * ASCII, nothing else. */
static bool plausible_location(const struct xv_xmlrpc_value *v)
{
	if (!v || v->type != XV_XMLRPC_STRING || v->len > 2048 ||
	    (strncmp(v->str, "https://", 8) && strncmp(v->str, "http://", 7)))
		return false;
	for (size_t i = 0; i < v->len; i++)
		if (v->str[i] <= ' ' || v->str[i] > '~')
			return false;
	return true;
}

int xv_xapi_console(struct xv_source *src, const char *name, struct xv_console *out,
		    struct xv_error *e)
{
	struct session *s = session_begin(src, e);
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *refs;
	char *vm, *chosen = NULL;
	int rc = -1;

	if (!s)
		return -1;
	if (!(vm = find_vm(s, name, e)))
		goto out;
	if (!(refs = call_refs(s, &r, "VM.get_consoles", vm, e)))
		goto release;
	/* the graphical (rfb) console if there is one, else the text one */
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		struct xv_xmlrpc_reply pr;
		const struct xv_xmlrpc_value *proto, *f;
		bool rfb, vt100;

		if (call(s, &pr, &proto, &f, e, "console.get_protocol", ref->str,
			 (const char *)NULL)) {
			xv_xmlrpc_reply_release(&pr);
			goto release;
		}
		rfb = proto->type == XV_XMLRPC_STRING && !strcmp(proto->str, "rfb");
		vt100 = proto->type == XV_XMLRPC_STRING && !strcmp(proto->str, "vt100");
		xv_xmlrpc_reply_release(&pr);
		if (rfb || (vt100 && !chosen)) {
			free(chosen);
			chosen = xv_strdup(ref->str);
			if (rfb)
				break;
		}
	}
	if (!chosen) {
		xv_error(e, XV_E_HOST, "'%s' has no console (XenAPI gives consoles to running VMs)",
			 name);
		goto release;
	}
	{
		struct xv_xmlrpc_reply lr;
		const struct xv_xmlrpc_value *loc, *f;

		if (call(s, &lr, &loc, &f, e, "console.get_location", chosen, (const char *)NULL) ==
		    0) {
			if (plausible_location(loc)) {
				out->endpoint = xv_strdup(loc->str);
				rc = 0;
			} else {
				xv_error(e, XV_E_HOST,
					 "XenAPI console.get_location: not an http(s) URL");
			}
		}
		xv_xmlrpc_reply_release(&lr);
	}
release:
	xv_xmlrpc_reply_release(&r);
	free(chosen);
	free(vm);
out:
	session_end(s);
	return rc;
}

/* --- helpers for single values ------------------------------------------ */

static const char *member_string(const struct xv_xmlrpc_value *rec, const char *name)
{
	const struct xv_xmlrpc_value *v = rec ? xv_xmlrpc_member(rec, name) : NULL;

	return v && v->type == XV_XMLRPC_STRING ? v->str : NULL;
}

/* A name or identity from the peer that goes into messages and file names:
 * printable ASCII of a sane length, else NULL. */
static char *plain(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > max)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] > '~')
			return NULL;
	return xv_strdup(s);
}

/* A call whose answer is one string (a reference when `want_ref`): it is
 * returned malloc'ed, or NULL with `e`. */
static char *call_string(struct session *s, bool want_ref, struct xv_error *e, const char *method,
			 const char *a1, const char *a2)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *v, *f;
	char *out = NULL;

	if (call(s, &r, &v, &f, e, method, a1, a2, (const char *)NULL) == 0) {
		if (want_ref ? is_ref(v) : v->type == XV_XMLRPC_STRING)
			out = xv_strdup(v->str);
		else
			xv_error(e, XV_E_HOST, "XenAPI %s: answered no %s", method,
				 want_ref ? "reference" : "string");
	}
	xv_xmlrpc_reply_release(&r);
	return out;
}

/* --- the pool database dump ----------------------------------------------- */

/* XAPI serves its database as XML: <database><manifest .../><table ...>...
 * A body that is not that (an HTML error page, a truncated transfer, some
 * other document) never goes into a backup. */
static const char *not_a_database(const char *d, size_t n)
{
	const char *end = d + n, *p = d;

	if (memchr(d, '\0', n))
		return "it holds NUL bytes: not XML";
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	for (;;) {
		while (p < end && strchr(" \t\r\n", *p))
			p++;
		if (end - p >= 5 && !memcmp(p, "<?xml", 5)) {
			const char *q = memmem(p, (size_t)(end - p), "?>", 2);
			if (!q)
				return "its XML declaration is not closed";
			p = q + 2;
		} else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = memmem(p, (size_t)(end - p), "-->", 3);
			if (!q)
				return "a comment is not closed";
			p = q + 3;
		} else {
			break;
		}
	}
	if (p == end || *p != '<')
		return "not XML";
	if (end - p < 10 || memcmp(p, "<database", 9) || !strchr(" \t\r\n>", p[9]))
		return "its root element is not <database>: not a XAPI database";
	while (end > p && strchr(" \t\r\n", end[-1]))
		end--;
	if (end - p < 11 || memcmp(end - 11, "</database>", 11))
		return "it does not end with </database>: truncated";
	return NULL;
}

struct fetch {
	bool done, failed;
	struct xv_error error;
	struct xv_buf *out;
};

static void on_fetched(void *ctx, const struct xv_error *e, const char *body, size_t len)
{
	struct fetch *f = ctx;

	f->done = true;
	f->failed = e != NULL;
	if (e)
		f->error = *e;
	else
		xv_buf_add(f->out, body, len);
}

/* The pool's name for people (its name_label, else its master's) and its
 * uuid. */
static int pool_identity(struct session *s, struct xv_export *out, struct xv_error *e)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *pools, *f, *rec;
	int rc = -1;

	if (call(s, &r, &pools, &f, e, "pool.get_all_records", (const char *)NULL))
		goto out;
	if (pools->type != XV_XMLRPC_STRUCT || pools->n != 1) {
		xv_error(e, XV_E_HOST, "XenAPI pool.get_all_records: not one pool");
		goto out;
	}
	rec = pools->first;
	out->scope_id = plain(member_string(rec, "uuid"), 64);
	out->scope = plain(member_string(rec, "name_label"), 255);
	if (!out->scope_id) {
		xv_error(e, XV_E_HOST, "XenAPI pool.get_all_records: the pool has no uuid");
		goto out;
	}
	if (!out->scope) {
		/* a pool of one host is often left without a name */
		const struct xv_xmlrpc_value *m = xv_xmlrpc_member(rec, "master");
		char *label = is_ref(m) ? call_string(s, false, e, "host.get_name_label", m->str,
						      NULL)
					: NULL;
		out->scope = plain(label, 255);
		free(label);
		if (!out->scope)
			out->scope = xv_asprintf("pool-%s", out->scope_id);
	}
	rc = 0;
out:
	xv_xmlrpc_reply_release(&r);
	return rc;
}

int xv_xapi_export(struct xv_source *src, struct xv_export *out, struct xv_error *e)
{
	struct session *s = session_begin_within(src, XV_XAPI_DUMP_DEFAULT_MS, e);
	struct xv_http_conn *conn = NULL;
	struct xv_http_tls tls;
	struct fetch f = { .out = &out->data };
	char *url = NULL, *where = NULL;
	const char *bad;
	bool use_tls;
	int rc = -1;

	if (!s)
		return -1;
	if (pool_identity(s, out, e))
		goto out;
	/* GET on the master the session belongs to, with the same TLS
	 * settings as the calls; no redirect is followed */
	xv_http_uri_tls(&s->uri, &tls, &use_tls);
	conn = xv_http_conn_new(s->http, &tls, XV_XAPI_DUMP_MAX_BYTES);
	where = xv_asprintf("%s/pool/xmldbdump", s->base_url);
	url = xv_asprintf("%s?session_id=%s", where, s->session);
	{
		struct xv_http_request req = { .url = url, .get = true,
					       .deadline_ms = s->deadline_ms, .last = true };
		if (xv_http_post(conn, &req, on_fetched, &f, e)) {
			xv_error_prefix(e, "XenAPI pool database dump from %s", where);
			goto out;
		}
	}
	while (!f.done && xv_monotonic_ms() < s->deadline_ms)
		xv_loop_run_once(s->loop, s->deadline_ms);
	if (!f.done) {
		xv_http_cancel(conn);
		xv_error(e, XV_E_TIMEOUT, "XenAPI pool database dump from %s: not received in time",
			 where);
		goto out;
	}
	if (f.failed) {
		long status = xv_http_status(conn);
		*e = f.error;
		if (status == 401 || status == 403)
			xv_error(e, XV_E_HOST, "the master refused the session (HTTP %ld)", status);
		xv_error_prefix(e, "XenAPI pool database dump from %s", where);
		goto out;
	}
	if ((bad = not_a_database(out->data.data, out->data.len))) {
		xv_error(e, XV_E_HOST, "XenAPI pool database dump from %s: %s", where, bad);
		goto out;
	}
	out->file_name = xv_strdup("pool-database.xml");
	rc = 0;
out:
	if (url)
		explicit_bzero(url, strlen(url)); /* it holds the session */
	free(url);
	free(where);
	xv_http_conn_free(conn);
	session_end(s);
	return rc;
}

/* --- create from a template ----------------------------------------------- */

static bool member_is(const struct xv_xmlrpc_value *rec, const char *name, const char *want)
{
	const char *v = member_string(rec, name);

	return v && !strcmp(v, want);
}

/* The host the URI names (a malloc'ed reference): the one host= names
 * (name_label, hostname or uuid), else the one whose address, hostname or
 * name_label the URI's host is, else the master when the login was not
 * redirected (the URI named the master some other way). */
static char *target_host(struct session *s, struct xv_error *e)
{
	static const char *const by_option[] = { "name_label", "hostname", "uuid" };
	static const char *const by_address[] = { "address", "hostname", "name_label" };
	const char *want = xv_uri_option(&s->uri, "host");
	const char *key = want ? want : s->uri.host;
	const char *const *fields = want ? by_option : by_address;
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *hosts, *f;
	char *found = NULL;

	if (call(s, &r, &hosts, &f, e, "host.get_all_records", (const char *)NULL))
		goto out;
	if (hosts->type != XV_XMLRPC_STRUCT) {
		xv_error(e, XV_E_HOST, "XenAPI host.get_all_records: answered a %s, not a struct",
			 xv_xmlrpc_type_name(hosts->type));
		goto out;
	}
	for (const struct xv_xmlrpc_value *h = hosts->first; h && !found; h = h->next)
		for (size_t i = 0; i < 3 && !found; i++)
			if (member_is(h, fields[i], key) && !strncmp(h->name, "OpaqueRef:", 10))
				found = xv_strdup(h->name);
	if (!found && !want && !s->redirected) {
		xv_xmlrpc_reply_release(&r);
		if (call(s, &r, &hosts, &f, e, "pool.get_all_records", (const char *)NULL))
			goto out;
		if (hosts->type == XV_XMLRPC_STRUCT && hosts->n == 1 &&
		    is_ref(xv_xmlrpc_member(hosts->first, "master")))
			found = xv_strdup(xv_xmlrpc_member(hosts->first, "master")->str);
		else
			xv_error(e, XV_E_HOST, "XenAPI pool.get_all_records: no master");
	} else if (!found) {
		xv_error(e, XV_E_HOST, "the pool has no host '%s'%s", key,
			 want ? " (host=)" : ": name it with host=");
	}
out:
	xv_xmlrpc_reply_release(&r);
	return found;
}

/* VMs and templates of the pool named `name` (snapshots are not counted):
 * the references of the templates (first one in *tmpl) and the number of
 * each. */
static int by_name(struct session *s, const char *name, char **tmpl, size_t *templates,
		   size_t *vms, struct xv_error *e)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *refs;
	int rc = -1;

	*tmpl = NULL;
	*templates = *vms = 0;
	if (!(refs = call_refs(s, &r, "VM.get_by_name_label", name, e)))
		goto out;
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		struct xv_xmlrpc_reply rr;
		const struct xv_xmlrpc_value *rec, *f;

		if (call(s, &rr, &rec, &f, e, "VM.get_record", ref->str, (const char *)NULL)) {
			xv_xmlrpc_reply_release(&rr);
			goto out;
		}
		if (member_true(rec, "is_a_snapshot")) {
			/* a snapshot is no template to install from */
		} else if (member_true(rec, "is_a_template")) {
			if (++*templates == 1)
				*tmpl = xv_strdup(ref->str);
		} else {
			++*vms;
		}
		xv_xmlrpc_reply_release(&rr);
	}
	rc = 0;
out:
	if (rc) {
		free(*tmpl);
		*tmpl = NULL;
	}
	xv_xmlrpc_reply_release(&r);
	return rc;
}

static int by_device(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	/* "DEVICE\tMAC": devices are small decimal numbers */
	long dx = strtol(*x, NULL, 10), dy = strtol(*y, NULL, 10);
	return (dx > dy) - (dx < dy);
}

static bool plausible_mac(const char *m)
{
	if (!m || strlen(m) != 17)
		return false;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? m[i] != ':' : !strchr("0123456789abcdefABCDEF", m[i]))
			return false;
	return true;
}

/* The MACs of the VM's interfaces, in device order. */
static int read_macs(struct session *s, const char *vm, struct xv_created *out,
		     struct xv_error *e)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *refs;
	char **lines = NULL;
	size_t n = 0;
	int rc = -1;

	if (!(refs = call_refs(s, &r, "VM.get_VIFs", vm, e)))
		goto out;
	lines = xv_calloc(refs->n + 1, sizeof(*lines));
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		char *mac, *device;

		if (!(device = call_string(s, false, e, "VIF.get_device", ref->str, NULL)))
			goto out;
		mac = call_string(s, false, e, "VIF.get_MAC", ref->str, NULL);
		if (mac && !plausible_mac(mac))
			xv_error(e, XV_E_HOST, "XenAPI VIF.get_MAC: not a MAC address");
		if (mac && plausible_mac(mac) && n < refs->n)
			lines[n++] = xv_asprintf("%ld\t%s", strtol(device, NULL, 10), mac);
		free(device);
		if (!mac || !plausible_mac(mac)) {
			free(mac);
			goto out;
		}
		free(mac);
	}
	xv_sort(lines, n, sizeof(*lines), by_device);
	out->macs = xv_calloc(n + 1, sizeof(*out->macs));
	for (size_t i = 0; i < n; i++) {
		out->macs[i] = xv_strdup(strchr(lines[i], '\t') + 1);
		for (char *c = out->macs[i]; *c; c++)
			if (*c >= 'A' && *c <= 'F')
				*c = (char)(*c - 'A' + 'a');
	}
	out->n_macs = n;
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	xv_xmlrpc_reply_release(&r);
	return rc;
}

/* Says what a failure after the clone left in the pool. */
static void left_behind(struct xv_error *e, const char *name, const char *uuid, bool started)
{
	size_t len = strlen(e->msg);

	snprintf(e->msg + len, sizeof(e->msg) - len,
		 "; left behind: the VM '%s' (uuid %s), %s: remove it with xe vm-uninstall "
		 "uuid=%s, or finish by hand",
		 name, uuid ? uuid : "unknown", started ? "created and paused" : "halted",
		 uuid ? uuid : "...");
}

int xv_xapi_create(struct xv_source *src, const struct xv_template_request *req,
		   struct xv_created *out, struct xv_error *e)
{
	struct session *s = session_begin_within(src, XV_XAPI_CREATE_DEFAULT_MS, e);
	struct xv_xmlrpc_reply r = { 0 };
	const struct xv_xmlrpc_value *v, *f;
	char *host = NULL, *tmpl = NULL, *vm = NULL, *uuid = NULL, *domid = NULL, *other = NULL;
	size_t templates, vms;
	bool started = false;
	int rc = -1;

	if (!s)
		return -1;
	/* everything that can be refused before the pool changes */
	if (!(host = target_host(s, e)) ||
	    by_name(s, req->template_name, &tmpl, &templates, &vms, e))
		goto out;
	if (templates == 0) {
		xv_error(e, XV_E_DATA, vms ? "'%s' is a VM, not a template"
					   : "the pool has no template named '%s'",
			 req->template_name);
		goto out;
	}
	if (templates > 1) {
		xv_error(e, XV_E_USAGE, "the pool has %zu templates named '%s': refusing to choose "
			 "one (rename them)", templates, req->template_name);
		goto out;
	}
	if (by_name(s, req->name, &other, &templates, &vms, e))
		goto out;
	if (templates || vms) {
		xv_error(e, XV_E_CANTCREAT, "the pool has a %s named '%s' already",
			 vms ? "VM" : "template", req->name);
		goto out;
	}

	/* what xe vm-install does: clone, provision, no longer a template */
	if (!(vm = call_string(s, true, e, "VM.clone", tmpl, req->name)))
		goto out;
	if (!(uuid = call_string(s, false, e, "VM.get_uuid", vm, NULL)))
		goto fail;
	if (call(s, &r, &v, &f, e, "VM.provision", vm, (const char *)NULL))
		goto fail;
	xv_xmlrpc_reply_release(&r);
	if (call(s, &r, &v, &f, e, "VM.get_record", vm, (const char *)NULL))
		goto fail;
	bool is_template = member_true(v, "is_a_template");
	const char *smin_s = member_string(v, "memory_static_min");
	uint64_t smin = 0;
	if (!smin_s || xv_parse_u64(smin_s, 0, UINT64_MAX, &smin)) {
		xv_error(e, XV_E_HOST, "XenAPI VM.get_record: no memory_static_min");
		goto fail;
	}
	xv_xmlrpc_reply_release(&r);
	if (is_template) {
		if (call(s, &r, &v, &f, e, "VM.set_is_a_template", vm, ARG_FALSE,
			 (const char *)NULL))
			goto fail;
		xv_xmlrpc_reply_release(&r);
	}
	if (req->memory_kib != XV_KIB_UNKNOWN) {
		/* static_min <= dynamic_min <= dynamic_max <= static_max: the
		 * guest gets the size asked for, fixed */
		uint64_t bytes = req->memory_kib * 1024;
		char min_s[32], max_s[32];

		snprintf(min_s, sizeof(min_s), "%llu",
			 (unsigned long long)(smin < bytes ? smin : bytes));
		snprintf(max_s, sizeof(max_s), "%llu", (unsigned long long)bytes);
		if (call(s, &r, &v, &f, e, "VM.set_memory_limits", vm, min_s, max_s, max_s, max_s,
			 (const char *)NULL))
			goto fail;
		xv_xmlrpc_reply_release(&r);
	}
	/* paused on the host chosen: it runs once it is registered
	 * (xv_source_unpause()) */
	if (call(s, &r, &v, &f, e, "VM.start_on", vm, host, ARG_TRUE, ARG_FALSE,
		 (const char *)NULL))
		goto fail;
	xv_xmlrpc_reply_release(&r);
	started = true;
	uint64_t id;
	if (!(domid = call_string(s, false, e, "VM.get_domid", vm, NULL)))
		goto fail;
	if (xv_parse_u64(domid, 1, UINT32_MAX, &id)) {
		xv_error(e, XV_E_HOST, "XenAPI VM.get_domid: not a domain id");
		goto fail;
	}
	if (read_macs(s, vm, out, e))
		goto fail;
	out->name = xv_strdup(req->name);
	out->id = (uint32_t)id;
	rc = 0;
	goto out;
fail:
	xv_error_prefix(e, "'%s'", req->name);
	left_behind(e, req->name, uuid, started);
out:
	xv_xmlrpc_reply_release(&r);
	free(host);
	free(tmpl);
	free(other);
	free(vm);
	free(uuid);
	free(domid);
	session_end(s);
	return rc;
}

/* --- closing: the tasks left ---------------------------------------------- */

/* The task's status ("pending", "success", "failure", "cancelling",
 * "cancelled"), or NULL when it cannot be read (gone already). */
static char *task_status(struct session *s, const char *task)
{
	struct xv_error ignored;

	return call_string(s, false, &ignored, "task.get_status", task, NULL);
}

static void forget_tasks(struct xv_source *src, struct xapi_priv *p)
{
	uint64_t saved = src->deadline_ms;
	struct session *s;
	struct xv_error ignored;

	/* a budget of its own: the caller's deadline may have passed */
	src->deadline_ms = 0;
	s = session_begin_within(src, XV_XAPI_TASK_CLEANUP_MS, &ignored);
	src->deadline_ms = saved;
	for (size_t i = 0; s && i < p->n; i++) {
		/* a task seen to finish (its VM gone) may not say so yet: it is
		 * given a moment, then cancelled if still running */
		uint64_t until = xv_monotonic_ms() + XV_XAPI_TASK_CLEANUP_MS / 2;
		char *status;
		while ((status = task_status(s, p->tasks[i])) &&
		       (!strcmp(status, "pending") || !strcmp(status, "cancelling")) &&
		       xv_monotonic_ms() < until) {
			free(status);
			xv_sleep_ms(100);
		}
		if (status) {
			struct xv_xmlrpc_reply r;
			const struct xv_xmlrpc_value *v, *f;
			if (!strcmp(status, "pending")) {
				call(s, &r, &v, &f, &ignored, "task.cancel", p->tasks[i],
				     (const char *)NULL);
				xv_xmlrpc_reply_release(&r);
			}
			call(s, &r, &v, &f, &ignored, "task.destroy", p->tasks[i],
			     (const char *)NULL);
			xv_xmlrpc_reply_release(&r);
		}
		free(status);
	}
	session_end(s);
}

void xv_xapi_close(struct xv_source *src)
{
	struct xapi_priv *p = src->priv;

	if (!p)
		return;
	if (p->n)
		forget_tasks(src, p);
	for (size_t i = 0; i < p->n; i++)
		free(p->tasks[i]);
	free(p->tasks);
	free(p);
	src->priv = NULL;
}
