/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_xapi.h: what the xapi:// snapshot engine (source_xapi.c) and the
 * xapi:// actions (source_xapi_actions.c) share (private to lib/): one way
 * to log in, follow HOST_IS_SLAVE and log out, whichever path sends it. */
#ifndef XV_SOURCE_XAPI_H
#define XV_SOURCE_XAPI_H

#include "buf.h"
#include "error.h"
#include "source_impl.h"
#include "uri.h"
#include "xmlrpc.h"

#define XV_XAPI_DEFAULT_USER "root"
#define XV_XAPI_PASSWORD_ENV "XVMON_XAPI_PASSWORD"

/* The keys xapi:// URIs take (docs/sources.md). */
extern const char *const xv_xapi_uri_keys[];

/* The user the URI logs in as. */
const char *xv_xapi_user(const struct xv_uri *u);

/* session.login_with_password for `u`'s user: the caller wipes the buffer
 * (explicit_bzero) before releasing it, since it holds the password. */
void xv_xapi_login_call(struct xv_buf *call, const struct xv_uri *u, const char *password);

void xv_xapi_logout_call(struct xv_buf *call, const char *session);

/* "https://HOST:PORT" (or http:// with tls=no) of `host` (NULL: the URI's
 * own host), malloc'ed. */
char *xv_xapi_base_url(const struct xv_uri *u, const char *host);

/* The master a HOST_IS_SLAVE failure names, checked to be a host name or an
 * address (it becomes part of a URL); NULL with XV_E_HOST otherwise. */
const char *xv_xapi_slave_master(const struct xv_xmlrpc_value *failure, struct xv_error *e);

/* The actions (source_xapi_actions.c). */
int xv_xapi_shutdown(struct xv_source *src, const char *name, struct xv_error *e);
int xv_xapi_destroy(struct xv_source *src, const char *name, struct xv_error *e);
int xv_xapi_pause(struct xv_source *src, const char *name, bool pause, struct xv_error *e);
int xv_xapi_console(struct xv_source *src, const char *name, struct xv_console *out,
		    struct xv_error *e);
int xv_xapi_create(struct xv_source *src, const struct xv_template_request *req,
		   struct xv_created *out, struct xv_error *e);
int xv_xapi_export(struct xv_source *src, struct xv_export *out, struct xv_error *e);
/* Destroys the tasks the actions left (source close). */
void xv_xapi_close(struct xv_source *src);

/* The pool database dump (GET /pool/xmldbdump on the master): at most this
 * big, and within this long when the source has no deadline. */
#define XV_XAPI_DUMP_MAX_BYTES (256u << 20)
#define XV_XAPI_DUMP_DEFAULT_MS (120u * 1000)
/* Cloning and provisioning copy disks: a create may take minutes. */
#define XV_XAPI_CREATE_DEFAULT_MS (600u * 1000)
/* What closing a source may spend destroying the tasks it left. */
#define XV_XAPI_TASK_CLEANUP_MS 4000u

#endif
