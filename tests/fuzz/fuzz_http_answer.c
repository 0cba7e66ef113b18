/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_http_answer.c: whatever bytes a peer sends as an HTTP answer, in
 * whatever pieces, never crash or leak the reader; it accepts an answer
 * whose body fits the limit, or refuses it as the host's fault
 * (XV_E_HOST) with a message; a body it hands over lies inside the
 * memory it hands over with it.
 *
 * The first byte of the input says where the rest is cut in two (the
 * socket gives an answer in pieces); the peer closes after the second. */
#include "fuzz.h"
#include "http_answer.h"

#include <string.h>

#define MAX_BODY 4096

static void refused(const struct xv_error *e)
{
	FUZZ_ASSERT(e->code == XV_E_HOST);
	FUZZ_ASSERT(e->msg[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_http_answer a;
	struct xv_error e;
	size_t cut;
	int rc = 0;

	if (!size)
		return 0;
	cut = data[0] % size;
	data++, size--;
	if (cut > size)
		cut = size;
	xv_http_answer_init(&a, MAX_BODY);
	for (int piece = 0; piece < 2 && rc == 0; piece++) {
		size_t from = piece ? cut : 0, len = piece ? size - cut : cut;
		if (!len)
			continue;
		xv_buf_add(&a.in, data + from, len);
		rc = xv_http_answer_parse(&a, &e);
	}
	if (rc == 0)
		rc = xv_http_answer_closed(&a, &e);
	if (rc > 0) {
		struct xv_buf buf;
		const char *body;
		size_t len;
		FUZZ_ASSERT(a.status >= 200 && a.status <= 599);
		xv_http_answer_take_body(&a, &buf, &body, &len);
		FUZZ_ASSERT(len <= MAX_BODY);
		FUZZ_ASSERT(body >= buf.data && body + len <= buf.data + buf.len);
		xv_buf_release(&buf);
	} else {
		refused(&e);
	}
	xv_http_answer_release(&a);
	return 0;
}
