/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_sls_write.c: the exact XSLS, legacy and JSON documents for a feed with
 * hostile text, and that libxml2 reads back what was meant. */
#include "harness.h"
#include "feed.h"
#include "sls_text.h"
#include "write.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>

#define FFFD "\xef\xbf\xbd"

/* An update built by hand: the pool name and the info carry markup,
 * quotes, a control character and a byte that is not UTF-8. */
static void sample(struct xv_sls_update *u)
{
	struct xv_sls_feed *f = &u->feeds[XV_SLS_VM];

	memset(u, 0, sizeof(*u));
	u->pool = "p";
	u->contact = "ops <ops@example.org>";
	u->webpage = "https://example.org/a b";
	u->timestamp = (struct timespec){ 1795558690, 250000000 };
	f->kind = XV_SLS_VM;
	f->id = (char *)"P_vm";
	f->defined = f->has_availability = true;
	f->permille = 909;
	f->status = XV_SLS_DEGRADED;
	f->desc = (char *)"Xen pool <p&q>";
	f->info = (char *)"10 of 11 expected VMs up (90.9%).\nMissing: a<b&c>\"d'e, ctl\x01x, bad\xffutf8, ]]>.";
	u->numbers[0] = (struct xv_sls_number){ "vm_ratio", "expected VMs up, percent", "90.9",
						NULL };
	u->numbers[1] = (struct xv_sls_number){ "vms", "VMs expected", "11", "vms" };
	u->numbers[2] = (struct xv_sls_number){ "vms_up", "up", "10", "vms" };
	u->numbers[3] = (struct xv_sls_number){ "poll_time", "seconds", "0.012", NULL };
	u->n_numbers = 4;
}

static const char *render(const struct xv_sls_update *u, enum xv_sls_format fmt,
			  const struct xv_sls_legacy *legacy)
{
	static struct xv_buf b = XV_BUF_INIT;
	static struct xv_error err;

	xv_buf_reset(&b);
	if (xv_sls_render(u, &u->feeds[XV_SLS_VM], fmt, legacy, &b, &err))
		return err.msg;
	return b.data;
}

