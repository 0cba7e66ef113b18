/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xmlrpc.c: the XML-RPC codec: a recursive-descent parser over the reply
 * bytes, values in blocks (stable pointers, one allocation per 256), strings
 * decoded into one arena as long as the reply (decoded text is never longer
 * than its markup, closing tag included, so it always fits). */
#include "xmlrpc.h"
#include "text.h"
#include "num.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 256

struct block {
	struct block *next;
	size_t used;
	struct xv_xmlrpc_value v[BLOCK];
};

struct parser {
	const char *start, *p, *end;
	char *arena;
	size_t arena_used, arena_size;
	struct block *blocks;
	struct xv_error *e;
	bool failed;
};

struct reply_priv {
	char *arena;
	struct block *blocks;
};

static int fail(struct parser *ps, const char *what)
{
	if (!ps->failed)
		xv_error(ps->e, XV_E_HOST, "the reply is not XML-RPC: at byte %zu: %s",
			 (size_t)(ps->p - ps->start), what);
	ps->failed = true;
	return -1;
}

static struct xv_xmlrpc_value *new_value(struct parser *ps, enum xv_xmlrpc_type type)
{
	struct block *b = ps->blocks;
	struct xv_xmlrpc_value *v;

	if (!b || b->used == BLOCK) {
		b = xv_malloc(sizeof(*b));
		b->next = ps->blocks;
		b->used = 0;
		ps->blocks = b;
	}
	v = &b->v[b->used++];
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->str = "";
	return v;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool starts(const struct parser *ps, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, s, n);
}

/* Skips a comment at p ("<!--" seen). */
static int skip_comment(struct parser *ps)
{
	const char *q = ps->p + 4;

	for (; ps->end - q >= 3; q++)
		if (q[0] == '-' && q[1] == '-') {
			if (q[2] != '>')
				return fail(ps, "'--' inside a comment");
			ps->p = q + 3;
			return 0;
		}
	return fail(ps, "unterminated comment");
}

/* Whitespace and comments between elements. */
static inline int skip_misc(struct parser *ps)
{
	/* the common case: the next tag right here, not a comment */
	if (ps->end - ps->p >= 2 && ps->p[0] == '<' && ps->p[1] != '!')
		return 0;
	for (;;) {
		while (ps->p < ps->end && is_space(*ps->p))
			ps->p++;
		if (!starts(ps, "<!--"))
			return 0;
		if (skip_comment(ps))
			return -1;
	}
}

/* The tag "<name>" or "<name/>" (`lead` "<"), or "</name>" (`lead` "</"):
 * 1 for the self-closing form, 0 for the others, -1 (with the error) when
 * the next tag is something else. */
static __attribute__((noinline)) int tag_failed(struct parser *ps, const char *lead, const char *name, bool opening)
{
	char what[96];

	if (ps->p == ps->end)
		snprintf(what, sizeof(what), "the reply ends too early (expected %s%s>)", lead, name);
	else
		snprintf(what, sizeof(what), "expected %s%s>%s", lead, name,
			 opening ? " (no attributes)" : "");
	return fail(ps, what);
}

/* Lengths are the callers' (open_tag(), close_tag() and parse_typed() know
 * them at compile time): a reply is mostly tags. */
static inline __attribute__((always_inline)) int tag(struct parser *ps, const char *lead,
							    size_t l, const char *name, size_t n)
{
	bool opening = l == 1;
	const char *q;

	if (skip_misc(ps))
		return -1;
	q = ps->p;
	if (ps->end - q < (ptrdiff_t)(l + n + 1) || q[0] != '<' || (l == 2 && q[1] != '/') ||
	    memcmp(q + l, name, n)) {
		if (q == ps->end)
			return tag_failed(ps, lead, name, opening);
		return tag_failed(ps, lead, name, false);
	}
	if (q[l + n] == '>') {
		ps->p = q + l + n + 1;
		return 0;
	}
	for (q += l + n; q < ps->end && is_space(*q); q++)
		;
	if (q < ps->end && *q == '>') {
		ps->p = q + 1;
		return 0;
	}
	if (opening && ps->end - q >= 2 && q[0] == '/' && q[1] == '>') {
		ps->p = q + 2;
		return 1;
	}
	return tag_failed(ps, lead, name, opening);
}

