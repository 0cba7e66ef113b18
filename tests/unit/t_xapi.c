/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_xapi.c: XenAPI records and Oracle VM agent answers into snapshots:
 * which host, which domains, units, and every refusal naming its field. */
#include "harness.h"
#include "buf.h"
#include "ovs.h"
#include "xapi.h"
#include "xmlrpc.h"

#include <stdarg.h>
#include <stdlib.h>

/* A pool of two hosts: xen-a (master, 10.0.0.1) with dom0, a running and
 * a paused guest, a halted one and a template; xen-b (10.0.0.2) with dom0
 * and one guest.  `edit` replaces one substring of the document (to break
 * it) when not NULL. */
static void member(struct xv_buf *b, const char *name, const char *value)
{
	xv_buf_addf(b, "<member><name>%s</name><value>%s</value></member>", name, value);
}

static void event(struct xv_buf *b, const char *cls, const char *ref, const char *fields)
{
	xv_buf_addf(b, "<value><struct><member><name>class</name><value>%s</value></member>"
		       "<member><name>operation</name><value>add</value></member>"
		       "<member><name>ref</name><value>%s</value></member>"
		       "<member><name>snapshot</name><value><struct>%s</struct></value></member>"
		       "</struct></value>",
		    cls, ref, fields);
}

static char *vm(const char *name, const char *domid, const char *state, const char *host,
		const char *extra)
{
	struct xv_buf b = XV_BUF_INIT;
	char uuid[64];

	snprintf(uuid, sizeof(uuid), "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a%02d", atoi(domid) + 10);
	member(&b, "name_label", name);
	member(&b, "uuid", uuid);
	member(&b, "power_state", state);
	member(&b, "domid", domid);
	member(&b, "resident_on", host);
	xv_buf_addf(&b, "<member><name>is_control_domain</name><value><boolean>%d</boolean></value>"
			"</member>", !strcmp(domid, "0"));
	member(&b, "memory_static_max", "4294967296");
	member(&b, "memory_target", "3221225472");
	member(&b, "VCPUs_at_startup", "2");
	xv_buf_addf(&b, "<member><name>metrics</name><value>OpaqueRef:m-%s-%s</value></member>",
		    name, domid);
	xv_buf_adds(&b, extra);
	return xv_buf_detach(&b);
}

static void add_vm(struct xv_buf *b, const char *name, const char *domid, const char *state,
		   const char *host, const char *extra)
{
	char ref[64], mref[64], fields[256];
	char *f = vm(name, domid, state, host, extra);

	snprintf(ref, sizeof(ref), "OpaqueRef:v-%s", name);
	snprintf(mref, sizeof(mref), "OpaqueRef:m-%s-%s", name, domid);
	event(b, "vm", ref, f);
	free(f);
	snprintf(fields, sizeof(fields),
		 "<member><name>memory_actual</name><value>2147483648</value></member>"
		 "<member><name>VCPUs_number</name><value><int>2</int></value></member>");
	event(b, "vm_metrics", mref, fields);
}

