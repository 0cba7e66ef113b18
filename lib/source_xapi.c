/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_xapi.c: xapi://[user@]host[:port][?options], XCP-ng and XenServer
 * through the XenAPI (XML-RPC over HTTPS).
 *
 * One host costs three round trips on one kept-alive connection:
 *
 *   session.login_with_password(user, password, "1.0", "xvmon")
 *        HOST_IS_SLAVE [master]  -> log in at the master instead (once)
 *   event.from(session, [pool, host, host_metrics, VM, VM_metrics], "", 0)
 *        every object of those classes as it is now, in one answer
 *        MESSAGE_METHOD_UNKNOWN  -> CLASS.get_all_records, one per class
 *        SESSION_INVALID         -> the session expired: log in again (once)
 *   session.logout(session)
 *
 * and xapi.c turns the records into the host's snapshot.  The session is
 * ended on every path: after the answer, after a failure, and when the
 * caller gives up (abandon(): the request in flight is dropped and a
 * logout sent; a login still in flight is waited for, then its session
 * ended), each logout with XV_ASYNC_CLEANUP_MS to finish.
 *
 * Options (docs/sources.md): password_file, password_env (default
 * XVMON_XAPI_PASSWORD), ca_file, verify (default yes), tls (default yes:
 * https on 443; no: http on 80), host (which host of the pool, when the
 * URI names its master). */
#include "source_impl.h"
#include "clock.h"
#include "credential.h"
#include "http.h"
#include "source_xapi.h"
#include "uri.h"
#include "util.h"
#include "xapi.h"
#include "xmlrpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A 2000-VM pool answers event.from with about 8 MB; a reply 8 times that
 * is not a pool but an attack on our memory. */
#define XAPI_MAX_REPLY (64u << 20)

const char *const xv_xapi_uri_keys[] = { "password_file", "password_env", "ca_file", "verify",
					"tls", "host", NULL };
#define xapi_keys xv_xapi_uri_keys

const char *xv_xapi_user(const struct xv_uri *u)
{
	return u->user ? u->user : XV_XAPI_DEFAULT_USER;
}

void xv_xapi_login_call(struct xv_buf *call, const struct xv_uri *u, const char *password)
{
	xv_xmlrpc_call_begin(call, "session.login_with_password");
	xv_xmlrpc_param_string(call, xv_xapi_user(u));
	xv_xmlrpc_param_string(call, password);
	xv_xmlrpc_param_string(call, "1.0");
	xv_xmlrpc_param_string(call, "xvmon/" XV_VERSION);
	xv_xmlrpc_call_end(call);
}

void xv_xapi_logout_call(struct xv_buf *call, const char *session)
{
	xv_xmlrpc_call_begin(call, "session.logout");
	xv_xmlrpc_param_string(call, session);
	xv_xmlrpc_call_end(call);
}

char *xv_xapi_base_url(const struct xv_uri *u, const char *host)
{
	struct xv_http_tls tls;
	bool use_tls;
	char *authority = xv_uri_authority(host ? host : u->host, u->port);
	char *url;

	xv_http_uri_tls(u, &tls, &use_tls);
	url = xv_asprintf("%s://%s", use_tls ? "https" : "http", authority);
	free(authority);
	return url;
}

