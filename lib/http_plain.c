/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http_plain.c: plain HTTP/1.1 to an address (http_plain.h).
 *
 * One request at a time per connection: connect (non-blocking), write the
 * request, read the answer, keep the connection for the next request unless
 * the peer or the caller ends it.  A request sent on a kept-alive
 * connection that the peer closed meanwhile (EOF or reset before a byte of
 * answer) is sent once more on a new connection, as browsers and libcurl
 * do.  Failures are reported from the loop, never from inside
 * xv_http_plain_post(), with the codes http.h lists. */
#include "http_plain.h"
#include "http_answer.h"
#include "clock.h"
#include "num.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes asked of each recv(): a whole XenAPI answer of a small pool. */
#define READ_CHUNK (32u << 10)

struct target {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char host[64]; /* the address as the URL gives it, for Host: */
	unsigned port;
	const char *path;
};

struct xv_http_plain {
	struct xv_loop *loop;
	int fd;                  /* -1: no connection */
	struct sockaddr_storage peer_addr;
	socklen_t peer_len;
	bool connected;          /* the connect() completed */
	unsigned watching;       /* the events asked of the loop */
	bool busy, last, reused, retried;
	struct xv_buf out;       /* the request */
	size_t out_done;
	struct xv_http_answer answer;
	long status;             /* of the last answer, kept after it is handed over */
	bool in_post;            /* inside xv_http_plain_post(): failures wait for the loop */
	char peer[64];
	uint64_t started_ms;
	struct xv_loop_timer timer;
	bool failing;            /* the timer reports `failure`, not the deadline */
	struct xv_error failure;
	xv_http_done_fn *done;
	void *ctx;
};

/* --- URLs ---------------------------------------------------------------- */

static bool parse_url(const char *url, struct target *t)
{
	const char *a, *end, *colon = NULL;
	size_t n;

	memset(t, 0, sizeof(*t));
	if (strncmp(url, "http://", 7))
		return false;
	a = url + 7;
	end = a + strcspn(a, "/?#");
	t->path = *end == '/' ? end : "/";
	if (*end && *end != '/')
		return false;
	if (*a == '[') {
		const char *close = memchr(a, ']', (size_t)(end - a));
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->addr;
		if (!close || (n = (size_t)(close - a - 1)) >= sizeof(t->host) - 2)
			return false;
		memcpy(t->host + 1, a + 1, n);
		t->host[n + 1] = '\0';
		if (inet_pton(AF_INET6, t->host + 1, &s6->sin6_addr) != 1)
			return false;
		t->host[0] = '[';
		t->host[n + 1] = ']';
		t->host[n + 2] = '\0';
		s6->sin6_family = AF_INET6;
		t->addr_len = sizeof(*s6);
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return false;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&t->addr;
		colon = memchr(a, ':', (size_t)(end - a));
		n = (size_t)((colon ? colon : end) - a);
		if (n >= sizeof(t->host))
			return false;
		memcpy(t->host, a, n);
		t->host[n] = '\0';
		if (inet_pton(AF_INET, t->host, &s4->sin_addr) != 1)
			return false;
		s4->sin_family = AF_INET;
		t->addr_len = sizeof(*s4);
	}
	t->port = 80;
	if (colon) {
		char port[8];
		uint64_t v;
		n = (size_t)(end - colon - 1);
		if (!n || n >= sizeof(port))
			return false;
		memcpy(port, colon + 1, n);
		port[n] = '\0';
		if (xv_parse_u64(port, 1, 65535, &v))
			return false;
		t->port = (unsigned)v;
	}
	if (t->addr.ss_family == AF_INET)
		((struct sockaddr_in *)&t->addr)->sin_port = htons((uint16_t)t->port);
	else
		((struct sockaddr_in6 *)&t->addr)->sin6_port = htons((uint16_t)t->port);
	return true;
}

bool xv_http_plain_takes(const char *url)
{
	struct target t;

	return parse_url(url, &t);
}

/* --- the connection ------------------------------------------------------ */

static void on_io(void *ctx, int fd, unsigned events);

static void watch(struct xv_http_plain *p, unsigned events)
{
	if (p->watching == events)
		return;
	/* cannot fail on a valid descriptor but for lack of memory, which
	 * dies in xv_grow(); a refused watch shows as the request timing out */
	xv_loop_watch(p->loop, p->fd, events, on_io, p, NULL);
	p->watching = events;
}