#define open_tag(ps, name) tag(ps, "<", 1, name, sizeof(name) - 1)
#define close_tag(ps, name) tag(ps, "</", 2, name, sizeof(name) - 1)

/* Is the next tag "<name" followed by '>', '/' or a space? */
static inline bool next_is_n(struct parser *ps, const char *name, size_t n)
{
	const char *q = ps->p;

	if (ps->end - q < (ptrdiff_t)n + 2 || q[0] != '<' || q[1] != name[0] ||
	    memcmp(q + 1, name, n))
		return false;
	return q[n + 1] == '>' || q[n + 1] == '/' || is_space(q[n + 1]);
}

#define next_is(ps, name) next_is_n(ps, name, sizeof(name) - 1)

static void put_utf8(char *out, size_t *len, uint32_t c)
{
	if (c < 0x80) {
		out[(*len)++] = (char)c;
	} else if (c < 0x800) {
		out[(*len)++] = (char)(0xC0 | (c >> 6));
		out[(*len)++] = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		out[(*len)++] = (char)(0xE0 | (c >> 12));
		out[(*len)++] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[(*len)++] = (char)(0x80 | (c & 0x3F));
	} else {
		out[(*len)++] = (char)(0xF0 | (c >> 18));
		out[(*len)++] = (char)(0x80 | ((c >> 12) & 0x3F));
		out[(*len)++] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[(*len)++] = (char)(0x80 | (c & 0x3F));
	}
}

