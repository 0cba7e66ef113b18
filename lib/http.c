/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http.c: libcurl multi on the event loop.
 *
 * libcurl is opened with dlopen() when the first network engine starts, as
 * the Xen libraries are by the xen: source: it drags in some thirty shared
 * libraries (TLS, HTTP/2, LDAP, Kerberos ...), which would triple the start
 * time of every plugin run on sim: or xen: (measured: 28 ms against 8.5 ms
 * for an empty program).  Its soname is read at build time. */
#include "http.h"
#include "http_plain.h"
#include "clock.h"
#include "num.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int xv_http_uri_check(const char *scheme, const struct xv_uri *u, struct xv_error *e)
{
	int tls = xv_uri_bool(u, scheme, "tls", 1, e);

	if (tls < 0 || xv_uri_bool(u, scheme, "verify", 1, e) < 0)
		return -1;
	if (!tls && xv_uri_option(u, "ca_file"))
		return xv_error(e, XV_E_CONFIG, "source %s://%s: ca_file without TLS (tls=no)", scheme,
				u->host);
	return 0;
}

void xv_http_uri_tls(const struct xv_uri *u, struct xv_http_tls *tls, bool *use_tls)
{
	*use_tls = xv_uri_bool(u, "", "tls", 1, NULL) != 0;
	tls->verify = xv_uri_bool(u, "", "verify", 1, NULL) != 0;
	tls->ca_file = xv_uri_option(u, "ca_file");
}

const char *xv_http_uri_caveat(const struct xv_uri *u)
{
	if (!xv_uri_bool(u, "", "tls", 1, NULL))
		return "plain HTTP: the password crosses the network unencrypted (tls=no)";
	if (!xv_uri_bool(u, "", "verify", 1, NULL))
		return "TLS certificate not verified (verify=no)";
	return NULL;
}

/* Whether the plain client serves `url`: http:// to an address, unless
 * the environment names a proxy, which libcurl honours (http_proxy,
 * all_proxy, and no_proxy for the exceptions) and the plain client does
 * not. */
static bool plain_serves(const char *url)
{
	static const char *const proxies[] = { "http_proxy", "all_proxy", "ALL_PROXY" };

	for (size_t i = 0; i < XV_ARRAY_SIZE(proxies); i++) {
		const char *v = getenv(proxies[i]);
		if (v && *v)
			return false;
	}
	return xv_http_plain_takes(url);
}

unsigned xv_http_fds_for_url(const char *url)
{
	return plain_serves(url) ? 1 : 2;
}

#if XV_HAVE_CURL

/* no type-checking macros: the calls go through pointers (below) */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#define CURL_SYMBOLS(X)                                                        \
	X(curl_global_init)                                                    \
	X(curl_easy_init)                                                      \
	X(curl_easy_setopt)                                                    \
	X(curl_easy_getinfo)                                                   \
	X(curl_easy_cleanup)                                                   \
	X(curl_easy_strerror)                                                  \
	X(curl_multi_init)                                                     \
	X(curl_multi_setopt)                                                   \
	X(curl_multi_add_handle)                                               \
	X(curl_multi_remove_handle)                                            \
	X(curl_multi_socket_action)                                            \
	X(curl_multi_info_read)                                                \
	X(curl_multi_cleanup)                                                  \
	X(curl_multi_strerror)                                                 \
	X(curl_slist_append)                                                   \
	X(curl_slist_free_all)

static struct {
#define DECLARE(name) __typeof__(name) *p_##name;
	CURL_SYMBOLS(DECLARE)
#undef DECLARE
} api;

