/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_sls_feed.c: the exporter's figures (exact rounding down), statuses,
 * undefined ratios, text cleaning, ids and URIs. */
#include "harness.h"
#include "feed.h"
#include "sls_text.h"
#include "text.h"

#include <stdlib.h>

static struct xv_pool_report counts(size_t u, size_t U, size_t h, size_t H)
{
	struct xv_pool_report r = { 0 };

	r.vms_up = u;
	r.vms_expected = U;
	r.hosts_up = h;
	r.hosts_expected = H;
	xv_pool_report_figures(&r);
	return r;
}

/* permille of `kind`, or -1 when undefined */
static long pm(size_t u, size_t U, size_t h, size_t H, enum xv_sls_kind kind)
{
	struct xv_pool_report r = counts(u, U, h, H);
	struct xv_permille p = kind == XV_SLS_VM ? r.vm_ratio
			       : kind == XV_SLS_PM ? r.server_ratio : r.availability;

	return p.defined ? (long)p.value : -1;
}

DEF_TEST(permille_rounds_down_exactly)
{
	/* the degraded test pool: 6/8 VMs, 3/4 hosts */
	EXPECT_EQ_INT(750, pm(6, 8, 3, 4, XV_SLS_VM));
	EXPECT_EQ_INT(750, pm(6, 8, 3, 4, XV_SLS_PM));
	EXPECT_EQ_INT(750, pm(6, 8, 3, 4, XV_SLS_ALL));
	/* 5/6 and 1: harmonic mean 10/11 = 90.909... */
	EXPECT_EQ_INT(833, pm(5, 6, 2, 2, XV_SLS_VM));
	EXPECT_EQ_INT(909, pm(5, 6, 2, 2, XV_SLS_ALL));
	/* 2/3 is 66.6, not 66.7: never more than measured */
	EXPECT_EQ_INT(666, pm(2, 3, 1, 1, XV_SLS_VM));
	EXPECT_EQ_INT(800, pm(2, 3, 1, 1, XV_SLS_ALL));
	/* 29/100 is 0.28999999999999998 as a double: integers give 29.0 */
	EXPECT_EQ_INT(290, pm(29, 100, 1, 1, XV_SLS_VM));
	EXPECT_EQ_INT(449, pm(29, 100, 1, 1, XV_SLS_ALL)); /* 58/129 */
	/* one VM down of 20 000 on 1000 hosts: 99.995% shows as 99.9 */
	EXPECT_EQ_INT(999, pm(19999, 20000, 1000, 1000, XV_SLS_VM));
	EXPECT_EQ_INT(999, pm(19999, 20000, 1000, 1000, XV_SLS_ALL));
	EXPECT_EQ_INT(1000, pm(20000, 20000, 1000, 1000, XV_SLS_ALL));
	/* zeros: the harmonic mean's limit */
	EXPECT_EQ_INT(0, pm(0, 5, 2, 2, XV_SLS_ALL));
	EXPECT_EQ_INT(0, pm(5, 5, 0, 2, XV_SLS_ALL));
	EXPECT_EQ_INT(0, pm(0, 5, 0, 2, XV_SLS_ALL));
	return 0;
}

DEF_TEST(undefined_ratios)
{
	/* no VMs expected: no VM figure, the combined one is the server ratio */
	EXPECT_EQ_INT(-1, pm(0, 0, 1, 2, XV_SLS_VM));
	EXPECT_EQ_INT(500, pm(0, 0, 1, 2, XV_SLS_PM));
	EXPECT_EQ_INT(500, pm(0, 0, 1, 2, XV_SLS_ALL));
	/* no hosts: no server figure, the combined one is the VM ratio (0) */
	EXPECT_EQ_INT(-1, pm(0, 3, 0, 0, XV_SLS_PM));
	EXPECT_EQ_INT(0, pm(0, 3, 0, 0, XV_SLS_ALL));
	/* nothing expected: nothing defined */
	EXPECT_EQ_INT(-1, pm(0, 0, 0, 0, XV_SLS_ALL));
	return 0;
}

