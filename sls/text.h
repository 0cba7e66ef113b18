/* text.h: what may go into a feed: clean text, valid ids, legal URIs.
 *
 * Host and VM names come from inventories, scenario files and hypervisors;
 * none of them promises UTF-8 or XML-safe characters.  Everything a feed
 * says passes through here first, so the writers only ever see text that a
 * strict XML 1.0 or JSON parser accepts. */
#ifndef XV_SLS_TEXT_H
#define XV_SLS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"

/* An SLS id (the schema's singleId: [A-Za-z0-9._-]+); longer ones would
 * not fit a file name with its suffix and temporary extension. */
#define XV_SLS_ID_MAX 200

/* Appends `s` to `out` as valid UTF-8 holding only characters XML 1.0
 * allows: each byte of an invalid, overlong or surrogate sequence and each
 * forbidden character (C0 controls other than tab, newline and carriage
 * return; U+FFFE, U+FFFF) becomes U+FFFD.  Markup characters are left to
 * the writer's escaping. */
void xv_sls_clean_text(struct xv_buf *out, const char *s);

/* True if every byte of `s` would pass xv_sls_clean_text() unchanged. */
bool xv_sls_text_is_clean(const char *s);

/* True if `id` matches the singleId pattern and is at most XV_SLS_ID_MAX
 * bytes long. */
bool xv_sls_id_valid(const char *id);

/* Appends `s` to `out` as a URI that xs:anyURI accepts: bytes outside
 * RFC 3986's unreserved and reserved sets (spaces, quotes, <, >, controls,
 * non-ASCII) are percent-encoded, and so is a '%' that does not start an
 * escape. */
void xv_sls_uri_escape(struct xv_buf *out, const char *s);

#endif
