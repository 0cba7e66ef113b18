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
 * The whole sequence has the source's deadline (xv_source_set_deadline(),
 * else XV_SOURCE_DEFAULT_TIMEOUT_MS), the logout XV_ASYNC_CLEANUP_MS more at
 * least.  Failures are the host's (XV_E_HOST, "CODE: params" as XenAPI says
 * them, e.g. VM_BAD_POWER_STATE) or a timeout. */
#include "source_xapi.h"
#include "clock.h"
#include "credential.h"
#include "http.h"
#include "loop.h"
#include "text.h"
#include "util.h"
#include "xapi.h"

#include <stdarg.h>
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

/* One XenAPI call with string parameters: 0 with *value in `reply`, or -1
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
	while ((p = va_arg(ap, const char *)))
		xv_xmlrpc_param_string(&c, p);
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

/* Logs in at the pool master `src` reaches: a session, or NULL with `e`. */
static struct session *session_begin(struct xv_source *src, struct xv_error *e)
{
	struct session *s = xv_calloc(1, sizeof(*s));
	struct xv_http_tls tls;
	bool use_tls;

	s->deadline_ms = src->deadline_ms ? src->deadline_ms
					  : xv_monotonic_ms() + XV_SOURCE_DEFAULT_TIMEOUT_MS;
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

static bool member_true(const struct xv_xmlrpc_value *rec, const char *name)
{
	const struct xv_xmlrpc_value *v = xv_xmlrpc_member(rec, name);

	return v && v->type == XV_XMLRPC_BOOL && v->num;
}

/* The one VM of the pool named `name` (a malloc'ed reference), or NULL. */
static char *find_vm(struct session *s, const char *name, struct xv_error *e)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *refs, *failure;
	char *found = NULL;
	size_t n = 0;

	if (call(s, &r, &refs, &failure, e, "VM.get_by_name_label", name, (const char *)NULL))
		goto out;
	if (refs->type != XV_XMLRPC_ARRAY) {
		xv_error(e, XV_E_HOST, "XenAPI VM.get_by_name_label: answered a %s, not an array",
			 xv_xmlrpc_type_name(refs->type));
		goto out;
	}
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		struct xv_xmlrpc_reply rr;
		const struct xv_xmlrpc_value *rec, *f;
		bool control, skip;

		if (ref->type != XV_XMLRPC_STRING || strncmp(ref->str, "OpaqueRef:", 10)) {
			xv_error(e, XV_E_HOST, "XenAPI VM.get_by_name_label: not a reference");
			goto fail;
		}
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

int xv_xapi_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	/* the asynchronous form answers with its task at once; the caller
	 * watches the VM leave (xv_source_shutdown_wait()), and XAPI collects
	 * the finished task of a session that is gone */
	return vm_call(src, name, "Async.VM.clean_shutdown", e);
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
	const struct xv_xmlrpc_value *refs, *failure;
	char *vm, *chosen = NULL;
	int rc = -1;

	if (!s)
		return -1;
	if (!(vm = find_vm(s, name, e)))
		goto out;
	if (call(s, &r, &refs, &failure, e, "VM.get_consoles", vm, (const char *)NULL))
		goto release;
	if (refs->type != XV_XMLRPC_ARRAY) {
		xv_error(e, XV_E_HOST, "XenAPI VM.get_consoles: answered a %s, not an array",
			 xv_xmlrpc_type_name(refs->type));
		goto release;
	}
	/* the graphical (rfb) console if there is one, else the text one */
	for (const struct xv_xmlrpc_value *ref = refs->first; ref; ref = ref->next) {
		struct xv_xmlrpc_reply pr;
		const struct xv_xmlrpc_value *proto, *f;
		bool rfb, vt100;

		if (ref->type != XV_XMLRPC_STRING || strncmp(ref->str, "OpaqueRef:", 10)) {
			xv_error(e, XV_E_HOST, "XenAPI VM.get_consoles: not a reference");
			goto release;
		}
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

int xv_xapi_export(struct xv_source *src, struct xv_buf *out, char **file_name,
		   struct xv_error *e)
{
	(void)out;
	(void)file_name;
	/* the dump is not an XML-RPC call but an HTTP GET of
	 * /pool/xmlrpc_dump?session_id=..., which the HTTP engine (POST only)
	 * does not do yet */
	return xv_error(e, XV_E_UNSUPPORTED,
			"%s: the pool database dump (HTTP GET /pool/xmlrpc_dump) is not supported "
			"by xapi:// yet: save it on the master with 'xe pool-dump-database "
			"file-name=FILE'",
			src->uri);
}