DEF_TEST(status_and_format)
{
	char buf[16];

	EXPECT_EQ_STR("available", xv_sls_status_name(xv_sls_status_of(1000)));
	EXPECT_EQ_STR("degraded", xv_sls_status_name(xv_sls_status_of(999)));
	EXPECT_EQ_STR("degraded", xv_sls_status_name(xv_sls_status_of(1)));
	EXPECT_EQ_STR("unavailable", xv_sls_status_name(xv_sls_status_of(0)));
	xv_permille_format(0, buf, sizeof(buf));
	EXPECT_EQ_STR("0.0", buf);
	xv_permille_format(909, buf, sizeof(buf));
	EXPECT_EQ_STR("90.9", buf);
	xv_permille_format(1000, buf, sizeof(buf));
	EXPECT_EQ_STR("100.0", buf);
	EXPECT_EQ_STR("_vm", xv_sls_suffix(XV_SLS_VM));
	EXPECT_EQ_STR("_pm", xv_sls_suffix(XV_SLS_PM));
	EXPECT_EQ_STR("", xv_sls_suffix(XV_SLS_ALL));
	return 0;
}

/* The VM feed of a pool without hosts whose 25 VMs are missing: the names
 * are capped, the count is not. */
DEF_TEST(info_lists_are_capped)
{
	struct xv_inventory inv = { 0 };
	struct xv_inv_pool pool = { .name = (char *)"p", .sls_contact = (char *)"" };
	struct xv_pool_report r = counts(0, 25, 0, 0);
	struct xv_sls_update u;
	const char *names[25];
	char store[25][8];
	struct timespec ts = { 1795558690, 0 };

	for (int i = 0; i < 25; i++) {
		snprintf(store[i], sizeof(store[i]), "m%02d", i);
		names[i] = store[i];
	}
	r.missing = names;
	r.n_missing = 25;
	xv_sls_update_build(&inv, &pool, "P", NULL, &r, ts, 1500, &u);
	EXPECT_TRUE(u.feeds[XV_SLS_VM].defined && !u.feeds[XV_SLS_PM].defined);
	EXPECT_TRUE(u.feeds[XV_SLS_ALL].defined && u.feeds[XV_SLS_ALL].permille == 0);
	EXPECT_EQ_STR("P_vm", u.feeds[XV_SLS_VM].id);
	EXPECT_EQ_STR("P", u.feeds[XV_SLS_ALL].id);
	EXPECT_EQ_STR("0 of 25 expected VMs up (0.0%).\n"
		      "Missing (seen on no host): m00, m01, m02, m03, m04, m05, m06, m07, m08, "
		      "m09, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19 and 5 more.",
		      u.feeds[XV_SLS_VM].info);
	EXPECT_CONTAINS("Availability 0.0%: 0 of 25 VMs up; the pool has no hosts, so this is "
			"the VM ratio alone.", u.feeds[XV_SLS_ALL].info);
	EXPECT_EQ_INT(XV_SLS_UNAVAILABLE, u.feeds[XV_SLS_VM].status);
	EXPECT_TRUE(u.contact == NULL); /* empty means not configured */
	/* undefined ratios have no number; counts are all there */
	EXPECT_EQ_STR("availability", u.numbers[0].name);
	EXPECT_EQ_STR("0.0", u.numbers[0].value);
	EXPECT_EQ_STR("vm_ratio", u.numbers[1].name);
	EXPECT_EQ_STR("hosts", u.numbers[2].name);
	EXPECT_EQ_STR("vms_missing", u.numbers[7].name);
	EXPECT_EQ_STR("25", u.numbers[7].value);
	EXPECT_EQ_STR("poll_time", u.numbers[u.n_numbers - 1].name);
	EXPECT_EQ_STR("1.5", u.numbers[u.n_numbers - 1].value);
	xv_sls_update_release(&u);
	return 0;
}

static const char *cleaned(const char *s)
{
	static struct xv_buf b = XV_BUF_INIT;

	xv_buf_reset(&b);
	xv_text_clean(&b, s, XV_TEXT_DOCUMENT);
	return b.data;
}

#define FFFD "\xef\xbf\xbd"