static char *pool_doc(const char *edit_from, const char *edit_to)
{
	struct xv_buf b = XV_BUF_INIT;
	char *doc, *at;

	xv_buf_adds(&b, "<methodResponse><params><param><value><struct>"
			"<member><name>Status</name><value>Success</value></member>"
			"<member><name>Value</name><value><struct><member><name>events</name>"
			"<value><array><data>");
	event(&b, "pool", "OpaqueRef:p", "<member><name>master</name><value>OpaqueRef:a</value></member>");
	event(&b, "host", "OpaqueRef:a",
	      "<member><name>hostname</name><value>xen-a</value></member>"
	      "<member><name>name_label</name><value>label-a</value></member>"
	      "<member><name>address</name><value>10.0.0.1</value></member>"
	      "<member><name>metrics</name><value>OpaqueRef:ha</value></member>"
	      "<member><name>software_version</name><value><struct><member><name>xen</name>"
	      "<value>4.13.5</value></member></struct></value></member>"
	      "<member><name>cpu_info</name><value><struct><member><name>cpu_count</name>"
	      "<value>16</value></member></struct></value></member>");
	event(&b, "host", "OpaqueRef:b",
	      "<member><name>hostname</name><value>xen-b</value></member>"
	      "<member><name>address</name><value>10.0.0.2</value></member>"
	      "<member><name>metrics</name><value>OpaqueRef:hb</value></member>"
	      "<member><name>host_CPUs</name><value><array><data><value>OpaqueRef:c1</value>"
	      "<value>OpaqueRef:c2</value></data></array></value></member>");
	event(&b, "host_metrics", "OpaqueRef:ha",
	      "<member><name>memory_total</name><value>68719476736</value></member>"
	      "<member><name>memory_free</name><value>17179869184</value></member>"
	      "<member><name>live</name><value><boolean>1</boolean></value></member>");
	event(&b, "host_metrics", "OpaqueRef:hb",
	      "<member><name>memory_total</name><value>34359738368</value></member>"
	      "<member><name>memory_free</name><value>1073741824</value></member>"
	      "<member><name>live</name><value><boolean>1</boolean></value></member>");
	add_vm(&b, "web1", "7", "Running", "OpaqueRef:a", "");
	add_vm(&b, "Domain-0", "0", "Running", "OpaqueRef:a", "");
	add_vm(&b, "batch1", "3", "Paused", "OpaqueRef:a", "");
	add_vm(&b, "old1", "-1", "Halted", "OpaqueRef:NULL", "");
	add_vm(&b, "Debian 12", "-1", "Halted", "OpaqueRef:NULL",
	       "<member><name>is_a_template</name><value><boolean>1</boolean></value></member>");
	add_vm(&b, "snap1", "9", "Running", "OpaqueRef:a",
	       "<member><name>is_a_snapshot</name><value><boolean>1</boolean></value></member>");
	add_vm(&b, "Control domain on xen-b", "0", "Running", "OpaqueRef:b", "");
	add_vm(&b, "db1", "1", "Running", "OpaqueRef:b", "");
	xv_buf_adds(&b, "</data></array></value></member></struct></value></member></struct>"
			"</value></param></params></methodResponse>");
	doc = xv_buf_detach(&b);
	if (edit_from && (at = strstr(doc, edit_from))) {
		struct xv_buf c = XV_BUF_INIT;
		xv_buf_add(&c, doc, (size_t)(at - doc));
		xv_buf_adds(&c, edit_to);
		xv_buf_adds(&c, at + strlen(edit_from));
		free(doc);
		doc = xv_buf_detach(&c);
	}
	return doc;
}

/* Parses the document with one edit and builds the snapshot of `which`. */
static int convert(const char *from, const char *to, const struct xv_xapi_which *which,
		   struct xv_snapshot *snap, struct xv_error *e)
{
	char *doc = pool_doc(from, to);
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *value, *failure;
	struct xv_xapi_tables t;
	int rc = -1;

	xv_snapshot_init(snap);
	xv_xapi_tables_init(&t);
	if (xv_xmlrpc_parse(doc, strlen(doc), &r, e) == 0) {
		if (xv_xapi_result(&r, &value, &failure, e) == 0 &&
		    xv_xapi_add_events(&t, value, e) == 0)
			rc = xv_xapi_snapshot(&t, which, snap, e);
		xv_xmlrpc_reply_release(&r);
	}
	xv_xapi_tables_release(&t);
	free(doc);
	return rc;
}