static void close_conn(struct xv_http_plain *p)
{
	if (p->fd < 0)
		return;
	xv_loop_unwatch(p->loop, p->fd);
	close(p->fd);
	p->fd = -1;
	p->watching = 0;
	p->connected = false;
}

static bool same_peer(const struct xv_http_plain *p, const struct target *t)
{
	return p->fd >= 0 && p->peer_len == t->addr_len &&
	       !memcmp(&p->peer_addr, &t->addr, t->addr_len);
}

/* The request holds the password (basic authentication). */
static void out_clear(struct xv_http_plain *p)
{
	if (p->out.data)
		explicit_bzero(p->out.data, p->out.alloc);
	xv_buf_release(&p->out);
}

/* Ends the request with `e` (NULL: the answer is complete and good). */
static void finish(struct xv_http_plain *p, const struct xv_error *e)
{
	xv_http_done_fn *done = p->done;
	void *ctx = p->ctx;
	struct xv_error err;
	const struct xv_error *ep = e;
	struct xv_buf answer = XV_BUF_INIT;
	const char *body = NULL;
	size_t len = 0;

	xv_loop_timer_cancel(p->loop, &p->timer);
	p->busy = false;
	out_clear(p);
	p->status = p->answer.status;
	if (!ep && p->answer.status != 200) {
		if (p->answer.status == 401 || p->answer.status == 403)
			xv_error(&err, XV_E_HOST, "authentication failed (HTTP %ld)",
				 p->answer.status);
		else
			xv_error(&err, XV_E_HOST, "the peer answered HTTP %ld", p->answer.status);
		ep = &err;
	}
	/* a connection kept stays watched for input: while it is idle, that
	 * can only be the peer closing it (on_io() closes it too) */
	if (ep || !p->answer.keep || p->last)
		close_conn(p);
	/* the callback may free the connection or start its next request;
	 * the answer is the callback's, freed when it returns */
	if (!ep)
		xv_http_answer_take_body(&p->answer, &answer, &body, &len);
	xv_http_answer_reset(&p->answer);
	done(ctx, ep, body, len);
	xv_buf_release(&answer);
}

static void fail(struct xv_http_plain *p, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail_later(struct xv_http_plain *p, const struct xv_error *e);

static void fail(struct xv_http_plain *p, enum xv_error_code code, const char *fmt, ...)
{
	struct xv_error e;
	va_list ap;

	va_start(ap, fmt);
	xv_verror(&e, code, fmt, ap);
	va_end(ap);
	if (p->in_post) /* done() never runs from inside the call that starts a request */
		fail_later(p, &e);
	else
		finish(p, &e);
}

/* Reports a failure found inside xv_http_plain_post() from the loop. */
static void fail_later(struct xv_http_plain *p, const struct xv_error *e)
{
	p->failure = *e;
	p->failing = true;
	close_conn(p);
	xv_loop_timer_arm(p->loop, &p->timer, 0);
}

static void on_timer(void *ctx)
{
	struct xv_http_plain *p = ctx;

	if (p->failing) {
		struct xv_error e = p->failure;
		p->failing = false;
		finish(p, &e);
		return;
	}
	fail(p, XV_E_TIMEOUT, "no answer in time (Operation timed out after %llu milliseconds "
	     "with %zu bytes received)",
	     (unsigned long long)(xv_monotonic_ms() - p->started_ms), p->answer.received);
}

/* Opens a connection to the request's peer; false: failed (reported). */
static bool open_conn(struct xv_http_plain *p, const struct target *t)
{
	int one = 1, err;

	close_conn(p);
	p->fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		err = errno;
		fail(p, xv_errno_code(err), "cannot open a socket: %s", strerror(err));
		return false;
	}
	setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memcpy(&p->peer_addr, &t->addr, t->addr_len);
	p->peer_len = t->addr_len;
	inet_ntop(t->addr.ss_family,
		  t->addr.ss_family == AF_INET
			  ? (const void *)&((const struct sockaddr_in *)&t->addr)->sin_addr
			  : (const void *)&((const struct sockaddr_in6 *)&t->addr)->sin6_addr,
		  p->peer, sizeof(p->peer));
	if (connect(p->fd, (const struct sockaddr *)&t->addr, t->addr_len) == 0) {
		p->connected = true;
	} else if (errno != EINPROGRESS) {
		err = errno;
		fail(p, xv_errno_code(err), "Failed to connect to %s port %u: %s", p->peer, t->port,
			   strerror(err));
		return false;
	}
	p->reused = false;
	return true;
}