/* From here on, every curl_* call goes through the table. */
#undef curl_global_init
#define curl_global_init api.p_curl_global_init
#undef curl_easy_init
#define curl_easy_init api.p_curl_easy_init
#undef curl_easy_setopt
#define curl_easy_setopt api.p_curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_getinfo api.p_curl_easy_getinfo
#undef curl_easy_cleanup
#define curl_easy_cleanup api.p_curl_easy_cleanup
#undef curl_easy_strerror
#define curl_easy_strerror api.p_curl_easy_strerror
#undef curl_multi_init
#define curl_multi_init api.p_curl_multi_init
#undef curl_multi_setopt
#define curl_multi_setopt api.p_curl_multi_setopt
#undef curl_multi_add_handle
#define curl_multi_add_handle api.p_curl_multi_add_handle
#undef curl_multi_remove_handle
#define curl_multi_remove_handle api.p_curl_multi_remove_handle
#undef curl_multi_socket_action
#define curl_multi_socket_action api.p_curl_multi_socket_action
#undef curl_multi_info_read
#define curl_multi_info_read api.p_curl_multi_info_read
#undef curl_multi_cleanup
#define curl_multi_cleanup api.p_curl_multi_cleanup
#undef curl_multi_strerror
#define curl_multi_strerror api.p_curl_multi_strerror
#undef curl_slist_append
#define curl_slist_append api.p_curl_slist_append
#undef curl_slist_free_all
#define curl_slist_free_all api.p_curl_slist_free_all

/* Connections are spread over multi handles of at most GROUP_SIZE each:
 * libcurl 7.88's curl_multi_remove_handle() walks every socket of its multi
 * handle, which made one shared multi handle quadratic (15% of the CPU time
 * with 2000 hosts, most of it with 10 000). */
#define GROUP_SIZE 64

struct group {
	struct xv_http *h;
	struct group *next;
	CURLM *multi;
	struct xv_loop_timer timer;
	unsigned conns;
};

struct xv_http {
	struct xv_loop *loop;
	struct group *groups; /* the newest, which takes new connections, first */
	struct curl_slist *headers;
};

