/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xmlrpc.h: XML-RPC calls out, replies in: a small, strict codec.
 *
 * Why not xmlrpc-c (which the Debian package offers): measured here, its
 * parser takes 2-4 ms for a 51 KB XenAPI reply (about 20 MB/s), so 10 000
 * hosts would cost 20-40 s of CPU where the whole poll has a second; and its
 * client transport waits with select() (curl_multi_fdset + pselect), which
 * cannot watch descriptors above FD_SETSIZE (1024) nor share a loop with
 * other sources.  The transport is libcurl's multi interface on our own
 * event loop (http.h); this file only turns calls into bytes and replies
 * into values, at a few hundred MB/s, with no allocation per value.
 *
 * Replies are parsed whole, as the XML-RPC subset peers send: an optional
 * XML declaration (UTF-8), comments, <methodResponse> with one <param> or a
 * <fault>; every XML-RPC type (a <value> without a type is a string, as in
 * the specification); the five predefined entities, character references
 * and CDATA sections.  Anything else is an error naming the byte where it
 * went wrong: a DOCTYPE (so no entity expansion), attributes, mixed content,
 * invalid UTF-8 or a character XML forbids, nesting deeper than
 * XV_XMLRPC_MAX_DEPTH, trailing bytes.  Numbers are range-checked.
 *
 *   struct xv_xmlrpc_reply r;
 *   if (xv_xmlrpc_parse(body, len, &r, &e)) ... e.code is XV_E_HOST
 *   const struct xv_xmlrpc_value *status = xv_xmlrpc_member(r.value, "Status");
 *   ...
 *   xv_xmlrpc_reply_release(&r);
 *
 * Values and their strings belong to the reply and live until it is
 * released. */
#ifndef XV_XMLRPC_H
#define XV_XMLRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"

#define XV_XMLRPC_MAX_DEPTH 48

enum xv_xmlrpc_type {
	XV_XMLRPC_STRING,
	XV_XMLRPC_INT,      /* <int>, <i4>, <i8>: num */
	XV_XMLRPC_BOOL,     /* num 0 or 1 */
	XV_XMLRPC_DOUBLE,   /* str holds the text, unconverted */
	XV_XMLRPC_DATETIME, /* str holds the text */
	XV_XMLRPC_BASE64,   /* str holds the encoded text */
	XV_XMLRPC_NIL,
	XV_XMLRPC_ARRAY,    /* elements from `first` along `next` */
	XV_XMLRPC_STRUCT,   /* members from `first` along `next`, each with a name */
};

struct xv_xmlrpc_value {
	enum xv_xmlrpc_type type;
	const char *name; /* a struct member's name; NULL elsewhere */
	const char *str;  /* text of string-like types, NUL-terminated ("" else) */
	size_t len;       /* of str (no NUL inside: &#0; is refused, as XML does) */
	int64_t num;
	const struct xv_xmlrpc_value *first, *next;
	size_t n; /* elements or members */
};

struct xv_xmlrpc_reply {
	bool fault;
	int64_t fault_code;      /* when fault */
	const char *fault_string;
	const struct xv_xmlrpc_value *value; /* the one param, or the fault struct */
	void *priv;
};

/* Parses a reply.  0, or -1 with XV_E_HOST ("the reply is not XML-RPC: at
 * byte N: ...").  A fault is a successful parse with `fault` set.  Release
 * the reply in both cases. */
int xv_xmlrpc_parse(const char *data, size_t len, struct xv_xmlrpc_reply *r, struct xv_error *e);

void xv_xmlrpc_reply_release(struct xv_xmlrpc_reply *r);

/* The member `name` of a struct, or NULL (also when v is not a struct).
 * The first of that name: a struct naming a member twice is the peer's
 * problem, and the first is what a reader of the document sees first. */
const struct xv_xmlrpc_value *xv_xmlrpc_member(const struct xv_xmlrpc_value *v, const char *name);

/* "string", "int", ... for messages. */
const char *xv_xmlrpc_type_name(enum xv_xmlrpc_type t);

/* Writing a call: begin, then parameters in order, then end. */
void xv_xmlrpc_call_begin(struct xv_buf *b, const char *method);
void xv_xmlrpc_param_string(struct xv_buf *b, const char *s);
void xv_xmlrpc_param_bool(struct xv_buf *b, bool v);
void xv_xmlrpc_param_strings(struct xv_buf *b, const char *const *s, size_t n);
void xv_xmlrpc_param_double(struct xv_buf *b, double d);
void xv_xmlrpc_call_end(struct xv_buf *b);

#endif