/* A connect() still in progress when the request is written: the write
 * waits for it (EAGAIN); on the loopback or a fast network the handshake
 * is often over already, and the request goes at once. */
static bool still_connecting(int err)
{
	return err == EAGAIN || err == ENOTCONN || err == EINPROGRESS || err == EALREADY;
}

/* --- the answer ---------------------------------------------------------- */

/* --- sending and receiving ----------------------------------------------- */

static void send_request(struct xv_http_plain *p);

static unsigned peer_port(const struct xv_http_plain *p)
{
	return ntohs(p->peer_addr.ss_family == AF_INET
			     ? ((const struct sockaddr_in *)&p->peer_addr)->sin_port
			     : ((const struct sockaddr_in6 *)&p->peer_addr)->sin6_port);
}

/* The peer closed a kept-alive connection before answering: once more on
 * a new one.  false: not the case (the caller reports the failure). */
static bool retry(struct xv_http_plain *p)
{
	struct target t;

	if (!p->reused || p->retried || p->answer.in.len)
		return false;
	p->retried = true;
	memset(&t, 0, sizeof(t));
	memcpy(&t.addr, &p->peer_addr, p->peer_len);
	t.addr_len = p->peer_len;
	t.port = peer_port(p);
	p->out_done = 0;
	if (open_conn(p, &t))
		send_request(p);
	return true;
}

static void connect_failed(struct xv_http_plain *p, int err)
{
	fail(p, xv_errno_code(err), "Failed to connect to %s port %u: %s", p->peer, peer_port(p),
	     strerror(err));
}

static void send_request(struct xv_http_plain *p)
{
	while (p->out_done < p->out.len) {
		ssize_t n = send(p->fd, p->out.data + p->out_done, p->out.len - p->out_done,
				 MSG_NOSIGNAL);
		if (n > 0) {
			p->out_done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || (!p->connected && still_connecting(errno)))) {
			watch(p, XV_LOOP_OUT);
			return;
		}
		if (!p->connected) { /* the connection failed */
			connect_failed(p, errno);
			return;
		}
		if (retry(p))
			return;
		fail(p, XV_E_HOST, "Send failure: %s", strerror(errno));
		return;
	}
	p->connected = true; /* a byte went: the connect() is over */
	watch(p, XV_LOOP_IN);
}

static void receive(struct xv_http_plain *p)
{
	struct xv_buf *in = &p->answer.in;
	struct xv_error e;

	for (;;) {
		size_t room;
		ssize_t n;
		int rc;

		xv_buf_grow(in, READ_CHUNK);
		room = in->alloc - in->len - 1;
		n = recv(p->fd, in->data + in->len, room, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			int err = errno;
			if ((err == ECONNRESET || err == EPIPE) && retry(p))
				return;
			fail(p, xv_errno_code(err), "Recv failure: %s", strerror(err));
			return;
		}
		if (n == 0) {
			if (!retry(p)) { /* not a kept connection closed before a byte */
				rc = xv_http_answer_closed(&p->answer, &e);
				finish(p, rc > 0 ? NULL : &e);
			}
			return;
		}
		in->len += (size_t)n;
		in->data[in->len] = '\0';
		rc = xv_http_answer_parse(&p->answer, &e);
		if (rc < 0) {
			finish(p, &e);
			return;
		}
		if (rc > 0) {
			finish(p, NULL);
			return;
		}
		if ((size_t)n < room)
			return; /* all there was, most likely: the loop says when more comes */
	}
}

static void on_io(void *ctx, int fd, unsigned events)
{
	struct xv_http_plain *p = ctx;

	if (!p->busy) { /* an idle connection the peer closed, or talks on */
		close_conn(p);
		return;
	}
	if (!p->connected) {
		int err = 0;
		socklen_t len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			connect_failed(p, err);
			return;
		}
		if (!(events & XV_LOOP_OUT))
			return;
		p->connected = true;
	}
	if (p->out_done < p->out.len) {
		send_request(p);
		return;
	}
	if (events & (XV_LOOP_IN | XV_LOOP_ERR))
		receive(p);
}

/* --- the interface ------------------------------------------------------- */

