/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c: SLS ids and URI escaping (text cleaning is lib/text.c). */
#include "sls_text.h"

#include <string.h>

bool xv_sls_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > XV_SLS_ID_MAX)
		return false;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void xv_sls_uri_escape(struct xv_buf *out, const char *s)
{
	/* RFC 3986 unreserved and reserved characters pass as they are */
	static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				   "-._~:/?#[]@!$&'()*+,;=";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p && strchr(keep, *p)) || (*p == '%' && is_hex(p[1]) && is_hex(p[2])))
			xv_buf_addch(out, (char)*p);
		else
			xv_buf_addf(out, "%%%02X", *p);
	}
}
