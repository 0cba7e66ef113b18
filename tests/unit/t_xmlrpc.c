/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_xmlrpc.c: the XML-RPC codec: every type, both spellings of strings,
 * entities, faults, and the hostile replies it refuses (with the byte). */
#include "harness.h"
#include "buf.h"
#include "xmlrpc.h"

#include <stdlib.h>

#define HEAD "<?xml version='1.0'?><methodResponse><params><param>"
#define TAIL "</param></params></methodResponse>"

static int parse(const char *text, struct xv_xmlrpc_reply *r, struct xv_error *e)
{
	return xv_xmlrpc_parse(text, strlen(text), r, e);
}

DEF_TEST(types)
{
	struct xv_xmlrpc_reply r;
	struct xv_error e;
	const struct xv_xmlrpc_value *v;
	const char *doc = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n"
		"<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
		"<value>untyped &lt;&amp;&gt; &#233;&#x20AC; <![CDATA[<raw>]]></value>\n"
		"<value><string>typed</string></value>\n<value><string/></value>\n<value/>\n"
		"<value><int> 42 </int></value><value><i4>-7</i4></value>"
		"<value><i8>9007199254740993</i8></value>\n"
		"<value><boolean>1</boolean></value><value><double>1.5e3</double></value>"
		"<value><dateTime.iso8601>20260101T00:00:00</dateTime.iso8601></value>"
		"<value><base64>eHY=</base64></value><value><nil/></value>"
		"<value><struct><member><name>a</name><value>1</value></member>"
		"<member><name>b</name><value><struct/></value></member></struct></value>"
		"<value><array><data/></array></value>\n"
		"</data></array></value>\n</param>\n</params>\n</methodResponse>\n";

	EXPECT_EQ_INT(0, parse(doc, &r, &e));
	EXPECT_TRUE(!r.fault);
	EXPECT_EQ_INT(XV_XMLRPC_ARRAY, r.value->type);
	EXPECT_EQ_INT(14, (int)r.value->n);
	v = r.value->first;
	EXPECT_EQ_STR("untyped <&> \xC3\xA9\xE2\x82\xAC <raw>", v->str);
	v = v->next;
	EXPECT_EQ_STR("typed", v->str);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_STRING, v->type);
	EXPECT_EQ_STR("", v->str);
	v = v->next;
	EXPECT_EQ_STR("", v->str);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_INT, v->type);
	EXPECT_EQ_INT(42, v->num);
	v = v->next;
	EXPECT_EQ_INT(-7, v->num);
	v = v->next;
	EXPECT_EQ_INT(9007199254740993LL, v->num);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_BOOL, v->type);
	EXPECT_EQ_INT(1, v->num);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_DOUBLE, v->type);
	EXPECT_EQ_STR("1.5e3", v->str);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_DATETIME, v->type);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_BASE64, v->type);
	EXPECT_EQ_STR("eHY=", v->str);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_NIL, v->type);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_STRUCT, v->type);
	EXPECT_EQ_STR("1", xv_xmlrpc_member(v, "a")->str);
	EXPECT_EQ_INT(XV_XMLRPC_STRUCT, xv_xmlrpc_member(v, "b")->type);
	EXPECT_EQ_INT(0, (int)xv_xmlrpc_member(v, "b")->n);
	EXPECT_TRUE(xv_xmlrpc_member(v, "c") == NULL);
	v = v->next;
	EXPECT_EQ_INT(XV_XMLRPC_ARRAY, v->type);
	EXPECT_EQ_INT(0, (int)v->n);
	EXPECT_TRUE(v->next == NULL);
	xv_xmlrpc_reply_release(&r);
	return 0;
}

DEF_TEST(fault)
{
	struct xv_xmlrpc_reply r;
	struct xv_error e;

	EXPECT_EQ_INT(0, parse("<methodResponse><fault><value><struct><member><name>faultCode"
			       "</name><value><int>-32601</int></value></member><member><name>"
			       "faultString</name><value>no such method</value></member></struct>"
			       "</value></fault></methodResponse>", &r, &e));
	EXPECT_TRUE(r.fault);
	EXPECT_EQ_INT(-32601, r.fault_code);
	EXPECT_EQ_STR("no such method", r.fault_string);
	xv_xmlrpc_reply_release(&r);
	return 0;
}