struct xv_http_conn {
	struct xv_http *h;
	struct group *g;
	CURL *easy;       /* made at the first request libcurl serves */
	struct xv_http_plain *plain; /* made at the first it does not (http_plain.h) */
	bool plain_last;  /* the last request went to `plain` */
	bool verify;
	char *ca_file;
	bool busy, too_big;
	size_t max_body;
	struct xv_buf body;
	char *post; /* the request body, owned while in flight */
	char *url, *userpwd;
	xv_http_done_fn *done;
	void *ctx;
	char peer[64];
	long status;
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static char global_error[512]; /* empty: loaded and initialised */

static void global_init(void)
{
	void *lib = dlopen(XV_SONAME_CURL, RTLD_NOW | RTLD_LOCAL);
	CURLcode rc;

	if (!lib) {
		xv_set_error(global_error, sizeof(global_error),
			     "cannot load libcurl (%s): %s: install libcurl4", XV_SONAME_CURL,
			     dlerror());
		return;
	}
#define RESOLVE(name)                                                                  \
	if (!(*(void **)&api.p_##name = dlsym(lib, #name))) {                              \
		xv_set_error(global_error, sizeof(global_error),                       \
			     "libcurl (%s) lacks %s: it is older than 7.85", XV_SONAME_CURL, \
			     #name);                                                   \
		return;                                                                \
	}
	CURL_SYMBOLS(RESOLVE)
#undef RESOLVE
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		xv_set_error(global_error, sizeof(global_error), "cannot initialise libcurl: %s",
			     curl_easy_strerror(rc));
}

static void check_done(struct group *g);

static void on_socket_event(void *ctx, int fd, unsigned events)
{
	struct group *g = ctx;
	int mask = 0, running;

	if (events & XV_LOOP_IN)
		mask |= CURL_CSELECT_IN;
	if (events & XV_LOOP_OUT)
		mask |= CURL_CSELECT_OUT;
	if (events & XV_LOOP_ERR)
		mask |= CURL_CSELECT_ERR;
	curl_multi_socket_action(g->multi, fd, mask, &running);
	check_done(g);
}

static void on_timer(void *ctx)
{
	struct group *g = ctx;
	int running;

	curl_multi_socket_action(g->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(g);
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct group *g = userp;
	unsigned events = 0;

	if (what == CURL_POLL_REMOVE) {
		xv_loop_unwatch(g->h->loop, s);
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= XV_LOOP_IN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= XV_LOOP_OUT;
	/* cannot fail for a valid descriptor but for lack of memory, which
	 * dies in xv_grow(); a refused one shows as that transfer timing out */
	xv_loop_watch(g->h->loop, s, events, on_socket_event, g, NULL);
	return 0;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct group *g = userp;

	if (timeout_ms < 0)
		xv_loop_timer_cancel(g->h->loop, &g->timer);
	else
		xv_loop_timer_arm(g->h->loop, &g->timer, xv_monotonic_ms() + (uint64_t)timeout_ms);
	return 0;
}

/* A group with room for one more connection. */
static struct group *group_for_new_conn(struct xv_http *h)
{
	struct group *g = h->groups;

	if (g && g->conns < GROUP_SIZE)
		return g;
	g = xv_calloc(1, sizeof(*g));
	g->h = h;
	g->multi = curl_multi_init();
	if (!g->multi)
		xv_die("out of memory");
	xv_loop_timer_init(&g->timer, on_timer, g);
	curl_multi_setopt(g->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(g->multi, CURLMOPT_SOCKETDATA, g);
	curl_multi_setopt(g->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(g->multi, CURLMOPT_TIMERDATA, g);
	/* one request per connection at a time; no HTTP/2 multiplexing with
	 * peers that speak HTTP/1.0 and 1.1 */
	curl_multi_setopt(g->multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING);
	g->next = h->groups;
	h->groups = g;
	return g;
}

int xv_http_new(struct xv_loop *loop, struct xv_http **out, struct xv_error *e)
{
	struct xv_http *h;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (global_error[0])
		return xv_error(e, XV_E_UNSUPPORTED, "%s", global_error);
	h = xv_calloc(1, sizeof(*h));
	h->loop = loop;
	h->headers = curl_slist_append(NULL, "Expect:"); /* no 100-continue round trip */
	*out = h;
	return 0;
}

void xv_http_free(struct xv_http *h)
{
	if (!h)
		return;
	while (h->groups) {
		struct group *g = h->groups;
		h->groups = g->next;
		curl_multi_cleanup(g->multi);
		xv_loop_timer_cancel(h->loop, &g->timer);
		free(g);
	}
	curl_slist_free_all(h->headers);
	free(h);
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct xv_http_conn *c = userp;

	if (c->body.len + n > c->max_body) {
		c->too_big = true;
		return 0; /* aborts the transfer */
	}
	xv_buf_add(&c->body, data, n);
	return n;
}

struct xv_http_conn *xv_http_conn_new(struct xv_http *h, const struct xv_http_tls *tls,
				      size_t max_body)
{
	struct xv_http_conn *c = xv_calloc(1, sizeof(*c));

	c->h = h;
	c->max_body = max_body;
	c->verify = tls->verify;
	c->ca_file = tls->ca_file ? xv_strdup(tls->ca_file) : NULL;
	xv_buf_init(&c->body);
	return c;
}

/* The easy handle, made when libcurl serves its first request: a host
 * reached over plain HTTP at an address never needs one. */
static void curl_setup(struct xv_http_conn *c)
{
	CURL *easy;

	if (c->easy)
		return;
	easy = curl_easy_init();
	if (!easy)
		xv_die("out of memory");
	c->g = group_for_new_conn(c->h);
	c->g->conns++;
	c->easy = easy;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, c);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, c->h->headers);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "xvmon/" XV_VERSION);
	curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
	/* the receive buffer lives as long as the handle: small, since
	 * thousands are alive at once (big answers just take more reads) */
	curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 1024L);
	/* every host has its own name: a DNS cache gains nothing, and curl
	 * prunes it by walking all of it at every lookup (quadratic: 43% of
	 * the CPU time with 3000 hosts) */
	curl_easy_setopt(easy, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); /* big pools compress well */
	/* an answer that announces more than the limit is refused before it
	 * comes (one that does not is cut off in on_body()) */
	curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, c->verify ? 1L : 0L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, c->verify ? 2L : 0L);
	if (c->ca_file)
		curl_easy_setopt(easy, CURLOPT_CAINFO, c->ca_file);
}

static void stop(struct xv_http_conn *c)
{
	xv_http_plain_cancel(c->plain);
	if (c->busy)
		curl_multi_remove_handle(c->g->multi, c->easy);
	c->busy = false;
	free(c->post);
	c->post = NULL;
}

void xv_http_cancel(struct xv_http_conn *c)
{
	if (c)
		stop(c);
}

bool xv_http_busy(const struct xv_http_conn *c)
{
	return c->busy || xv_http_plain_busy(c->plain);
}

const char *xv_http_peer_address(const struct xv_http_conn *c)
{
	return c->plain_last ? xv_http_plain_peer_address(c->plain) : c->peer;
}

long xv_http_status(const struct xv_http_conn *c)
{
	return c->plain_last ? xv_http_plain_status(c->plain) : c->status;
}

void xv_http_conn_free(struct xv_http_conn *c)
{
	if (!c)
		return;
	stop(c);
	xv_http_plain_free(c->plain);
	if (c->easy) {
		curl_easy_cleanup(c->easy);
		c->g->conns--; /* the group stays until the engine goes */
	}
	free(c->ca_file);
	xv_buf_release(&c->body);
	free(c->url);
	if (c->userpwd)
		explicit_bzero(c->userpwd, strlen(c->userpwd));
	free(c->userpwd);
	free(c);
}

int xv_http_post(struct xv_http_conn *c, const struct xv_http_request *req, xv_http_done_fn *done,
		 void *ctx, struct xv_error *e)
{
	CURL *easy;
	uint64_t left = xv_ms_left(req->deadline_ms);
	CURLMcode mrc;

	if (xv_http_busy(c))
		return xv_error(e, XV_E_SOFTWARE, "http: a request is already in flight");
	if (!left)
		return xv_error(e, XV_E_TIMEOUT, "no time left to ask");
	if (plain_serves(req->url)) {
		if (!c->plain)
			c->plain = xv_http_plain_new(c->h->loop, c->max_body);
		c->plain_last = true;
		return xv_http_plain_post(c->plain, req, done, ctx, e);
	}
	/* libcurl from here: a connection the plain client kept is not needed */
	xv_http_plain_free(c->plain);
	c->plain = NULL;
	c->plain_last = false;
	curl_setup(c);
	easy = c->easy;
	free(c->url);
	c->url = xv_strdup(req->url);
	if (c->userpwd)
		explicit_bzero(c->userpwd, strlen(c->userpwd));
	free(c->userpwd);
	c->userpwd = req->userpwd ? xv_strdup(req->userpwd) : NULL;
	if (!req->get) {
		c->post = xv_malloc(req->body_len + 1);
		memcpy(c->post, req->body, req->body_len);
	}
	xv_buf_reset(&c->body);
	c->too_big = false;
	c->status = 0;
	c->errbuf[0] = '\0';
	curl_easy_setopt(easy, CURLOPT_URL, c->url);
	if (req->get) {
		curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(easy, CURLOPT_POST, 1L);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, c->post);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
	curl_easy_setopt(easy, CURLOPT_USERPWD, c->userpwd);
	curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, req->last ? 1L : 0L);
	/* a backstop: the source's own deadline normally comes first */
	if (left > (uint64_t)LONG_MAX)
		left = LONG_MAX;
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
	c->done = done;
	c->ctx = ctx;
	mrc = curl_multi_add_handle(c->g->multi, easy);
	if (mrc != CURLM_OK) {
		free(c->post);
		c->post = NULL;
		return xv_error(e, mrc == CURLM_OUT_OF_MEMORY ? XV_E_LOCAL : XV_E_SOFTWARE,
				"http: cannot start a request: %s", curl_multi_strerror(mrc));
	}
	c->busy = true;
	return 0;
}

static enum xv_error_code classify(CURLcode rc, long os_errno)
{
	if (xv_errno_code((int)os_errno) == XV_E_LOCAL)
		return XV_E_LOCAL;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return XV_E_TIMEOUT;
	case CURLE_OUT_OF_MEMORY:
	case CURLE_FAILED_INIT:
		return XV_E_LOCAL;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return XV_E_CONFIG;
	default:
		return XV_E_HOST;
	}
}

