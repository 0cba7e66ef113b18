/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_sls_text.c: whatever bytes hosts and VMs are named with, a feed
 * stays well-formed: cleaned text is valid and stable, the XML parses back
 * to exactly the cleaned text, the JSON holds no raw control character and
 * the web page is a plain ASCII URI. */
#include "fuzz.h"
#include "feed.h"
#include "sls_text.h"
#include "text.h"
#include "write.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

/* The text of the first element called `name` under the root, or NULL. */
static xmlChar *child_text(xmlDocPtr doc, const char *name)
{
	for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return xmlNodeGetContent(n);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* three strings separated by NUL bytes: info, contact, web page */
	char *buf = malloc(size + 3), *info, *contact, *webpage;
	struct xv_buf clean = XV_BUF_INIT, again = XV_BUF_INIT, doc = XV_BUF_INIT, uri = XV_BUF_INIT;
	struct xv_sls_legacy legacy = { { 99, 90, 50 }, 300, 900 };
	struct xv_sls_update u;
	struct xv_sls_feed *f = &u.feeds[XV_SLS_ALL];
	struct xv_error err;
	xmlDocPtr x;
	xmlChar *text;

	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	info = buf;
	contact = info + strlen(info) + 1;
	webpage = contact + strlen(contact) + 1;
	if (contact > buf + size)
		contact = webpage = buf + size;
	else if (webpage > buf + size)
		webpage = buf + size;

	xv_text_clean(&clean, info, XV_TEXT_DOCUMENT);
	FUZZ_ASSERT(xv_text_is_clean(clean.data));
	xv_text_clean(&again, clean.data, XV_TEXT_DOCUMENT);
	FUZZ_ASSERT(!strcmp(clean.data, again.data));
	if (xv_text_is_clean(info))
		FUZZ_ASSERT(!strcmp(clean.data, info));

	xv_sls_uri_escape(&uri, webpage);
	for (const char *p = uri.data; *p; p++)
		FUZZ_ASSERT(*p > ' ' && *p < 0x7f && !strchr("<>\"{}|\\^`", *p));

	memset(&u, 0, sizeof(u));
	u.pool = info;
	u.contact = *contact ? contact : NULL;
	u.webpage = *webpage ? webpage : NULL;
	f->kind = XV_SLS_ALL;
	f->id = (char *)"fuzz";
	f->defined = f->has_availability = true;
	f->permille = (unsigned)(size % 1001);
	f->status = xv_sls_status_of(f->permille);
	f->desc = info[0] ? info : (char *)"desc";
	f->info = info;
	u.numbers[0] = (struct xv_sls_number){ "vms", info[0] ? info : "n", "7", "vms" };
	u.n_numbers = 1;

	for (int fmt = XV_SLS_XSLS; fmt <= XV_SLS_LEGACY; fmt++) {
		xv_buf_reset(&doc);
		FUZZ_ASSERT(!xv_sls_render(&u, f, (enum xv_sls_format)fmt, &legacy, &doc, &err));
		x = xmlReadMemory(doc.data, (int)doc.len, "feed.xml", NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		FUZZ_ASSERT(x != NULL); /* well-formed */
		if (*info) {
			text = child_text(x, "availabilityinfo");
			FUZZ_ASSERT(text && !strcmp((const char *)text, clean.data));
			xmlFree(text);
		}
		xmlFreeDoc(x);
	}

	xv_buf_reset(&doc);
	FUZZ_ASSERT(!xv_sls_render(&u, f, XV_SLS_JSON, NULL, &doc, &err));
	FUZZ_ASSERT(xv_text_is_clean(doc.data));
	for (const char *p = doc.data; *p; p++)
		FUZZ_ASSERT((unsigned char)*p >= 0x20 || *p == '\n');

	xv_buf_release(&clean);
	xv_buf_release(&again);
	xv_buf_release(&doc);
	xv_buf_release(&uri);
	free(buf);
	return 0;
}
