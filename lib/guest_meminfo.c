/* SPDX-License-Identifier: GPL-3.0-or-later */
/* guest_meminfo.c: parse what a guest publishes about its memory. */
#include "guest_meminfo.h"
#include "num.h"
#include "util.h"

#include <stdbool.h>
#include <string.h>

/* The x86 page size: vmstat counts pages. */
#define GUEST_PAGE_KIB 4

static bool name_char(char c, bool meminfo)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       (meminfo && ((c >= 'A' && c <= 'Z') || c == '(' || c == ')'));
}

/* One line split into its name and its number; unit says whether " kB"
 * followed.  false if the line does not have the form. */
struct line {
	const char *name;
	size_t name_len;
	uint64_t value;
	bool kb;
};

static bool split_line(const char *s, size_t len, bool meminfo, struct line *l)
{
	size_t i = 0, start;
	char digits[24];

	while (i < len && name_char(s[i], meminfo))
		i++;
	if (i == 0 || i > 64)
		return false;
	l->name = s;
	l->name_len = i;
	if (meminfo) {
		if (i >= len || s[i] != ':')
			return false;
		i++;
	}
	start = i;
	while (i < len && s[i] == ' ')
		i++;
	if (i == start)
		return false;
	start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start || i - start >= sizeof(digits))
		return false;
	memcpy(digits, s + start, i - start);
	digits[i - start] = '\0';
	if (xv_parse_u64(digits, 0, UINT64_MAX, &l->value))
		return false;
	l->kb = false;
	if (meminfo && len - i == 3 && !memcmp(s + i, " kB", 3)) {
		l->kb = true;
		i += 3;
	}
	return i == len;
}

static bool is(const struct line *l, const char *name)
{
	return l->name_len == strlen(name) && !memcmp(l->name, name, l->name_len);
}

/* Calls `each` for every line; false (with *why) at the first line that does
 * not have the form.  The last line may lack its newline; an empty line is
 * allowed only at the very end. */
static bool for_lines(const char *text, size_t len, bool meminfo, const char **why,
		      bool (*each)(const struct line *l, void *user, const char **why), void *user)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct line l;

		if (!split_line(text + pos, end - pos, meminfo, &l)) {
			*why = meminfo ? "a line that is not 'Name: number kB'"
				       : "a line that is not 'name number'";
			return false;
		}
		if (!each(&l, user, why))
			return false;
		pos = end + 1;
	}
	return true;
}

enum { MI_TOTAL, MI_FREE, MI_AVAILABLE, MI_BUFFERS, MI_CACHED, MI_COMMITTED, MI_SWAP_TOTAL,
       MI_SWAP_FREE, MI_COUNT };

static const char *const meminfo_names[MI_COUNT] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "Committed_AS", "SwapTotal",
	"SwapFree",
};

struct meminfo_values {
	uint64_t v[MI_COUNT];
	bool seen[MI_COUNT];
};

static bool meminfo_line(const struct line *l, void *user, const char **why)
{
	struct meminfo_values *m = user;

	for (int k = 0; k < MI_COUNT; k++) {
		if (!is(l, meminfo_names[k]))
			continue;
		if (m->seen[k]) {
			*why = "a figure given twice";
			return false;
		}
		if (!l->kb) {
			*why = "a figure without its kB unit";
			return false;
		}
		if (l->value > XV_KIB_MAX) {
			*why = "a size above 1 PiB";
			return false;
		}
		m->seen[k] = true;
		m->v[k] = l->value;
	}
	return true;
}

int xv_meminfo_parse(const char *text, size_t len, struct xv_guest_memory *g, const char **why)
{
	struct meminfo_values m = { { 0 }, { false } };
	struct xv_guest_memory out = *g;

	if (len > XV_MEMINFO_MAX_BYTES) {
		*why = "longer than a xenstore value";
		return -1;
	}
	if (!for_lines(text, len, true, why, meminfo_line, &m))
		return -1;
	if (!m.seen[MI_TOTAL]) {
		*why = "no MemTotal";
		return -1;
	}
#define GET(k) (m.seen[k] ? m.v[k] : XV_KIB_UNKNOWN)
	out.report = XV_GUEST_REPORTED;
	out.total_kib = m.v[MI_TOTAL];
	out.free_kib = GET(MI_FREE);
	out.available_kib = GET(MI_AVAILABLE);
	/* both at most 2^40: no overflow */
	out.cached_kib = m.seen[MI_BUFFERS] && m.seen[MI_CACHED] ? m.v[MI_BUFFERS] + m.v[MI_CACHED]
								 : XV_KIB_UNKNOWN;
	out.committed_kib = GET(MI_COMMITTED);
	out.swap_total_kib = GET(MI_SWAP_TOTAL);
	out.swap_used_kib = XV_KIB_UNKNOWN;
#undef GET
	if (m.seen[MI_SWAP_TOTAL] && m.seen[MI_SWAP_FREE]) {
		if (m.v[MI_SWAP_FREE] > m.v[MI_SWAP_TOTAL]) {
			*why = "SwapFree above SwapTotal";
			return -1;
		}
		out.swap_used_kib = m.v[MI_SWAP_TOTAL] - m.v[MI_SWAP_FREE];
	}
	*g = out;
	return 0;
}

struct vmstat_values {
	struct xv_guest_memory *g;
	bool seen_in, seen_out;
};

static bool vmstat_line(const struct line *l, void *user, const char **why)
{
	struct vmstat_values *v = user;
	bool in = is(l, "pswpin");
	uint64_t *out;
	bool *seen;

	if (!in && !is(l, "pswpout"))
		return true;
	out = in ? &v->g->swap_in_kib : &v->g->swap_out_kib;
	seen = in ? &v->seen_in : &v->seen_out;
	if (*seen) {
		*why = "a counter given twice";
		return false;
	}
	if (l->value > XV_KIB_COUNTER_MAX / GUEST_PAGE_KIB) {
		*why = "a swap counter above 2^53 KiB";
		return false;
	}
	*seen = true;
	*out = l->value * GUEST_PAGE_KIB;
	return true;
}

int xv_vmstat_parse(const char *text, size_t len, struct xv_guest_memory *g, const char **why)
{
	struct xv_guest_memory out = *g;
	struct vmstat_values v = { &out, false, false };

	if (len > XV_MEMINFO_MAX_BYTES) {
		*why = "longer than a xenstore value";
		return -1;
	}
	if (!for_lines(text, len, false, why, vmstat_line, &v))
		return -1;
	*g = out;
	return 0;
}
