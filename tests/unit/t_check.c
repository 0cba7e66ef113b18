/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_output.c: status line, markers, sanitizing, perfdata. */
#include "harness.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The output as xv_check_render() builds it; xv_check_write() must write
 * the same bytes, or the text returned says it did not. */
static const char *render(struct xv_check *c)
{
	static char out[2048];
	struct xv_buf b = XV_BUF_INIT;
	char *written = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&written, &len);

	xv_check_render(c, &b);
	if (!f || xv_check_write(c, f) || fclose(f) || len != b.len || memcmp(written, b.data, len))
		snprintf(out, sizeof(out), "xv_check_write() wrote otherwise: '%s'", written);
	else
		snprintf(out, sizeof(out), "%s", b.data);
	free(written);
	xv_buf_release(&b);
	return out;
}

DEF_TEST(worst_first_with_markers)
{
	struct xv_check c;

	xv_check_init(&c, "XEN HOST");
	xv_check_subject(&c, "xen01");
	xv_check_add(&c, XV_OK, "all good");
	xv_check_add(&c, XV_WARNING, "a warning");
	xv_check_add(&c, XV_UNKNOWN, "a blind spot");
	xv_check_add(&c, XV_CRITICAL, "on fire");
	xv_check_add(&c, XV_WARNING, "second warning");
	EXPECT_EQ_INT(XV_CRITICAL, xv_check_state(&c));
	EXPECT_EQ_STR("XEN HOST CRITICAL - xen01: on fire (!!), a blind spot (?), a warning (!), "
		      "second warning (!), all good\n", render(&c));
	xv_check_release(&c);
	return 0;
}

DEF_TEST(unknown_outranks_warning)
{
	struct xv_check c;

	xv_check_init(&c, "XEN VM");
	xv_check_add(&c, XV_WARNING, "w");
	xv_check_add(&c, XV_UNKNOWN, "u");
	EXPECT_EQ_INT(XV_UNKNOWN, xv_check_state(&c));
	xv_check_release(&c);
	xv_check_init(&c, "XEN VM");
	EXPECT_EQ_INT(XV_OK, xv_check_state(&c)); /* nothing checked is OK */
	xv_check_add(&c, XV_UNKNOWN, "cannot read");
	EXPECT_EQ_STR("XEN VM UNKNOWN - cannot read\n", render(&c)); /* lone result: no marker */
	xv_check_release(&c);
	return 0;
}

DEF_TEST(hostile_text_is_sanitized)
{
	struct xv_check c;

	xv_check_init(&c, "XEN VM");
	xv_check_subject(&c, "evil|name\nline2");
	xv_check_add(&c, XV_OK, "a|b\tc");
	xv_check_detail(&c, "detail | with pipe\x01");
	EXPECT_EQ_STR("XEN VM OK - evil/name?line2: a/b?c\ndetail / with pipe?\n", render(&c));
	xv_check_release(&c);
	return 0;
}

DEF_TEST(perfdata_fields)
{
	struct xv_check c;
	struct xv_thresholds t = { .has_warning = true, .has_critical = true };

	xv_range_parse("10%:", XV_ALLOW_MEMORY, &t.warning);
	xv_range_parse("1G:", XV_ALLOW_MEMORY, &t.critical);
	xv_check_init(&c, "S");
	xv_check_add(&c, XV_OK, "x");
	/* bytes value: the percent threshold becomes bytes, rounded */
	struct xv_perf p1 = { .label = "mem_free", .value = 2147483648.0, .uom = "B",
			      .thresholds = &t, .whole = 17179869184.0, .has_min = true,
			      .has_max = true, .max = 17179869184.0 };
	xv_check_perf(&c, &p1);
	/* percent value: the byte threshold becomes percent */
	struct xv_perf p2 = { .label = "mem_free_pct", .value = 12.5, .uom = "%", .thresholds = &t,
			      .whole = 17179869184.0, .has_min = true, .has_max = true, .max = 100 };
	xv_check_perf(&c, &p2);
	/* no thresholds, no min/max: trailing semicolons dropped */
	struct xv_perf p3 = { .label = "load", .value = 0.25, .uom = "" };
	xv_check_perf(&c, &p3);
	/* labels that need quoting */
	struct xv_perf p4 = { .label = "it's a=b", .value = 3, .uom = "", .has_min = true };
	xv_check_perf(&c, &p4);
	/* a value that could not be determined */
	struct xv_perf p5 = { .label = "ratio", .uom = "%", .unknown = true };
	xv_check_perf(&c, &p5);
	EXPECT_EQ_STR("S OK - x | mem_free=2147483648B;1717986918:;1073741824:;0;17179869184 "
		      "mem_free_pct=12.5%;10:;6.25:;0;100 load=0.25 'it''s a_b'=3;;;0 ratio=U%\n", render(&c));
	xv_check_release(&c);
	return 0;
}

