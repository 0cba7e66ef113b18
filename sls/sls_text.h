/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sls_text.h: what may name or point to a feed: valid SLS ids and legal URIs.
 * The text a feed says is cleaned by lib/text.h. */
#ifndef XV_SLS_TEXT_H
#define XV_SLS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

/* An SLS id (the schema's singleId: [A-Za-z0-9._-]+); longer ones would
 * not fit a file name with its suffix and temporary extension. */
#define XV_SLS_ID_MAX 200

/* True if `id` matches the singleId pattern and is at most XV_SLS_ID_MAX
 * bytes long. */
bool xv_sls_id_valid(const char *id);

/* Appends `s` to `out` as a URI that xs:anyURI accepts: bytes outside
 * RFC 3986's unreserved and reserved sets (spaces, quotes, <, >, controls,
 * non-ASCII) are percent-encoded, and so is a '%' that does not start an
 * escape. */
void xv_sls_uri_escape(struct xv_buf *out, const char *s);

#endif
