/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write_xml.c: SLS update documents (xsls and legacy) with xmlTextWriter. */
#include "write.h"
#include "sls_text.h"
#include "text.h"
#include "util.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *xv_sls_extension(enum xv_sls_format fmt)
{
	return fmt == XV_SLS_JSON ? ".json" : ".xml";
}

void xv_sls_format_datetime(struct timespec ts, char *buf, size_t size)
{
	struct tm tm;
	time_t t = ts.tv_sec;

	/* UTC with an explicit zone: xs:dateTime without one is "local
	 * somewhere", which a consumer in another zone would misread */
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void xv_sls_format_duration(unsigned seconds, char *buf, size_t size)
{
	unsigned h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
	int n = snprintf(buf, size, "PT");

	if (h)
		n += snprintf(buf + n, size - (size_t)n, "%uH", h);
	if (m)
		n += snprintf(buf + n, size - (size_t)n, "%uM", m);
	if (s || !seconds)
		snprintf(buf + n, size - (size_t)n, "%uS", s);
}

/* Every libxml2 call goes through here: the first failure is kept and the
 * rest of the document is skipped. */
struct doc {
	xmlTextWriterPtr w;
	struct xv_buf scratch;
	int failed;
};

static void check(struct doc *d, int rc)
{
	if (rc < 0)
		d->failed = 1;
}

static const xmlChar *clean(struct doc *d, const char *s)
{
	xv_buf_reset(&d->scratch);
	xv_text_clean(&d->scratch, s, XV_TEXT_DOCUMENT);
	return BAD_CAST d->scratch.data;
}

static void element(struct doc *d, const char *name, const char *text)
{
	if (!d->failed)
		check(d, xmlTextWriterWriteElement(d->w, BAD_CAST name, clean(d, text)));
}

static void start(struct doc *d, const char *name)
{
	if (!d->failed)
		check(d, xmlTextWriterStartElement(d->w, BAD_CAST name));
}

static void end(struct doc *d)
{
	if (!d->failed)
		check(d, xmlTextWriterEndElement(d->w));
}

static void attribute(struct doc *d, const char *name, const char *value)
{
	if (!d->failed)
		check(d, xmlTextWriterWriteAttribute(d->w, BAD_CAST name, clean(d, value)));
}

static void number(struct doc *d, const struct xv_sls_number *n)
{
	start(d, "numericvalue");
	attribute(d, "name", n->name);
	attribute(d, "desc", n->desc);
	if (!d->failed)
		check(d, xmlTextWriterWriteString(d->w, BAD_CAST n->value));
	end(d);
}

static void data(struct doc *d, const struct xv_sls_update *u, bool groups)
{
	start(d, "data");
	for (size_t i = 0; i < u->n_numbers;) {
		const char *g = u->numbers[i].group;
		if (!groups || !g) {
			number(d, &u->numbers[i++]);
			continue;
		}
		/* legacy: consecutive numbers of one group go in one grp */
		start(d, "grp");
		attribute(d, "name", g);
		for (; i < u->n_numbers && u->numbers[i].group && !strcmp(u->numbers[i].group, g); i++)
			number(d, &u->numbers[i]);
		end(d);
	}
	end(d);
}

static void legacy_extras(struct doc *d, const struct xv_sls_legacy *legacy)
{
	static const char *const levels[3] = { "available", "affected", "degraded" };
	char text[32];

	start(d, "availabilitythresholds");
	for (int i = 0; i < 3; i++) {
		start(d, "threshold");
		attribute(d, "level", levels[i]);
		snprintf(text, sizeof(text), "%u", legacy->thresholds[i]);
		if (!d->failed)
			check(d, xmlTextWriterWriteString(d->w, BAD_CAST text));
		end(d);
	}
	end(d);
	xv_sls_format_duration(legacy->refresh_s, text, sizeof(text));
	element(d, "refreshperiod", text);
	xv_sls_format_duration(legacy->validity_s, text, sizeof(text));
	element(d, "validityduration", text);
}

static void document(struct doc *d, const struct xv_sls_update *u, const struct xv_sls_feed *f,
		     const struct xv_sls_legacy *legacy)
{
	char text[64];
	struct xv_buf uri = XV_BUF_INIT;

	check(d, xmlTextWriterSetIndent(d->w, 1));
	check(d, xmlTextWriterSetIndentString(d->w, BAD_CAST "  "));
	if (!d->failed)
		check(d, xmlTextWriterStartDocument(d->w, NULL, "UTF-8", NULL));
	start(d, "serviceupdate");
	attribute(d, "xmlns", XV_SLS_NAMESPACE);
	element(d, "id", f->id);
	xv_sls_format_datetime(u->timestamp, text, sizeof(text));
	element(d, "timestamp", text);
	if (f->has_availability) {
		xv_permille_format(f->permille, text, sizeof(text));
		element(d, "availability", text);
	} else {
		element(d, "status", xv_sls_status_name(f->status));
	}
	if (legacy)
		legacy_extras(d, legacy);
	element(d, "availabilitydesc", f->desc);
	if (*f->info)
		element(d, "availabilityinfo", f->info);
	if (u->contact)
		element(d, "contact", u->contact);
	if (u->webpage) {
		xv_sls_uri_escape(&uri, u->webpage);
		element(d, "webpage", uri.data);
		xv_buf_release(&uri);
	}
	data(d, u, legacy != NULL);
	end(d);
	if (!d->failed)
		check(d, xmlTextWriterEndDocument(d->w));
}

int xv_sls_render(const struct xv_sls_update *u, const struct xv_sls_feed *f,
		  enum xv_sls_format fmt, const struct xv_sls_legacy *legacy, struct xv_buf *out,
		  struct xv_error *e)
{
	struct doc d = { .scratch = XV_BUF_INIT };
	xmlBufferPtr buf = NULL;
	int rc = -1;

	if (fmt == XV_SLS_JSON) {
		xv_sls_render_json(u, f, out);
		return 0;
	}
	if (!(buf = xmlBufferCreate()) || !(d.w = xmlNewTextWriterMemory(buf, 0))) {
		xv_error(e, XV_E_LOCAL, "libxml2 cannot start a document for '%s'", f->id);
		goto out;
	}
	document(&d, u, f, fmt == XV_SLS_LEGACY ? legacy : NULL);
	/* freeing the writer flushes it into buf */
	xmlFreeTextWriter(d.w);
	d.w = NULL;
	if (d.failed) {
		xv_error(e, XV_E_LOCAL, "libxml2 failed to write the document for '%s'", f->id);
		goto out;
	}
	xv_buf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	if (out->len && out->data[out->len - 1] != '\n')
		xv_buf_addch(out, '\n'); /* a text file ends with a newline */
	rc = 0;
out:
	if (d.w)
		xmlFreeTextWriter(d.w);
	if (buf)
		xmlBufferFree(buf);
	xv_buf_release(&d.scratch);
	return rc;
}
