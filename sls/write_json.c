/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write_json.c: the JSON availability document, with lib/json.h. */
#include "json.h"
#include "sls_text.h"
#include "text.h"
#include "write.h"

#include <stdint.h>
#include <stdlib.h>

static void string(struct xv_json *j, struct xv_buf *scratch, const char *key, const char *s)
{
	xv_buf_reset(scratch);
	xv_text_clean(scratch, s, XV_TEXT_DOCUMENT);
	xv_json_string(j, key, scratch->data);
}

void xv_sls_render_json(const struct xv_sls_update *u, const struct xv_sls_feed *f,
			struct xv_buf *out)
{
	struct xv_json j;
	struct xv_buf scratch = XV_BUF_INIT;

	xv_json_init(&j, out);
	xv_json_object_begin(&j, NULL);
	xv_json_string(&j, "producer", "xvmon");
	xv_json_string(&j, "type", "availability");
	string(&j, &scratch, "serviceid", f->id);
	xv_json_string(&j, "service_status", xv_sls_status_name(f->status));
	/* milliseconds since the epoch, UTC */
	xv_json_u64(&j, "timestamp",
		    (uint64_t)u->timestamp.tv_sec * 1000 + (uint64_t)u->timestamp.tv_nsec / 1000000);
	string(&j, &scratch, "availabilitydesc", f->desc);
	string(&j, &scratch, "availabilityinfo", f->info);
	if (u->contact)
		string(&j, &scratch, "contact", u->contact);
	if (u->webpage) {
		xv_buf_reset(&scratch);
		xv_sls_uri_escape(&scratch, u->webpage);
		xv_json_string(&j, "webpage", scratch.data);
	}
	/* xvmon's additions: the figure behind service_status and the counts */
	if (f->has_availability)
		xv_json_double(&j, "availability", f->permille / 10.0);
	xv_json_object_begin(&j, "data");
	for (size_t i = 0; i < u->n_numbers; i++)
		xv_json_double(&j, u->numbers[i].name, strtod(u->numbers[i].value, NULL));
	xv_json_object_end(&j);
	xv_json_object_end(&j);
	xv_buf_release(&scratch);
}