static bool xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Length of the valid UTF-8 character of XML at q (0: invalid). */
static size_t utf8_char(const unsigned char *q, const unsigned char *end)
{
	uint32_t c;
	size_t n;

	if (q[0] < 0x80)
		return xml_char(q[0]) ? 1 : 0;
	if (q[0] >= 0xC2 && q[0] <= 0xDF)
		n = 2, c = q[0] & 0x1Fu;
	else if (q[0] >= 0xE0 && q[0] <= 0xEF)
		n = 3, c = q[0] & 0x0Fu;
	else if (q[0] >= 0xF0 && q[0] <= 0xF4)
		n = 4, c = q[0] & 0x07u;
	else
		return 0;
	if ((size_t)(end - q) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((q[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (q[i] & 0x3Fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || !xml_char(c))
		return 0; /* overlong, surrogate, above U+10FFFF, U+FFFE/FFFF */
	return n;
}

static int char_ref(struct parser *ps, char *out, size_t *len)
{
	const char *q = ps->p + 2, *semi;
	uint64_t c = 0;
	bool hex = q < ps->end && *q == 'x';

	if (hex)
		q++;
	semi = memchr(q, ';', (size_t)(ps->end - q));
	if (!semi || semi == q || semi - q > 8)
		return fail(ps, "malformed character reference");
	for (const char *d = q; d < semi; d++) {
		unsigned v;
		if (*d >= '0' && *d <= '9')
			v = (unsigned)(*d - '0');
		else if (hex && *d >= 'a' && *d <= 'f')
			v = (unsigned)(*d - 'a' + 10);
		else if (hex && *d >= 'A' && *d <= 'F')
			v = (unsigned)(*d - 'A' + 10);
		else
			return fail(ps, "malformed character reference");
		c = c * (hex ? 16 : 10) + v;
	}
	if (c > 0x10FFFF || !xml_char((uint32_t)c))
		return fail(ps, "a character reference to a character XML forbids");
	put_utf8(out, len, (uint32_t)c);
	ps->p = semi + 1;
	return 0;
}

static int entity_ref(struct parser *ps, char *out, size_t *len)
{
	static const struct {
		const char *name;
		char c;
	} entities[] = { { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
			 { "&apos;", '\'' } };

	if (starts(ps, "&#"))
		return char_ref(ps, out, len);
	for (size_t i = 0; i < XV_ARRAY_SIZE(entities); i++)
		if (starts(ps, entities[i].name)) {
			out[(*len)++] = entities[i].c;
			ps->p += strlen(entities[i].name);
			return 0;
		}
	return fail(ps, "an unknown entity (only &lt; &gt; &amp; &quot; &apos; and &#N;)");
}

/* Character data up to the next markup that is not CDATA or a comment,
 * decoded into the arena.  *out points at it, NUL-terminated. */
/* Bytes that stand for themselves in character data: the ASCII characters
 * XML allows, but for the three that start markup or may close a CDATA
 * section (tab, line feed and carriage return included, the other controls
 * not). */
static const unsigned char plain[256] = {
	['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
	[' '] = 1, ['!'] = 1, ['"'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['='] = 1, ['?'] = 1, ['@'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
	['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
	['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1, [0x7f] = 1,
};

static int text(struct parser *ps, const char **out, size_t *out_len)
{
	char *dst = ps->arena + ps->arena_used;
	size_t len = 0;

	while (ps->p < ps->end) {
		const char *r = ps->p;
		char *d = dst + len;
		while (r < ps->end && plain[(unsigned char)*r]) /* most text: as it is */
			*d++ = *r++;
		if (r > ps->p) {
			len = (size_t)(d - dst);
			ps->p = r;
			continue;
		}
		char c = *ps->p;
		if (c == '<') {
			if (starts(ps, "<![CDATA[")) {
				const char *q = ps->p + 9;
				const char *close = NULL;
				for (; ps->end - q >= 3; q++)
					if (q[0] == ']' && q[1] == ']' && q[2] == '>') {
						close = q;
						break;
					}
				if (!close)
					return fail(ps, "unterminated CDATA section");
				for (q = ps->p + 9; q < close;) {
					size_t n = utf8_char((const unsigned char *)q,
							     (const unsigned char *)close);
					if (!n) {
						ps->p = q;
						return fail(ps, "invalid UTF-8 or a character XML forbids");
					}
					memcpy(dst + len, q, n);
					len += n;
					q += n;
				}
				ps->p = close + 3;
				continue;
			}
			if (starts(ps, "<!--")) {
				if (skip_comment(ps))
					return -1;
				continue;
			}
			break;
		}
		if (c == '&') {
			if (entity_ref(ps, dst, &len))
				return -1;
			continue;
		}
		if (c == '>' && len >= 2 && dst[len - 1] == ']' && dst[len - 2] == ']')
			return fail(ps, "']]>' in character data");
		size_t n = utf8_char((const unsigned char *)ps->p, (const unsigned char *)ps->end);
		if (!n)
			return fail(ps, "invalid UTF-8 or a character XML forbids");
		memcpy(dst + len, ps->p, n);
		len += n;
		ps->p += n;
	}
	dst[len] = '\0';
	ps->arena_used += len + 1;
	*out = dst;
	*out_len = len;
	return 0;
}

static bool all_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

/* Text of a scalar element, "<name>" already read: up to "</name>". */
static int scalar(struct parser *ps, const char *name, size_t n, bool empty,
		  struct xv_xmlrpc_value *v)
{
	if (empty)
		return 0;
	if (text(ps, &v->str, &v->len))
		return -1;
	return tag(ps, "</", 2, name, n);
}

/* Trims spaces in place (the arena copy is ours). */
static const char *trimmed(const struct xv_xmlrpc_value *v, size_t *len)
{
	const char *s = v->str;
	size_t n = v->len;

	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	((char *)s)[n] = '\0';
	*len = n;
	return s;
}

static int parse_value(struct parser *ps, unsigned depth, struct xv_xmlrpc_value **out);

/* Appends `item` to the array or struct `v`, whose last item is *last. */
static void append(struct xv_xmlrpc_value *v, struct xv_xmlrpc_value **last,
		   struct xv_xmlrpc_value *item)
{
	if (*last)
		(*last)->next = item;
	else
		v->first = item;
	*last = item;
	v->n++;
}

static int parse_array(struct parser *ps, unsigned depth, struct xv_xmlrpc_value *v)
{
	struct xv_xmlrpc_value *last = NULL;
	int rc = open_tag(ps, "data");

	if (rc < 0)
		return -1;
	if (rc == 0) {
		for (;;) {
			struct xv_xmlrpc_value *item;
			if (skip_misc(ps))
				return -1;
			if (!next_is(ps, "value"))
				break;
			if (parse_value(ps, depth + 1, &item))
				return -1;
			append(v, &last, item);
		}
		if (close_tag(ps, "data"))
			return -1;
	}
	return close_tag(ps, "array");
}

static int parse_struct(struct parser *ps, unsigned depth, struct xv_xmlrpc_value *v)
{
	struct xv_xmlrpc_value *last = NULL;

	for (;;) {
		struct xv_xmlrpc_value *item;
		const char *name;
		size_t len;
		if (skip_misc(ps))
			return -1;
		if (!next_is(ps, "member"))
			break;
		if (open_tag(ps, "member") != 0)
			return ps->failed ? -1 : fail(ps, "an empty <member/>");
		switch (open_tag(ps, "name")) {
		case -1:
			return -1;
		case 1:
			name = "";
			break;
		default:
			if (text(ps, &name, &len) || close_tag(ps, "name"))
				return -1;
		}
		if (parse_value(ps, depth + 1, &item) || close_tag(ps, "member"))
			return -1;
		item->name = name;
		append(v, &last, item);
	}
	return close_tag(ps, "struct");
}

#define TYPE(tag, type) { tag, sizeof(tag) - 1, type }
static const struct {
	const char *tag;
	size_t len;
	enum xv_xmlrpc_type type;
} types[] = {
	TYPE("string", XV_XMLRPC_STRING),   TYPE("int", XV_XMLRPC_INT),
	TYPE("i4", XV_XMLRPC_INT),	    TYPE("i8", XV_XMLRPC_INT),
	TYPE("boolean", XV_XMLRPC_BOOL),    TYPE("double", XV_XMLRPC_DOUBLE),
	TYPE("dateTime.iso8601", XV_XMLRPC_DATETIME), TYPE("base64", XV_XMLRPC_BASE64),
	TYPE("nil", XV_XMLRPC_NIL),	    TYPE("array", XV_XMLRPC_ARRAY),
	TYPE("struct", XV_XMLRPC_STRUCT),
};
#undef TYPE

static int parse_typed(struct parser *ps, unsigned depth, struct xv_xmlrpc_value *v)
{
	const char *s;
	size_t len;
	int empty;

	for (size_t i = 0; i < XV_ARRAY_SIZE(types); i++) {
		if (!next_is_n(ps, types[i].tag, types[i].len))
			continue;
		empty = tag(ps, "<", 1, types[i].tag, types[i].len);
		if (empty < 0)
			return -1;
		v->type = types[i].type;
		switch (v->type) {
		case XV_XMLRPC_ARRAY:
			return empty ? fail(ps, "an empty <array/> (an empty array has <data/>)")
				     : parse_array(ps, depth, v);
		case XV_XMLRPC_STRUCT:
			return empty ? 0 : parse_struct(ps, depth, v);
		case XV_XMLRPC_NIL:
			return empty ? 0 : close_tag(ps, "nil");
		case XV_XMLRPC_INT:
			if (empty || scalar(ps, types[i].tag, types[i].len, false, v))
				return ps->failed ? -1 : fail(ps, "an empty integer");
			s = trimmed(v, &len);
			if (*s == '+')
				s++;
			if (xv_parse_i64(s, INT64_MIN, INT64_MAX, &v->num))
				return fail(ps, "an integer that is not one, or out of range");
			if (types[i].tag[1] != '8' && (v->num < INT32_MIN || v->num > INT32_MAX))
				return fail(ps, "an <int> beyond 32 bits");
			return 0;
		case XV_XMLRPC_BOOL:
			if (empty || scalar(ps, "boolean", 7, false, v))
				return ps->failed ? -1 : fail(ps, "an empty boolean");
			s = trimmed(v, &len);
			if (strcmp(s, "0") && strcmp(s, "1"))
				return fail(ps, "a boolean that is not 0 or 1");
			v->num = *s == '1';
			return 0;
		default:
			return scalar(ps, types[i].tag, types[i].len, empty, v);
		}
	}
	return fail(ps, "an unknown XML-RPC type");
}

static int parse_value(struct parser *ps, unsigned depth, struct xv_xmlrpc_value **out)
{
	struct xv_xmlrpc_value *v;
	const char *s;
	size_t len;
	int empty;

	if (depth > XV_XMLRPC_MAX_DEPTH)
		return fail(ps, "values nested too deep");
	empty = open_tag(ps, "value");
	if (empty < 0)
		return -1;
	v = *out = new_value(ps, XV_XMLRPC_STRING);
	if (empty)
		return 0;
	/* text up to the first tag: the whole string if that tag closes the
	 * value, else only whitespace before a typed element */
	if (text(ps, &s, &len))
		return -1;
	if (ps->p == ps->end)
		return fail(ps, "the reply ends too early");
	if (starts(ps, "</")) {
		v->str = s;
		v->len = len;
		return close_tag(ps, "value");
	}
	if (!all_space(s, len))
		return fail(ps, "text next to a typed value");
	ps->arena_used -= len + 1; /* give the whitespace back */
	if (parse_typed(ps, depth, v))
		return -1;
	return close_tag(ps, "value");
}

/* <?xml version="1.0" encoding="UTF-8"?>: only UTF-8 (or its ASCII
 * subset) is read. */
static int xml_declaration(struct parser *ps)
{
	const char *q = ps->p, *close;
	char decl[256];
	size_t n;

	close = NULL;
	for (const char *c = q; ps->end - c >= 2; c++)
		if (c[0] == '?' && c[1] == '>') {
			close = c;
			break;
		}
	if (!close || close - q >= (ptrdiff_t)sizeof(decl))
		return fail(ps, "malformed XML declaration");
	n = (size_t)(close - q);
	memcpy(decl, q, n);
	decl[n] = '\0';
	for (char *c = decl; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (!strstr(decl, "version"))
		return fail(ps, "an XML declaration without a version");
	char *enc = strstr(decl, "encoding");
	if (enc) {
		enc += 8;
		while (*enc == ' ' || *enc == '=' || *enc == '"' || *enc == '\'')
			enc++;
		if (strncmp(enc, "utf-8", 5) && strncmp(enc, "us-ascii", 8))
			return fail(ps, "an encoding other than UTF-8");
	}
	ps->p = close + 2;
	return 0;
}

static int parse_document(struct parser *ps, struct xv_xmlrpc_reply *r)
{
	struct xv_xmlrpc_value *v;
	int rc;

	if (starts(ps, "\xEF\xBB\xBF"))
		ps->p += 3;
	if (starts(ps, "<?xml") && (ps->end - ps->p > 5 && is_space(ps->p[5]))) {
		ps->p += 5;
		if (xml_declaration(ps))
			return -1;
	}
	if (skip_misc(ps))
		return -1;
	if (starts(ps, "<!DOCTYPE") || starts(ps, "<!doctype"))
		return fail(ps, "a DOCTYPE (not allowed in XML-RPC)");
	if (open_tag(ps, "methodResponse") != 0)
		return ps->failed ? -1 : fail(ps, "an empty <methodResponse/>");
	if (skip_misc(ps))
		return -1;
	if (next_is(ps, "fault")) {
		const struct xv_xmlrpc_value *code, *string;
		if (open_tag(ps, "fault") != 0)
			return ps->failed ? -1 : fail(ps, "an empty <fault/>");
		if (parse_value(ps, 0, &v) || close_tag(ps, "fault"))
			return -1;
		code = xv_xmlrpc_member(v, "faultCode");
		string = xv_xmlrpc_member(v, "faultString");
		if (!code || code->type != XV_XMLRPC_INT || !string ||
		    string->type != XV_XMLRPC_STRING)
			return fail(ps, "a fault without an integer faultCode and a faultString");
		r->fault = true;
		r->fault_code = code->num;
		r->fault_string = string->str;
	} else {
		rc = open_tag(ps, "params");
		if (rc != 0)
			return ps->failed ? -1 : fail(ps, "no return value (<params/>)");
		if (open_tag(ps, "param") != 0)
			return ps->failed ? -1 : fail(ps, "an empty <param/>");
		if (parse_value(ps, 0, &v) || close_tag(ps, "param") || close_tag(ps, "params"))
			return -1;
	}
	r->value = v;
	if (close_tag(ps, "methodResponse") || skip_misc(ps))
		return -1;
	if (ps->p != ps->end)
		return fail(ps, "bytes after </methodResponse>");
	return 0;
}

static void free_blocks(struct block *b)
{
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
}

int xv_xmlrpc_parse(const char *data, size_t len, struct xv_xmlrpc_reply *r, struct xv_error *e)
{
	struct parser ps = { .start = data, .p = data, .end = data + len, .e = e };
	struct reply_priv *priv;

	memset(r, 0, sizeof(*r));
	ps.arena_size = len + 1;
	ps.arena = xv_malloc(ps.arena_size);
	if (parse_document(&ps, r)) {
		free(ps.arena);
		free_blocks(ps.blocks);
		memset(r, 0, sizeof(*r));
		return -1;
	}
	priv = xv_malloc(sizeof(*priv));
	priv->arena = ps.arena;
	priv->blocks = ps.blocks;
	r->priv = priv;
	return 0;
}

void xv_xmlrpc_reply_release(struct xv_xmlrpc_reply *r)
{
	struct reply_priv *priv = r->priv;

	if (priv) {
		free(priv->arena);
		free_blocks(priv->blocks);
		free(priv);
	}
	memset(r, 0, sizeof(*r));
}

const struct xv_xmlrpc_value *xv_xmlrpc_member(const struct xv_xmlrpc_value *v, const char *name)
{
	if (!v || v->type != XV_XMLRPC_STRUCT)
		return NULL;
	for (const struct xv_xmlrpc_value *m = v->first; m; m = m->next)
		if (m->name[0] == name[0] && !strcmp(m->name, name))
			return m;
	return NULL;
}

const char *xv_xmlrpc_type_name(enum xv_xmlrpc_type t)
{
	static const char *const names[] = { "string", "int", "boolean", "double",
					     "dateTime", "base64", "nil", "array", "struct" };
	return (unsigned)t < XV_ARRAY_SIZE(names) ? names[t] : "?";
}

/* --- writing ------------------------------------------------------------- */

void xv_xmlrpc_call_begin(struct xv_buf *b, const char *method)
{
	xv_buf_adds(b, "<?xml version=\"1.0\"?>\n<methodCall><methodName>");
	xv_text_escape_markup(b, method);
	xv_buf_adds(b, "</methodName><params>");
}

void xv_xmlrpc_param_string(struct xv_buf *b, const char *s)
{
	xv_buf_adds(b, "<param><value><string>");
	xv_text_escape_markup(b, s);
	xv_buf_adds(b, "</string></value></param>");
}

void xv_xmlrpc_param_bool(struct xv_buf *b, bool v)
{
	xv_buf_adds(b, v ? "<param><value><boolean>1</boolean></value></param>"
			 : "<param><value><boolean>0</boolean></value></param>");
}

void xv_xmlrpc_param_strings(struct xv_buf *b, const char *const *s, size_t n)
{
	xv_buf_adds(b, "<param><value><array><data>");
	for (size_t i = 0; i < n; i++) {
		xv_buf_adds(b, "<value><string>");
		xv_text_escape_markup(b, s[i]);
		xv_buf_adds(b, "</string></value>");
	}
	xv_buf_adds(b, "</data></array></value></param>");
}

void xv_xmlrpc_param_double(struct xv_buf *b, double d)
{
	xv_buf_adds(b, "<param><value><double>");
	xv_buf_add_double(b, d);
	xv_buf_adds(b, "</double></value></param>");
}

void xv_xmlrpc_call_end(struct xv_buf *b)
{
	xv_buf_adds(b, "</params></methodCall>\n");
}