DEF_TEST(master)
{
	struct xv_xapi_which w = { NULL, NULL };
	struct xv_snapshot s;
	struct xv_error e;

	EXPECT_EQ_INT(0, convert(NULL, NULL, &w, &s, &e));
	EXPECT_EQ_STR("xen-a", s.host.name); /* hostname before name_label */
	EXPECT_EQ_STR("xen-a", s.host.pool_master); /* its own master */
	EXPECT_EQ_STR("4.13.5", s.host.xen_version);
	EXPECT_EQ_U64(64ULL << 20, s.host.total_kib);
	EXPECT_EQ_U64(16ULL << 20, s.host.free_kib);
	EXPECT_EQ_INT(16, s.host.cpus);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, s.host.scrub_kib);
	EXPECT_EQ_U64(2ULL << 20, s.host.dom0_kib);
	/* by domid, dom0 first; no template, snapshot, halted VM or other host's VM */
	EXPECT_EQ_INT(3, (int)s.n_domains);
	EXPECT_EQ_STR("Domain-0", s.domains[0].name);
	EXPECT_EQ_STR("batch1", s.domains[1].name);
	EXPECT_EQ_INT(XV_DOM_PAUSED, s.domains[1].flags);
	EXPECT_EQ_STR("web1", s.domains[2].name);
	EXPECT_EQ_INT(7, s.domains[2].id);
	EXPECT_EQ_INT(XV_DOM_RUNNING, s.domains[2].flags);
	EXPECT_EQ_STR("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a17", s.domains[2].uuid);
	EXPECT_EQ_U64(2ULL << 20, s.domains[2].cur_kib);
	EXPECT_EQ_U64(3ULL << 20, s.domains[2].target_kib);
	EXPECT_EQ_U64(4ULL << 20, s.domains[2].max_kib);
	EXPECT_EQ_INT(2, s.domains[2].vcpus);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_guest(&s.domains[2])->swap_used_kib);
	EXPECT_EQ_INT(0, xv_snapshot_check(&s, &e));
	xv_snapshot_release(&s);
	return 0;
}

DEF_TEST(which_host)
{
	struct xv_xapi_which by_name = { "xen-b", NULL }, by_label = { "label-a", NULL },
			     by_address = { NULL, "10.0.0.2" };
	struct xv_snapshot s;
	struct xv_error e;

	EXPECT_EQ_INT(0, convert(NULL, NULL, &by_name, &s, &e));
	EXPECT_EQ_STR("xen-b", s.host.name);
	EXPECT_EQ_STR("xen-a", s.host.pool_master);
	EXPECT_EQ_INT(2, s.host.cpus); /* no cpu_info: host_CPUs counted */
	EXPECT_EQ_INT(2, (int)s.n_domains);
	EXPECT_EQ_STR("db1", s.domains[1].name);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, convert(NULL, NULL, &by_label, &s, &e));
	EXPECT_EQ_STR("xen-a", s.host.name);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, convert(NULL, NULL, &by_address, &s, &e));
	EXPECT_EQ_STR("xen-b", s.host.name);
	xv_snapshot_release(&s);
	return 0;
}