struct xv_http_plain *xv_http_plain_new(struct xv_loop *loop, size_t max_body)
{
	struct xv_http_plain *p = xv_calloc(1, sizeof(*p));

	p->loop = loop;
	p->fd = -1;
	xv_buf_init(&p->out);
	xv_http_answer_init(&p->answer, max_body);
	xv_loop_timer_init(&p->timer, on_timer, p);
	return p;
}

static void add_base64(struct xv_buf *b, const char *s)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)u[i] << 16 | (i + 1 < n ? (uint32_t)u[i + 1] << 8 : 0) |
			     (i + 2 < n ? u[i + 2] : 0);
		char q[4] = { digits[v >> 18], digits[(v >> 12) & 63],
			      i + 1 < n ? digits[(v >> 6) & 63] : '=', i + 2 < n ? digits[v & 63] : '=' };
		xv_buf_add(b, q, 4);
	}
}

int xv_http_plain_post(struct xv_http_plain *p, const struct xv_http_request *req,
		       xv_http_done_fn *done, void *ctx, struct xv_error *e)
{
	struct target t;
	uint64_t left = xv_ms_left(req->deadline_ms);

	if (p->busy)
		return xv_error(e, XV_E_SOFTWARE, "http: a request is already in flight");
	if (!left)
		return xv_error(e, XV_E_TIMEOUT, "no time left to ask");
	if (!parse_url(req->url, &t))
		return xv_error(e, XV_E_SOFTWARE, "http: '%s' is not for the plain client", req->url);
	xv_http_answer_reset(&p->answer);
	out_clear(p);
	xv_buf_adds(&p->out, req->get ? "GET " : "POST ");
	xv_buf_adds(&p->out, t.path);
	xv_buf_adds(&p->out, " HTTP/1.1\r\nHost: ");
	xv_buf_adds(&p->out, t.host);
	if (t.port != 80) {
		xv_buf_addch(&p->out, ':');
		xv_buf_add_u64(&p->out, t.port);
	}
	xv_buf_adds(&p->out, "\r\nUser-Agent: xvmon/" XV_VERSION "\r\nAccept: */*\r\n");
	if (req->userpwd) {
		xv_buf_adds(&p->out, "Authorization: Basic ");
		add_base64(&p->out, req->userpwd);
		xv_buf_adds(&p->out, "\r\n");
	}
	if (req->last)
		xv_buf_adds(&p->out, "Connection: close\r\n");
	if (!req->get) {
		xv_buf_adds(&p->out, "Content-Type: ");
		xv_buf_adds(&p->out, req->content_type ? req->content_type
						       : "application/x-www-form-urlencoded");
		xv_buf_adds(&p->out, "\r\nContent-Length: ");
		xv_buf_add_u64(&p->out, req->body_len);
	}
	xv_buf_adds(&p->out, "\r\n\r\n");
	if (!req->get)
		xv_buf_add(&p->out, req->body, req->body_len);
	p->out_done = 0;
	p->done = done;
	p->ctx = ctx;
	p->last = req->last;
	p->retried = false;
	p->busy = true;
	p->started_ms = xv_monotonic_ms();
	xv_loop_timer_arm(p->loop, &p->timer, req->deadline_ms);
	p->in_post = true;
	if (same_peer(p, &t)) {
		p->reused = true;
		send_request(p); /* on a kept-alive connection, at once */
	} else if (open_conn(p, &t)) {
		send_request(p);
	}
	p->in_post = false;
	return 0;
}

void xv_http_plain_cancel(struct xv_http_plain *p)
{
	if (!p || !p->busy)
		return;
	/* its answer would come on this connection: no reuse */
	close_conn(p);
	xv_loop_timer_cancel(p->loop, &p->timer);
	p->busy = p->failing = false;
	out_clear(p);
	xv_http_answer_reset(&p->answer);
}

bool xv_http_plain_busy(const struct xv_http_plain *p)
{
	return p && p->busy;
}

const char *xv_http_plain_peer_address(const struct xv_http_plain *p)
{
	return p ? p->peer : "";
}

long xv_http_plain_status(const struct xv_http_plain *p)
{
	return p ? p->status : 0;
}

void xv_http_plain_free(struct xv_http_plain *p)
{
	if (!p)
		return;
	xv_http_plain_cancel(p);
	close_conn(p);
	out_clear(p);
	xv_http_answer_release(&p->answer);
	free(p);
}