static const char xsls[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<serviceupdate xmlns=\"http://sls.cern.ch/SLS/XML/update\">\n"
	"  <id>P_vm</id>\n"
	"  <timestamp>2026-11-24T22:18:10Z</timestamp>\n"
	"  <availability>90.9</availability>\n"
	"  <availabilitydesc>Xen pool &lt;p&amp;q&gt;</availabilitydesc>\n"
	"  <availabilityinfo>10 of 11 expected VMs up (90.9%).\n"
	"Missing: a&lt;b&amp;c&gt;&quot;d'e, ctl" FFFD "x, bad" FFFD "utf8, ]]&gt;.</availabilityinfo>\n"
	"  <contact>ops &lt;ops@example.org&gt;</contact>\n"
	"  <webpage>https://example.org/a%20b</webpage>\n"
	"  <data>\n"
	"    <numericvalue name=\"vm_ratio\" desc=\"expected VMs up, percent\">90.9</numericvalue>\n"
	"    <numericvalue name=\"vms\" desc=\"VMs expected\">11</numericvalue>\n"
	"    <numericvalue name=\"vms_up\" desc=\"up\">10</numericvalue>\n"
	"    <numericvalue name=\"poll_time\" desc=\"seconds\">0.012</numericvalue>\n"
	"  </data>\n"
	"</serviceupdate>\n";

DEF_TEST(xsls_document)
{
	struct xv_sls_update u;

	sample(&u);
	EXPECT_EQ_STR(xsls, render(&u, XV_SLS_XSLS, NULL));
	return 0;
}

DEF_TEST(status_instead_of_availability)
{
	struct xv_sls_update u;
	const char *doc;

	sample(&u);
	u.feeds[XV_SLS_VM].has_availability = false;
	u.feeds[XV_SLS_VM].status = XV_SLS_UNAVAILABLE;
	doc = render(&u, XV_SLS_XSLS, NULL);
	EXPECT_CONTAINS("  <status>unavailable</status>\n", doc);
	EXPECT_TRUE(!strstr(doc, "<availability>"));
	return 0;
}

DEF_TEST(legacy_document)
{
	struct xv_sls_update u;
	struct xv_sls_legacy legacy = { { 99, 90, 50 }, 300, 900 };
	const char *doc;

	sample(&u);
	doc = render(&u, XV_SLS_LEGACY, &legacy);
	EXPECT_CONTAINS("  <availability>90.9</availability>\n"
			"  <availabilitythresholds>\n"
			"    <threshold level=\"available\">99</threshold>\n"
			"    <threshold level=\"affected\">90</threshold>\n"
			"    <threshold level=\"degraded\">50</threshold>\n"
			"  </availabilitythresholds>\n"
			"  <refreshperiod>PT5M</refreshperiod>\n"
			"  <validityduration>PT15M</validityduration>\n", doc);
	EXPECT_CONTAINS("  <data>\n"
			"    <numericvalue name=\"vm_ratio\" desc=\"expected VMs up, percent\">90.9</numericvalue>\n"
			"    <grp name=\"vms\">\n"
			"      <numericvalue name=\"vms\" desc=\"VMs expected\">11</numericvalue>\n"
			"      <numericvalue name=\"vms_up\" desc=\"up\">10</numericvalue>\n"
			"    </grp>\n"
			"    <numericvalue name=\"poll_time\" desc=\"seconds\">0.012</numericvalue>\n"
			"  </data>\n", doc);
	return 0;
}

DEF_TEST(json_document)
{
	struct xv_sls_update u;

	sample(&u);
	EXPECT_EQ_STR("{\n"
		      "  \"producer\": \"xvmon\",\n"
		      "  \"type\": \"availability\",\n"
		      "  \"serviceid\": \"P_vm\",\n"
		      "  \"service_status\": \"degraded\",\n"
		      "  \"timestamp\": 1795558690250,\n"
		      "  \"availabilitydesc\": \"Xen pool <p&q>\",\n"
		      "  \"availabilityinfo\": \"10 of 11 expected VMs up (90.9%).\\nMissing: "
		      "a<b&c>\\\"d'e, ctl" FFFD "x, bad" FFFD "utf8, ]]>.\",\n"
		      "  \"contact\": \"ops <ops@example.org>\",\n"
		      "  \"webpage\": \"https://example.org/a%20b\",\n"
		      "  \"availability\": 90.9,\n"
		      "  \"data\": {\n"
		      "    \"vm_ratio\": 90.9,\n"
		      "    \"vms\": 11,\n"
		      "    \"vms_up\": 10,\n"
		      "    \"poll_time\": 0.012\n"
		      "  }\n"
		      "}\n",
		      render(&u, XV_SLS_JSON, NULL));
	return 0;
}

/* What a consumer's parser reads is the cleaned text, character for character. */
DEF_TEST(parses_back)
{
	struct xv_sls_update u;
	const char *doc;
	xmlDocPtr x;
	xmlNodePtr n;
	int seen = 0;

	sample(&u);
	doc = render(&u, XV_SLS_XSLS, NULL);
	x = xmlReadMemory(doc, (int)strlen(doc), "feed.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	EXPECT_TRUE(x != NULL);
	for (n = xmlDocGetRootElement(x)->children; n; n = n->next) {
		xmlChar *text;
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "availabilityinfo"))
			continue;
		text = xmlNodeGetContent(n);
		seen = !strcmp((const char *)text, "10 of 11 expected VMs up (90.9%).\nMissing: "
						  "a<b&c>\"d'e, ctl" FFFD "x, bad" FFFD "utf8, ]]>.");
		xmlFree(text);
	}
	xmlFreeDoc(x);
	EXPECT_TRUE(seen);
	return 0;
}

DEF_TEST(times)
{
	char buf[64];

	xv_sls_format_datetime((struct timespec){ 0, 0 }, buf, sizeof(buf));
	EXPECT_EQ_STR("1970-01-01T00:00:00Z", buf);
	xv_sls_format_duration(300, buf, sizeof(buf));
	EXPECT_EQ_STR("PT5M", buf);
	xv_sls_format_duration(3600, buf, sizeof(buf));
	EXPECT_EQ_STR("PT1H", buf);
	xv_sls_format_duration(3661, buf, sizeof(buf));
	EXPECT_EQ_STR("PT1H1M1S", buf);
	xv_sls_format_duration(90, buf, sizeof(buf));
	EXPECT_EQ_STR("PT1M30S", buf);
	xv_sls_format_duration(0, buf, sizeof(buf));
	EXPECT_EQ_STR("PT0S", buf);
	EXPECT_EQ_STR(".xml", xv_sls_extension(XV_SLS_LEGACY));
	EXPECT_EQ_STR(".json", xv_sls_extension(XV_SLS_JSON));
	return 0;
}

int main(void)
{
	RUN_TEST(xsls_document);
	RUN_TEST(status_instead_of_availability);
	RUN_TEST(legacy_document);
	RUN_TEST(json_document);
	RUN_TEST(parses_back);
	RUN_TEST(times);
	xmlCleanupParser();
	END_TEST;
}