DEF_TEST(refusals)
{
	static const struct {
		const char *from, *to, *name, *address, *why;
	} cases[] = {
		{ "<value>OpaqueRef:a</value></member></struct></value></member></struct>",
		  "<value>OpaqueRef:zz</value></member></struct></value></member></struct>", NULL, NULL,
		  "XenAPI: the pool's master OpaqueRef:zz is not one of its hosts" },
		{ NULL, NULL, "xen-z", NULL,
		  "XenAPI: the pool has no host named 'xen-z' (name_label, hostname or uuid)" },
		{ NULL, NULL, NULL, "10.9.9.9",
		  "XenAPI: the pool master answered for a pool with no host at 10.9.9.9" },
		{ "17179869184", "12x", NULL, NULL,
		  "XenAPI host_metrics OpaqueRef:ha: memory_free '12x' is not a number from 0 to" },
		{ "<value>17179869184</value>", "<value><struct/></value>", NULL, NULL,
		  "XenAPI host_metrics OpaqueRef:ha: memory_free is not a number" },
		{ "<value>68719476736</value>", "<value><int>-1</int></value>", NULL, NULL,
		  "memory_total is out of range" },
		{ "<value><boolean>1</boolean></value></member></struct>",
		  "<value><boolean>0</boolean></value></member></struct>", NULL, NULL,
		  "XenAPI: the pool master reports host 'xen-a' as not live" },
		{ "Paused", "Crashed", NULL, NULL,
		  "XenAPI VM OpaqueRef:v-batch1 ('batch1'): power_state is not Running, Paused" },
		{ "<name>memory_static_max</name>", "<name>memory_static_mix</name>", NULL, NULL,
		  "('web1'): memory_static_max is missing" },
		{ "<value>OpaqueRef:m-web1-7</value>", "<value>OpaqueRef:m-gone</value>", NULL, NULL,
		  "('web1'): metrics names no VM_metrics object" },
		{ "<value>7</value>", "<value>3</value>", NULL, NULL,
		  "XenAPI: two VMs on host 'xen-a' have domid 3" },
		{ "<value>7</value>", "<value>40000</value>", NULL, NULL,
		  "('web1'): domid '40000' is not a number from 0 to 32751" },
		{ "4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a17", "not-a-uuid", NULL, NULL,
		  "('web1'): uuid is not a UUID" },
		{ "<value>16</value>", "<value>lots</value>", NULL, NULL,
		  "cpu_info cpu_count is not a number of CPUs" },
		{ "<name>events</name>", "<name>evnts</name>", NULL, NULL,
		  "event.from: no array of events in the answer" },
		{ "<member><name>ref</name><value>OpaqueRef:ha</value></member>",
		  "<member><name>ref</name><value>ha</value></member>", NULL, NULL,
		  "event.from: event 3 lacks a class, an operation or a reference" },
		{ "<member><name>Status</name><value>Success</value></member>",
		  "<member><name>Status</name><value>Maybe</value></member>", NULL, NULL,
		  "not a XenAPI answer (Status 'Maybe')" },
	};
	struct xv_snapshot s;
	struct xv_error e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xv_xapi_which w = { cases[i].name, cases[i].address };
		if (convert(cases[i].from, cases[i].to, &w, &s, &e) == 0)
			FAIL_AT("case %zu accepted", i);
		EXPECT_EQ_INT(XV_E_HOST, e.code);
		EXPECT_CONTAINS(cases[i].why, e.msg);
		EXPECT_TRUE(s.n_domains == 0 && s.host.name == NULL);
	}
	return 0;
}

DEF_TEST(failures)
{
	const char *doc = "<methodResponse><params><param><value><struct><member><name>Status</name>"
			  "<value>Failure</value></member><member><name>ErrorDescription</name>"
			  "<value><array><data><value>HOST_IS_SLAVE</value><value>10.0.0.1</value>"
			  "</data></array></value></member></struct></value></param></params>"
			  "</methodResponse>";
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *value, *failure;
	struct xv_error e;

	EXPECT_EQ_INT(0, xv_xmlrpc_parse(doc, strlen(doc), &r, &e));
	EXPECT_EQ_INT(-1, xv_xapi_result(&r, &value, &failure, &e));
	EXPECT_EQ_STR("HOST_IS_SLAVE", xv_xapi_failure_code(failure));
	EXPECT_EQ_STR("HOST_IS_SLAVE: 10.0.0.1", e.msg);
	xv_xmlrpc_reply_release(&r);
	return 0;
}

static int ovs_master(const char *host, const char *vms, const char *master,
		      struct xv_snapshot *s, struct xv_error *e)
{
	struct xv_xmlrpc_reply a, b, c = { 0 };
	int rc = -1;

	if (xv_xmlrpc_parse(host, strlen(host), &a, e))
		return -1;
	if (xv_xmlrpc_parse(vms, strlen(vms), &b, e))
		goto out;
	if (master && xv_xmlrpc_parse(master, strlen(master), &c, e))
		goto out;
	rc = xv_ovs_snapshot(a.value, b.value, master ? c.value : NULL, s, e);
out:
	xv_xmlrpc_reply_release(&a);
	xv_xmlrpc_reply_release(&b);
	xv_xmlrpc_reply_release(&c);
	return rc;
}