static void finish(struct xv_http_conn *c, CURLcode rc)
{
	struct xv_error err;
	const struct xv_error *ep = NULL;
	long status = 0, os_errno = 0;
	char *ip = NULL;
	xv_http_done_fn *done = c->done;
	void *ctx = c->ctx;
	struct xv_buf body;

	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	c->status = status;
	curl_easy_getinfo(c->easy, CURLINFO_OS_ERRNO, &os_errno);
	if (curl_easy_getinfo(c->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
		xv_strlcpy(c->peer, ip, sizeof(c->peer));
	stop(c);
	if (rc == CURLE_FILESIZE_EXCEEDED)
		c->too_big = true;
	if (c->too_big) {
		char limit[32];
		xv_format_kib(c->max_body / 1024, limit, sizeof(limit));
		xv_error(&err, XV_E_HOST, "the answer is larger than %s", limit);
		ep = &err;
	} else if (rc != CURLE_OK) {
		const char *why = c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
		enum xv_error_code code = classify(rc, os_errno);
		if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
			xv_error(&err, code, "TLS: %s (give the CA with ca_file=PEM)", why);
		else if (code == XV_E_TIMEOUT)
			xv_error(&err, code, "no answer in time (%s)", why);
		else
			xv_error(&err, code, "%s", why);
		ep = &err;
	} else if (status == 401 || status == 403) {
		xv_error(&err, XV_E_HOST, "authentication failed (HTTP %ld)", status);
		ep = &err;
	} else if (status != 200) {
		xv_error(&err, XV_E_HOST, "the peer answered HTTP %ld", status);
		ep = &err;
	}
	/* the callback may free the connection or start its next request; the
	 * body is the callback's, freed when it returns (thousands of hosts
	 * waiting for their next answer hold no old one) */
	body = c->body;
	xv_buf_init(&c->body);
	done(ctx, ep, ep ? NULL : body.data, ep ? 0 : body.len);
	xv_buf_release(&body);
}

static void check_done(struct group *g)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(g->multi, &left))) {
		struct xv_http_conn *c = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
		if (c)
			finish(c, msg->data.result);
	}
}

#else /* !XV_HAVE_CURL */

int xv_http_new(struct xv_loop *loop, struct xv_http **out, struct xv_error *e)
{
	*out = NULL;
	return xv_error(e, XV_E_UNSUPPORTED, "built without libcurl");
}

void xv_http_free(struct xv_http *h)
{
}

struct xv_http_conn *xv_http_conn_new(struct xv_http *h, const struct xv_http_tls *tls,
				      size_t max_body)
{
	return NULL;
}

int xv_http_post(struct xv_http_conn *c, const struct xv_http_request *req, xv_http_done_fn *done,
		 void *ctx, struct xv_error *e)
{
	return xv_error(e, XV_E_UNSUPPORTED, "built without libcurl");
}

void xv_http_cancel(struct xv_http_conn *c)
{
}

bool xv_http_busy(const struct xv_http_conn *c)
{
	return false;
}

const char *xv_http_peer_address(const struct xv_http_conn *c)
{
	return "";
}

long xv_http_status(const struct xv_http_conn *c)
{
	return 0;
}

void xv_http_conn_free(struct xv_http_conn *c)
{
}

#endif