DEF_TEST(clean_text)
{
	EXPECT_EQ_STR("a<b&c>\"d'e", cleaned("a<b&c>\"d'e")); /* markup is the writer's job */
	EXPECT_EQ_STR("tab\there\nnew\rline", cleaned("tab\there\nnew\rline"));
	EXPECT_EQ_STR("a" FFFD "b" FFFD, cleaned("a\x01" "b\x1f"));
	EXPECT_EQ_STR("caf\xc3\xa9 \xf0\x9f\x98\x80", cleaned("caf\xc3\xa9 \xf0\x9f\x98\x80"));
	EXPECT_EQ_STR(FFFD FFFD, cleaned("\xff\xfe"));
	EXPECT_EQ_STR(FFFD FFFD, cleaned("\xc0\xaf"));            /* overlong '/' */
	EXPECT_EQ_STR(FFFD FFFD FFFD, cleaned("\xed\xa0\x80"));   /* a surrogate */
	EXPECT_EQ_STR(FFFD FFFD FFFD FFFD, cleaned("\xf4\x90\x80\x80")); /* past U+10FFFF */
	EXPECT_EQ_STR("x" FFFD FFFD, cleaned("x\xe2\x82"));        /* cut short */
	EXPECT_EQ_STR(FFFD FFFD FFFD, cleaned("\xef\xbf\xbe"));    /* U+FFFE */
	EXPECT_EQ_STR("\xef\xbf\xbd", cleaned("\xef\xbf\xbd"));    /* U+FFFD itself is fine */
	EXPECT_EQ_STR("\xc2\x85", cleaned("\xc2\x85"));            /* C1 controls are XML chars */
	EXPECT_TRUE(xv_text_is_clean("caf\xc3\xa9\n"));
	EXPECT_TRUE(!xv_text_is_clean("a\x7f\x01"));
	EXPECT_TRUE(!xv_text_is_clean("\xc3"));
	return 0;
}

DEF_TEST(ids)
{
	char id[XV_SLS_ID_MAX + 2];

	EXPECT_TRUE(xv_sls_id_valid("DBVirt"));
	EXPECT_TRUE(xv_sls_id_valid("a.b-c_D9"));
	EXPECT_TRUE(!xv_sls_id_valid(""));
	EXPECT_TRUE(!xv_sls_id_valid("my pool"));
	EXPECT_TRUE(!xv_sls_id_valid("../etc"));
	EXPECT_TRUE(!xv_sls_id_valid("a/b"));
	EXPECT_TRUE(!xv_sls_id_valid("caf\xc3\xa9"));
	EXPECT_TRUE(!xv_sls_id_valid("x<y"));
	memset(id, 'a', XV_SLS_ID_MAX);
	id[XV_SLS_ID_MAX] = '\0';
	EXPECT_TRUE(xv_sls_id_valid(id));
	id[XV_SLS_ID_MAX] = 'a';
	id[XV_SLS_ID_MAX + 1] = '\0';
	EXPECT_TRUE(!xv_sls_id_valid(id));
	return 0;
}

static const char *uri(const char *s)
{
	static struct xv_buf b = XV_BUF_INIT;

	xv_buf_reset(&b);
	xv_sls_uri_escape(&b, s);
	return b.data;
}

DEF_TEST(uris)
{
	EXPECT_EQ_STR("https://example.org/dbvirt?a=1&b=%41#x",
		      uri("https://example.org/dbvirt?a=1&b=%41#x"));
	EXPECT_EQ_STR("https://example.org/a%20b%3Cc%3E%22", uri("https://example.org/a b<c>\""));
	EXPECT_EQ_STR("http://h/%25zz%25", uri("http://h/%zz%"));
	EXPECT_EQ_STR("http://h/caf%C3%A9%01", uri("http://h/caf\xc3\xa9\x01"));
	return 0;
}

int main(void)
{
	RUN_TEST(permille_rounds_down_exactly);
	RUN_TEST(undefined_ratios);
	RUN_TEST(status_and_format);
	RUN_TEST(info_lists_are_capped);
	RUN_TEST(clean_text);
	RUN_TEST(ids);
	RUN_TEST(uris);
	END_TEST;
}