DEF_TEST(hostile)
{
	static const struct {
		const char *doc, *why;
	} cases[] = {
		{ "", "at byte 0: the reply ends too early (expected <methodResponse>)" },
		{ "<html>502 Bad Gateway</html>", "at byte 0: expected <methodResponse>" },
		{ "<!DOCTYPE x [<!ENTITY a 'b'>]><methodResponse/>", "a DOCTYPE" },
		{ HEAD "<value>&a;</value>" TAIL, "an unknown entity" },
		{ HEAD "<value>&#0;</value>" TAIL, "a character reference to a character XML forbids" },
		{ HEAD "<value>&#xD800;</value>" TAIL, "a character XML forbids" },
		{ HEAD "<value>&#99999999;</value>" TAIL, "a character XML forbids" },
		{ HEAD "<value>&#9999999999;</value>" TAIL, "malformed character reference" },
		{ HEAD "<value>&#x;</value>" TAIL, "malformed character reference" },
		{ HEAD "<value>\xff</value>" TAIL, "invalid UTF-8" },
		{ HEAD "<value>\xc0\xaf</value>" TAIL, "invalid UTF-8" },
		{ HEAD "<value>\x01</value>" TAIL, "invalid UTF-8 or a character XML forbids" },
		{ HEAD "<value>a<string>b</string></value>" TAIL, "text next to a typed value" },
		{ HEAD "<value><int>12x</int></value>" TAIL, "an integer that is not one" },
		{ HEAD "<value><int>4294967296</int></value>" TAIL, "an <int> beyond 32 bits" },
		{ HEAD "<value><i8>99999999999999999999</i8></value>" TAIL, "out of range" },
		{ HEAD "<value><boolean>yes</boolean></value>" TAIL, "a boolean that is not 0 or 1" },
		{ HEAD "<value><blob>x</blob></value>" TAIL, "an unknown XML-RPC type" },
		{ HEAD "<value id='1'>x</value>" TAIL, "expected <value> (no attributes)" },
		{ HEAD "<value>x</value>", "expected </param>" },
		{ HEAD "<value>x</value>" TAIL "junk", "bytes after </methodResponse>" },
		{ HEAD "<value>x" , "the reply ends too early" },
		{ HEAD "<value><string>x</string></value></param>", "the reply ends too early (expected </params>)" },
		{ HEAD "<value><struct><member><value>1</value></member></struct></value>" TAIL,
		  "expected <name>" },
		{ HEAD "<value><array></array></value>" TAIL, "expected <data>" },
		{ "<methodResponse><params/></methodResponse>", "no return value" },
		{ "<methodResponse><fault><value><struct/></value></fault></methodResponse>",
		  "a fault without an integer faultCode and a faultString" },
		{ "<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse/>",
		  "an encoding other than UTF-8" },
		{ HEAD "<value><!-- x -- y --></value>" TAIL, "'--' inside a comment" },
		{ HEAD "<value>]]></value>" TAIL, "']]>' in character data" },
	};
	struct xv_xmlrpc_reply r;
	struct xv_error e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i].doc, &r, &e) == 0)
			FAIL_AT("accepted: %s", cases[i].doc);
		EXPECT_EQ_INT(XV_E_HOST, e.code);
		EXPECT_CONTAINS("the reply is not XML-RPC: at byte ", e.msg);
		EXPECT_CONTAINS(cases[i].why, e.msg);
	}
	return 0;
}

/* Nesting is bounded: no stack exhaustion from a peer. */
DEF_TEST(deep)
{
	struct xv_buf b = XV_BUF_INIT;
	struct xv_xmlrpc_reply r;
	struct xv_error e;

	xv_buf_adds(&b, HEAD);
	for (int i = 0; i < 100000; i++)
		xv_buf_adds(&b, "<value><array><data>");
	EXPECT_EQ_INT(-1, xv_xmlrpc_parse(b.data, b.len, &r, &e));
	EXPECT_CONTAINS("values nested too deep", e.msg);
	xv_buf_release(&b);
	return 0;
}

/* What we send parses back (the calls of the sources, escaping included). */
DEF_TEST(calls)
{
	struct xv_buf b = XV_BUF_INIT;
	static const char *const classes[] = { "VM", "host" };

	xv_xmlrpc_call_begin(&b, "session.login_with_password");
	xv_xmlrpc_param_string(&b, "root");
	xv_xmlrpc_param_string(&b, "p<a&s>s\r");
	xv_xmlrpc_param_strings(&b, classes, 2);
	xv_xmlrpc_param_double(&b, 0.5);
	xv_xmlrpc_call_end(&b);
	EXPECT_EQ_STR("<?xml version=\"1.0\"?>\n<methodCall><methodName>session.login_with_password"
		      "</methodName><params><param><value><string>root</string></value></param>"
		      "<param><value><string>p&lt;a&amp;s&gt;s&#13;</string></value></param>"
		      "<param><value><array><data><value><string>VM</string></value><value>"
		      "<string>host</string></value></data></array></value></param><param><value>"
		      "<double>0.5</double></value></param></params></methodCall>\n", b.data);
	xv_buf_reset(&b);
	xv_xmlrpc_call_begin(&b, "VM.start");
	xv_xmlrpc_param_bool(&b, true);
	xv_xmlrpc_param_bool(&b, false);
	xv_xmlrpc_call_end(&b);
	EXPECT_CONTAINS("<params><param><value><boolean>1</boolean></value></param><param><value>"
			"<boolean>0</boolean></value></param></params>", b.data);
	xv_buf_release(&b);
	return 0;
}

int main(void)
{
	RUN_TEST(types);
	RUN_TEST(fault);
	RUN_TEST(hostile);
	RUN_TEST(deep);
	RUN_TEST(calls);
	END_TEST;
}