static int ovs(const char *host, const char *vms, struct xv_snapshot *s, struct xv_error *e)
{
	return ovs_master(host, vms, NULL, s, e);
}

#define R(v) "<methodResponse><params><param>" v "</param></params></methodResponse>"
#define HOST R("<value>success:hostname=ovs01;total_memory_kib=50331648;free_memory_kib=1048576;" \
	       "cpus=16;xen_version=3.4.0;master_ip=10.1.1.1</value>")
#define DOM0 "<value>success:name=Domain-0;domid=0;uuid=00000000-0000-0000-0000-000000000000;" \
	     "state=r-----;memory_kib=524288;maxmem_kib=524288;vcpus=16;cpu_time=12.5</value>"

DEF_TEST(ovs_agent)
{
	struct xv_snapshot s;
	struct xv_error e;

	EXPECT_EQ_INT(0, ovs(HOST, R("<value><array><data>" DOM0
				     "<value>success:name=12_dbvrtg000;domid=12;uuid=4f1c0d6e-8b3a-"
				     "4c51-9a47-0e6b2d9f1a01;state=---sc-;memory_kib=4194304;"
				     "maxmem_kib=4194304;vcpus=2</value></data></array></value>"),
			     &s, &e));
	EXPECT_EQ_STR("ovs01", s.host.name);
	EXPECT_EQ_U64(48ULL << 20, s.host.total_kib);
	EXPECT_EQ_U64(512 * 1024, s.host.dom0_kib);
	EXPECT_EQ_INT(2, (int)s.n_domains);
	EXPECT_EQ_U64(12500000000ULL, s.domains[0].cpu_ns);
	EXPECT_EQ_INT(XV_DOM_RUNNING, s.domains[0].flags);
	EXPECT_EQ_INT(XV_DOM_CRASHED, s.domains[1].flags);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, s.domains[1].target_kib);
	EXPECT_TRUE(s.host.pool_master == NULL); /* not asked: unknown */
	xv_snapshot_release(&s);
	/* the master, when the agent says; a refusal leaves it unknown */
	EXPECT_EQ_INT(0, ovs_master(HOST, R("<value><array><data>" DOM0 "</data></array></value>"),
				    R("<value>success:master_ip=10.1.1.1</value>"), &s, &e));
	EXPECT_EQ_STR("10.1.1.1", s.host.pool_master);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, ovs_master(HOST, R("<value><array><data>" DOM0 "</data></array></value>"),
				    R("<value>failed:not clustered</value>"), &s, &e));
	EXPECT_TRUE(s.host.pool_master == NULL);
	xv_snapshot_release(&s);

	EXPECT_EQ_INT(-1, ovs(R("<value>failed:agent busy</value>"), R("<value/>"), &s, &e));
	EXPECT_EQ_STR("Oracle VM agent get_host_info: failed:agent busy", e.msg);
	EXPECT_EQ_INT(-1, ovs(R("<value>success:hostname=x;total_memory_kib=1</value>"), R("<value/>"),
			      &s, &e));
	EXPECT_EQ_STR("Oracle VM agent get_host_info: no 'free_memory_kib' in the answer", e.msg);
	EXPECT_EQ_INT(-1, ovs(HOST, R("<value><int>3</int></value>"), &s, &e));
	EXPECT_EQ_STR("Oracle VM agent list_vm: the answer is a int, not an array", e.msg);
	EXPECT_EQ_INT(-1, ovs(HOST, R("<value><array><data><value>success:name=x;domid=1;uuid=4f1c0d6e-"
				      "8b3a-4c51-9a47-0e6b2d9f1a01;state=-q----;memory_kib=1;"
				      "maxmem_kib=1;vcpus=1</value></data></array></value>"),
			      &s, &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_CONTAINS("x: state '-q----' is not xm's six columns", e.msg);
	return 0;
}

int main(void)
{
	RUN_TEST(master);
	RUN_TEST(which_host);
	RUN_TEST(refusals);
	RUN_TEST(failures);
	RUN_TEST(ovs_agent);
	END_TEST;
}
