/* text.c: UTF-8 and XML character cleaning, SLS ids, URI escaping. */
#include "text.h"

#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Length of the valid UTF-8 sequence at `s` holding an XML 1.0 character,
 * or 0.  The ranges are those of RFC 3629 (no overlong forms, no
 * surrogates, nothing past U+10FFFF). */
static size_t valid_char(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* U+D800..U+DFFF are surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	/* U+FFFE and U+FFFF are not XML characters */
	if (c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 0;
	return n;
}

void xv_sls_clean_text(struct xv_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = valid_char(p);
		if (n) {
			xv_buf_add(out, p, n);
			p += n;
		} else {
			xv_buf_adds(out, REPLACEMENT);
			p++;
		}
	}
}

bool xv_sls_text_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = valid_char(p);
		if (!n)
			return false;
		p += n;
	}
	return true;
}

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
