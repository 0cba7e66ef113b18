/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http.h: HTTP(S) POSTs (and GETs) for the network sources, many in flight
 * at once.
 *
 * libcurl's multi interface driven by our event loop (loop.h) through its
 * socket API (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION): every transfer of a
 * poll shares one loop and one epoll set, however many there are; curl's own
 * timers fire on time (no select() granularity), and it keeps each host's
 * connection alive between the calls of one snapshot.
 *
 *   struct xv_http *h;            one per loop (per poll)
 *   struct xv_http_conn *c;       one per host: a curl easy handle, whose
 *                                 sequential requests reuse its connection
 *   xv_http_post(c, &req, done, ctx, &e);   done() runs from the loop
 *
 * Failures are classified once, here (the source adds what it was doing):
 * no answer by the deadline XV_E_TIMEOUT; a peer that cannot be reached,
 * resets, fails the TLS handshake or certificate verification, answers with
 * an HTTP error or more than the size limit XV_E_HOST; a CA file that cannot
 * be read XV_E_CONFIG; this machine (out of descriptors or memory, a thread
 * that could not start) XV_E_LOCAL, never a host's fault.
 *
 * Plain http:// to an IP address goes through the project's own client
 * instead (http_plain.h): libcurl's memory and system calls per transfer
 * were most of what a poll of thousands of hosts cost.  Names and every
 * https:// URL stay with libcurl.
 *
 * Without libcurl (XV_HAVE_CURL unset) xv_http_new() fails with
 * XV_E_UNSUPPORTED. */
#ifndef XV_HTTP_H
#define XV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"
#include "loop.h"
#include "uri.h"

struct xv_http;
struct xv_http_conn;

struct xv_http_tls {
	bool verify;         /* check the certificate and the host name (default) */
	const char *ca_file; /* PEM bundle to trust instead of the system's; NULL */
};

struct xv_http_request {
	const char *url;          /* http:// or https:// */
	const char *userpwd;      /* "user:password" for basic auth, or NULL */
	const char *content_type; /* e.g. "text/xml" */
	const char *body;
	size_t body_len;
	bool get;                 /* a GET (no body) instead of a POST */
	uint64_t deadline_ms;     /* xv_monotonic_ms() by which it must be done */
	bool last;                /* close the connection after this one */
};

/* The TLS options every HTTP-based source takes in its URI (uri.h):
 * tls=yes|no (default yes: https), verify=yes|no (default yes) and
 * ca_file=PEM.  Checks them (no I/O): XV_E_CONFIG for a value that is not
 * yes or no, or a CA file without TLS. */
int xv_http_uri_check(const char *scheme, const struct xv_uri *u, struct xv_error *e);

/* From checked options: the TLS settings, and whether to speak https. */
void xv_http_uri_tls(const struct xv_uri *u, struct xv_http_tls *tls, bool *use_tls);

/* What outputs must say about these options, or NULL: plain HTTP (tls=no)
 * or a certificate not checked (verify=no). */
const char *xv_http_uri_caveat(const struct xv_uri *u);

/* Descriptors one connection to `url` holds at most: 1 for plain HTTP to
 * an address (http_plain.h), 2 through libcurl (the connection, and a name
 * lookup's socket pair while it runs). */
unsigned xv_http_fds_for_url(const char *url);

/* The outcome of one request: `e` NULL on an HTTP 200 answer (the body is
 * then `body`/`len`, valid during the call), else the failure. */
typedef void xv_http_done_fn(void *ctx, const struct xv_error *e, const char *body, size_t len);

int xv_http_new(struct xv_loop *loop, struct xv_http **out, struct xv_error *e);

/* Frees the engine; every connection must have been freed.  Accepts NULL. */
void xv_http_free(struct xv_http *h);

/* A connection to one peer; answers above `max_body` bytes fail. */
struct xv_http_conn *xv_http_conn_new(struct xv_http *h, const struct xv_http_tls *tls,
				      size_t max_body);

/* Starts a request (the connection has none in flight): a POST of `body`,
 * or a GET of `url` with `get`.  The request's
 * strings are copied.  0, or -1 with `e` set (done() is then not called). */
int xv_http_post(struct xv_http_conn *c, const struct xv_http_request *req, xv_http_done_fn *done,
		 void *ctx, struct xv_error *e);

/* Drops the request in flight, if any: done() will not be called. */
void xv_http_cancel(struct xv_http_conn *c);

/* True while a request is in flight. */
bool xv_http_busy(const struct xv_http_conn *c);

/* The address the last request reached ("" if none). */
const char *xv_http_peer_address(const struct xv_http_conn *c);

/* The HTTP status of the last answer (0: none came). */
long xv_http_status(const struct xv_http_conn *c);

/* Cancels and frees; accepts NULL. */
void xv_http_conn_free(struct xv_http_conn *c);

#endif
