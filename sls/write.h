/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write.h: lay a feed out as an SLS document, in memory.
 *
 * Three formats:
 *   xsls    the SLS update document that validates against the public XSLS
 *           schema (../shared/reference/xsls_schema.xsd); the default
 *   legacy  the same with the 2010-era elements (availabilitythresholds,
 *           refreshperiod, validityduration, grp), valid against
 *           sls/xsls-legacy.xsd and rejected by the public schema
 *   json    the JSON availability document (producer, type, serviceid,
 *           service_status, timestamp, availabilitydesc, availabilityinfo)
 *
 * XML is produced with libxml2's xmlTextWriter, JSON with lib/json.h; every
 * string goes through xv_text_clean() first. */
#ifndef XV_SLS_WRITE_H
#define XV_SLS_WRITE_H

#include "buf.h"
#include "error.h"
#include "feed.h"

#define XV_SLS_NAMESPACE "http://sls.cern.ch/SLS/XML/update"

enum xv_sls_format {
	XV_SLS_XSLS,
	XV_SLS_LEGACY,
	XV_SLS_JSON,
};

/* The legacy format's extras. */
struct xv_sls_legacy {
	unsigned thresholds[3]; /* percent for the levels available, affected, degraded */
	unsigned refresh_s;     /* refreshperiod: how often the feed is rewritten */
	unsigned validity_s;    /* validityduration: how long an update holds */
};

/* ".xml" or ".json" */
const char *xv_sls_extension(enum xv_sls_format fmt);

/* Appends feed `f` of `u` to `out` in format `fmt` (`legacy` is read for
 * XV_SLS_LEGACY only).  0, or -1 with e set: XV_E_LOCAL when libxml2
 * failed (it fails only when memory runs out). */
int xv_sls_render(const struct xv_sls_update *u, const struct xv_sls_feed *f,
		  enum xv_sls_format fmt, const struct xv_sls_legacy *legacy, struct xv_buf *out,
		  struct xv_error *e);

/* XML forms of the timestamp and of a duration: "2026-11-24T21:30:00Z",
 * "PT5M". */
void xv_sls_format_datetime(struct timespec ts, char *buf, size_t size);
void xv_sls_format_duration(unsigned seconds, char *buf, size_t size);

/* JSON, from write_json.c. */
void xv_sls_render_json(const struct xv_sls_update *u, const struct xv_sls_feed *f,
			struct xv_buf *out);

#endif