DEF_TEST(perf_label_from_a_hostile_name)
{
	struct xv_buf b = XV_BUF_INIT;

	/* a Latin-1 byte becomes U+FFFD; '|', '=', a newline become '_'; a quote
	 * doubles; valid UTF-8 stays */
	xv_perf_label(&b, "caf\xe9 o'hare=x|y\n\xc3\xbc_mem");
	EXPECT_EQ_STR("'caf\xef\xbf\xbd o''hare_x_y_\xc3\xbc_mem'", b.data);
	xv_buf_release(&b);
	return 0;
}

DEF_TEST(perfdata_unconvertible_threshold_left_empty)
{
	struct xv_check c;
	struct xv_thresholds t = { .has_warning = true };

	xv_range_parse("10%", XV_ALLOW_MEMORY, &t.warning);
	xv_check_init(&c, "S");
	struct xv_perf p = { .label = "gap", .value = 1024, .uom = "B", .thresholds = &t,
			     .has_min = true };
	xv_check_perf(&c, &p);
	EXPECT_EQ_STR("S OK -  | gap=1024B;;;0\n", render(&c));
	xv_check_release(&c);
	return 0;
}

DEF_TEST(format_kib)
{
	char b[32];

	xv_format_kib(512, b, sizeof(b));
	EXPECT_EQ_STR("512 KiB", b);
	xv_format_kib(1572864, b, sizeof(b));
	EXPECT_EQ_STR("1.5 GiB", b);
	xv_format_kib(8ULL << 20, b, sizeof(b));
	EXPECT_EQ_STR("8 GiB", b);
	xv_format_kib(3ULL << 30, b, sizeof(b));
	EXPECT_EQ_STR("3 TiB", b);
	/* one decimal, the exact quotient rounded half to even, as printf's
	 * %.1f would; TiB is the largest unit; a short buffer is clipped */
	xv_format_kib(1024 + 51, b, sizeof(b));
	EXPECT_EQ_STR("1.0 MiB", b);
	xv_format_kib(1024 + 52, b, sizeof(b));
	EXPECT_EQ_STR("1.1 MiB", b);
	xv_format_kib(1024 * 10 + 512, b, sizeof(b));
	EXPECT_EQ_STR("10.5 MiB", b);
	xv_format_kib(2048ULL << 30, b, sizeof(b));
	EXPECT_EQ_STR("2048 TiB", b);
	xv_format_kib(1572864, b, 4);
	EXPECT_EQ_STR("1.5", b);
	return 0;
}

int main(void)
{
	RUN_TEST(worst_first_with_markers);
	RUN_TEST(unknown_outranks_warning);
	RUN_TEST(hostile_text_is_sanitized);
	RUN_TEST(perfdata_fields);
	RUN_TEST(perfdata_unconvertible_threshold_left_empty);
	RUN_TEST(perf_label_from_a_hostile_name);
	RUN_TEST(format_kib);
	END_TEST;
}