const char *xv_xapi_slave_master(const struct xv_xmlrpc_value *failure, struct xv_error *e)
{
	const struct xv_xmlrpc_value *master = failure->first->next;

	if (!master || master->type != XV_XMLRPC_STRING || !master->len || master->len > 253 ||
	    strspn(master->str, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") !=
		    master->len) {
		xv_error(e, XV_E_HOST, "XenAPI: HOST_IS_SLAVE without a master address");
		return NULL;
	}
	return master->str;
}

static int xapi_check(const char *arg, struct xv_error *e)
{
	struct xv_uri u;
	int rc = xv_uri_parse("xapi", arg, xapi_keys, &u, e);

	if (rc == 0)
		rc = xv_http_uri_check("xapi", &u, e);
	xv_uri_release(&u);
	return rc;
}

static const char *xapi_caveat(const char *arg)
{
	struct xv_uri u;
	const char *why = NULL;

	if (xv_uri_parse("xapi", arg, xapi_keys, &u, NULL) == 0)
		why = xv_http_uri_caveat(&u);
	xv_uri_release(&u);
	return why;
}

/* --- one host ------------------------------------------------------------ */

enum step { LOGIN, DATA, LOGOUT };

/* The classes event.from is asked for, and the get_all_records order. */
static const char *const class_list[] = { "pool", "host", "host_metrics", "VM", "VM_metrics" };

struct xapi_engine {
	struct xv_loop *loop;
	struct xv_http *http;
	struct xapi_host *hosts; /* every host alive, answered or not */
};

struct xapi_host {
	struct xapi_engine *eng;
	struct xapi_host *prev, *next;
	struct xv_uri uri;
	char *password;
	char *scheme_authority; /* "https://host:port" of the current peer */
	char *origin;           /* the address the first login reached (a slave) */
	char *session;
	struct xv_http_conn *conn;
	uint64_t deadline_ms;
	enum step step;
	bool caller_gone;       /* done() ran or abandon() came: only clean up */
	bool redirected, relogged, records;
	size_t next_class;      /* get_all_records: the class asked now */
	struct xv_xmlrpc_reply replies[XV_XAPI_CLASSES];
	size_t n_replies;
	struct xv_xapi_tables tables;
	xv_async_done_fn *done;
	void *ctx;
};

static void release_data(struct xapi_host *h)
{
	xv_xapi_tables_release(&h->tables);
	for (size_t i = 0; i < h->n_replies; i++)
		xv_xmlrpc_reply_release(&h->replies[i]);
	h->n_replies = 0;
}

static void host_free(struct xapi_host *h)
{
	struct xapi_engine *eng = h->eng;

	if (h->prev)
		h->prev->next = h->next;
	else
		eng->hosts = h->next;
	if (h->next)
		h->next->prev = h->prev;
	xv_http_conn_free(h->conn);
	release_data(h);
	xv_credential_free(h->password);
	free(h->scheme_authority);
	free(h->origin);
	free(h->session);
	xv_uri_release(&h->uri);
	free(h);
}

/* Tells the caller; from now on the host only cleans up. */
static void report(struct xapi_host *h, struct xv_snapshot *snap, const struct xv_error *e)
{
	if (h->caller_gone)
		return;
	h->caller_gone = true;
	h->done(h->ctx, snap, e);
}

static void on_answer(void *ctx, const struct xv_error *e, const char *body, size_t len);

static const char *step_name(const struct xapi_host *h)
{
	switch (h->step) {
	case LOGIN:
		return "login";
	case DATA:
		return h->records ? "get_all_records" : "event.from";
	default:
		return "logout";
	}
}

static int post(struct xapi_host *h, const struct xv_buf *call, bool last, uint64_t deadline,
		struct xv_error *e)
{
	char *url = xv_asprintf("%s/", h->scheme_authority);
	struct xv_http_request req = { .url = url, .content_type = "text/xml",
				       .body = call->data, .body_len = call->len,
				       .deadline_ms = deadline, .last = last };
	int rc = xv_http_post(h->conn, &req, on_answer, h, e);

	free(url);
	return rc;
}

static int send_login(struct xapi_host *h, struct xv_error *e)
{
	struct xv_buf call = XV_BUF_INIT;
	int rc;

	xv_xapi_login_call(&call, &h->uri, h->password);
	h->step = LOGIN;
	/* a login outlives the caller's deadline a little: if it succeeds
	 * after all, its session is ended instead of leaked */
	rc = post(h, &call, false, h->deadline_ms + XV_ASYNC_CLEANUP_MS, e);
	explicit_bzero(call.data, call.len);
	xv_buf_release(&call);
	return rc;
}

static int send_data(struct xapi_host *h, struct xv_error *e)
{
	struct xv_buf call = XV_BUF_INIT;
	int rc;

	h->step = DATA;
	if (h->records) {
		char method[64];
		snprintf(method, sizeof(method), "%s.get_all_records", class_list[h->next_class]);
		xv_xmlrpc_call_begin(&call, method);
		xv_xmlrpc_param_string(&call, h->session);
	} else {
		xv_xmlrpc_call_begin(&call, "event.from");
		xv_xmlrpc_param_string(&call, h->session);
		xv_xmlrpc_param_strings(&call, class_list, XV_ARRAY_SIZE(class_list));
		xv_xmlrpc_param_string(&call, "");
		xv_xmlrpc_param_double(&call, 0.0);
	}
	xv_xmlrpc_call_end(&call);
	rc = post(h, &call, false, h->deadline_ms + XV_ASYNC_CLEANUP_MS, e);
	xv_buf_release(&call);
	return rc;
}

/* Ends the session, or the host when there is none.  The logout has the
 * time the host had (it is a round trip like the others), and at least
 * XV_ASYNC_CLEANUP_MS when that is over. */
static void logout(struct xapi_host *h)
{
	struct xv_buf call = XV_BUF_INIT;
	uint64_t now = xv_monotonic_ms();
	uint64_t deadline = h->deadline_ms > now + XV_ASYNC_CLEANUP_MS ? h->deadline_ms
									 : now + XV_ASYNC_CLEANUP_MS;

	xv_http_cancel(h->conn);
	if (!h->session) {
		host_free(h);
		return;
	}
	h->step = LOGOUT;
	xv_xapi_logout_call(&call, h->session);
	if (post(h, &call, true, deadline, NULL))
		host_free(h);
	xv_buf_release(&call);
}

static void give_up(struct xapi_host *h, const struct xv_error *e)
{
	report(h, NULL, e);
	logout(h);
}

static void finish(struct xapi_host *h)
{
	struct xv_xapi_which which = { xv_uri_option(&h->uri, "host"), NULL };
	struct xv_snapshot snap;
	struct xv_error e;

	if (!which.name && h->redirected)
		which.address = h->origin;
	if (xv_xapi_snapshot(&h->tables, &which, &snap, &e)) {
		release_data(h);
		give_up(h, &e);
		return;
	}
	release_data(h);
	report(h, &snap, NULL);
	logout(h);
}

/* A login answer that says HOST_IS_SLAVE: log in at the master. */
static int redirect(struct xapi_host *h, const struct xv_xmlrpc_value *failure,
		    struct xv_error *e)
{
	const char *master;

	if (h->redirected)
		return xv_error(e, XV_E_HOST, "XenAPI: the master the slave named is a slave too");
	if (!(master = xv_xapi_slave_master(failure, e)))
		return -1;
	h->redirected = true;
	h->origin = xv_strdup(xv_http_peer_address(h->conn));
	free(h->scheme_authority);
	h->scheme_authority = xv_xapi_base_url(&h->uri, master);
	return send_login(h, e);
}

static int on_success(struct xapi_host *h, const struct xv_xmlrpc_value *value,
		      struct xv_error *e)
{
	switch (h->step) {
	case LOGIN:
		if (value->type != XV_XMLRPC_STRING || strncmp(value->str, "OpaqueRef:", 10))
			return xv_error(e, XV_E_HOST, "XenAPI: the login answered no session");
		h->session = xv_strdup(value->str);
		if (h->caller_gone) {
			logout(h);
			return 1;
		}
		return send_data(h, e);
	case DATA:
		if (h->records) {
			if (xv_xapi_add_records(&h->tables, (enum xv_xapi_class)h->next_class, value, e))
				return -1;
			if (++h->next_class < XV_ARRAY_SIZE(class_list))
				return send_data(h, e);
		} else if (xv_xapi_add_events(&h->tables, value, e)) {
			return -1;
		}
		finish(h);
		return 1;
	case LOGOUT:
		break;
	}
	return 0;
}

/* What a Failure answer means at this step: 0 handled (a new request is on
 * its way), -1 the host fails with `e`. */
static int on_failure(struct xapi_host *h, const struct xv_xmlrpc_value *failure,
		      struct xv_error *e)
{
	const char *code = xv_xapi_failure_code(failure);

	if (h->step == LOGIN && !strcmp(code, "HOST_IS_SLAVE"))
		return redirect(h, failure, e);
	if (h->step == LOGIN && !strcmp(code, "SESSION_AUTHENTICATION_FAILED")) {
		xv_error(e, XV_E_HOST, "XenAPI: authentication failed for user '%s'",
			 xv_xapi_user(&h->uri));
		return -1;
	}
	if (h->step == DATA && !strcmp(code, "SESSION_INVALID") && !h->relogged) {
		/* expired between login and question: once more, from the start */
		h->relogged = true;
		free(h->session);
		h->session = NULL;
		release_data(h);
		h->next_class = 0;
		return send_login(h, e);
	}
	if (h->step == DATA && !strcmp(code, "MESSAGE_METHOD_UNKNOWN") && !h->records) {
		h->records = true;
		h->next_class = 0;
		return send_data(h, e);
	}
	xv_error_prefix(e, "XenAPI %s", step_name(h));
	return -1;
}

static void on_answer(void *ctx, const struct xv_error *err, const char *body, size_t len)
{
	struct xapi_host *h = ctx;
	struct xv_xmlrpc_reply reply;
	const struct xv_xmlrpc_value *value, *failure;
	struct xv_error e;
	int rc;

	if (h->step == LOGOUT) { /* whatever it says, the session is over */
		host_free(h);
		return;
	}
	if (err) {
		e = *err;
		xv_error_prefix(&e, "XenAPI at %s", h->scheme_authority);
		give_up(h, &e);
		return;
	}
	if (xv_xmlrpc_parse(body, len, &reply, &e)) {
		xv_error_prefix(&e, "XenAPI");
		give_up(h, &e);
		return;
	}
	if (xv_xapi_result(&reply, &value, &failure, &e) == 0) {
		/* the reply holds the records until the snapshot is built */
		if (h->step == DATA && h->n_replies < XV_XAPI_CLASSES) {
			h->replies[h->n_replies++] = reply;
			rc = on_success(h, value, &e);
		} else {
			rc = on_success(h, value, &e);
			xv_xmlrpc_reply_release(&reply);
		}
	} else {
		if (failure)
			rc = on_failure(h, failure, &e);
		else
			rc = -1, xv_error_prefix(&e, "XenAPI %s", step_name(h));
		xv_xmlrpc_reply_release(&reply);
	}
	if (rc < 0)
		give_up(h, &e);
}

/* --- the engine ---------------------------------------------------------- */

static int xapi_engine_new(struct xv_loop *loop, void **out, struct xv_error *e)
{
	struct xapi_engine *eng = xv_calloc(1, sizeof(*eng));

	eng->loop = loop;
	if (xv_http_new(loop, &eng->http, e)) {
		free(eng);
		*out = NULL;
		return -1;
	}
	*out = eng;
	return 0;
}

static int xapi_start(void *engine, const char *arg, uint64_t deadline_ms, xv_async_done_fn *done,
		      void *ctx, struct xv_async_snap **out, struct xv_error *e)
{
	struct xapi_engine *eng = engine;
	struct xapi_host *h = xv_calloc(1, sizeof(*h));
	struct xv_http_tls tls = { .verify = true };
	bool use_tls;

	h->eng = eng;
	h->deadline_ms = deadline_ms;
	h->done = done;
	h->ctx = ctx;
	xv_xapi_tables_init(&h->tables);
	if (xv_uri_parse("xapi", arg, xapi_keys, &h->uri, e) ||
	    xv_credential_password("xapi", &h->uri, XV_XAPI_PASSWORD_ENV, &h->password, e))
		goto fail;
	xv_http_uri_tls(&h->uri, &tls, &use_tls);
	h->scheme_authority = xv_xapi_base_url(&h->uri, NULL);
	h->conn = xv_http_conn_new(eng->http, &tls, XAPI_MAX_REPLY);
	/* linked first: send_login() may fail, and host_free() unlinks */
	h->next = eng->hosts;
	if (eng->hosts)
		eng->hosts->prev = h;
	eng->hosts = h;
	if (send_login(h, e)) {
		host_free(h);
		return -1;
	}
	*out = (struct xv_async_snap *)h;
	return 0;
fail:
	xv_credential_free(h->password);
	xv_uri_release(&h->uri);
	free(h);
	return -1;
}

static void xapi_abandon(struct xv_async_snap *as)
{
	struct xapi_host *h = (struct xapi_host *)as;

	h->caller_gone = true;
	/* a login in flight may still bring a session to end */
	if (h->step == LOGIN && xv_http_busy(h->conn))
		return;
	logout(h);
}

static bool xapi_engine_busy(void *engine)
{
	struct xapi_engine *eng = engine;

	return eng->hosts != NULL;
}

static void xapi_engine_free(void *engine)
{
	struct xapi_engine *eng = engine;

	while (eng->hosts)
		host_free(eng->hosts);
	xv_http_free(eng->http);
	free(eng);
}

/* What one host's connection needs (http.h); a redirect to the master
 * replaces it. */
static unsigned xapi_fds_for(const char *arg)
{
	struct xv_uri u;
	unsigned fds = 2;

	if (xv_uri_parse("xapi", arg, xapi_keys, &u, NULL) == 0) {
		char *url = xv_xapi_base_url(&u, NULL);
		fds = xv_http_fds_for_url(url);
		free(url);
	}
	xv_uri_release(&u);
	return fds;
}

static const struct xv_source_async_ops xapi_async = {
	.engine_new = xapi_engine_new,
	.start = xapi_start,
	.abandon = xapi_abandon,
	.engine_busy = xapi_engine_busy,
	.engine_free = xapi_engine_free,
	/* the connection, and room for a second one while a redirect is
	 * followed or for the resolver's socket pair while a name is looked up */
	.fds_per_host = 2,
	.fds_for = xapi_fds_for,
	.process_per_host = false,
};

const struct xv_source_ops xv_source_xapi_ops = {
	.scheme = "xapi",
	.check = xapi_check,
#if XV_HAVE_CURL
	.async = &xapi_async,
#endif
	.caveat = xapi_caveat,
	.shutdown = xv_xapi_shutdown,
	.destroy = xv_xapi_destroy,
	.pause = xv_xapi_pause,
	.close = xv_xapi_close,
	.console = xv_xapi_console,
	.create_from_template = xv_xapi_create,
	.export_config = xv_xapi_export,
};
