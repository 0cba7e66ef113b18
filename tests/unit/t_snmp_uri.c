/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_snmp_uri.c: snmp:// URIs: what they mean, and every way they are
 * refused (XV_E_CONFIG, no I/O). */
#include "harness.h"
#include "snmp_uri.h"

DEF_TEST(good_uris)
{
	struct xv_snmp_uri u;
	struct xv_error e;
	char peer[300];

	EXPECT_EQ_INT(0, xv_snmp_uri_parse("//xen01", &u, &e));
	EXPECT_EQ_STR("xen01", u.host);
	EXPECT_EQ_INT(161, u.port);
	EXPECT_EQ_INT(2, u.version);
	EXPECT_EQ_STR("public", u.community);
	EXPECT_EQ_INT(1000, u.timeout_ms);
	EXPECT_EQ_INT(2, u.retries);
	xv_snmp_uri_peer(&u, peer, sizeof(peer));
	EXPECT_EQ_STR("udp:xen01:161", peer);

	EXPECT_EQ_INT(0, xv_snmp_uri_parse("//s%40cret@10.0.0.1:1161?timeout=250ms&retries=0"
					   "&max_repetitions=40", &u, &e));
	EXPECT_EQ_STR("s@cret", u.community);
	EXPECT_EQ_STR("10.0.0.1", u.host);
	EXPECT_EQ_INT(1161, u.port);
	EXPECT_EQ_INT(250, u.timeout_ms);
	EXPECT_EQ_INT(0, u.retries);
	EXPECT_EQ_INT(40, u.repetitions);

	EXPECT_EQ_INT(0, xv_snmp_uri_parse("//[::1]:16161/", &u, &e));
	EXPECT_EQ_STR("::1", u.host);
	xv_snmp_uri_peer(&u, peer, sizeof(peer));
	EXPECT_EQ_STR("udp6:[::1]:16161", peer);

	/* v3: the user in front, implied by auth= */
	EXPECT_EQ_INT(0, xv_snmp_uri_parse("//ops@xen02?auth=sha-256&auth_file=/etc/xvmon/a"
					   "&priv=AES&priv_env=XV_PRIV", &u, &e));
	EXPECT_EQ_INT(3, u.version);
	EXPECT_EQ_STR("ops", u.user);
	EXPECT_EQ_INT(XV_SNMP_AUTH_SHA256, u.auth);
	EXPECT_EQ_INT(XV_SNMP_PRIV_AES, u.priv);
	EXPECT_EQ_STR("/etc/xvmon/a", u.auth_file);
	EXPECT_EQ_STR("XV_PRIV", u.priv_env);
	/* noAuthNoPriv v3 */
	EXPECT_EQ_INT(0, xv_snmp_uri_parse("//xen02?version=3&user=monitor", &u, &e));
	EXPECT_EQ_INT(3, u.version);
	EXPECT_EQ_INT(XV_SNMP_AUTH_NONE, u.auth);
	return 0;
}

DEF_TEST(bad_uris)
{
	static const struct {
		const char *arg, *msg;
	} bad[] = {
		{ "xen01", "snmp:xen01: expected snmp://[COMMUNITY@]HOST[:PORT][?OPTIONS]" },
		{ "//", "snmp://: no host" },
		{ "//:161", "snmp://:161: no host" },
		{ "//h:0", "snmp://h:0: port '0': a number from 1 to 65535" },
		{ "//h:99999", "snmp://h:99999: port '99999': a number from 1 to 65535" },
		{ "//h:16x", "snmp://h:16x: port '16x': a number from 1 to 65535" },
		{ "//h:", "snmp://h:: expected :PORT after the host" },
		{ "//h/mib", "snmp://h/mib: a path is not part of an snmp:// URI" },
		{ "//h#x", "snmp://h#x: a fragment ('#') is not part of an snmp:// URI" },
		{ "//ho st", "snmp://ho st: bad character in host name 'ho st'" },
		{ "//[::1", "snmp://[::1: an IPv6 address needs a closing ']'" },
		{ "//@h", "snmp://@h: empty community before '@'" },
		{ "//c%4@h", "snmp://c%4@h: malformed community or user (bad %-escape, control character or too long)" },
		{ "//h?colour=red", "snmp://h?colour=red: unknown option 'colour' (version, user, auth, priv, auth_file, priv_file, auth_env, priv_env, timeout, retries, max_repetitions)" },
		{ "//h?timeout", "snmp://h?timeout: options are key=value, separated by '&'" },
		{ "//h?timeout=", "snmp://h?timeout=: option 'timeout' has no value" },
		{ "//h?timeout=5ms", "snmp://h?timeout=5ms: timeout '5ms': a duration from 10ms to 60s" },
		{ "//h?retries=11", "snmp://h?retries=11: retries '11': a number from 0 to 10" },
		{ "//h?version=1", "snmp://h?version=1: version '1': use 2c or 3" },
		{ "//h?auth=SHA1024", "snmp://h?auth=SHA1024: auth 'SHA1024': use MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512" },
		{ "//u@h?auth=SHA&auth_pass=secret12", "snmp://u@h?auth=SHA&auth_pass=secret12: 'auth_pass': a passphrase is never taken in a URI (it would show in process lists and logs); use auth_file=/priv_file= (a file only its owner can read) or auth_env=/priv_env=" },
		{ "//h?version=3", "snmp://h?version=3: SNMPv3 needs a user (USER@HOST or user=)" },
		{ "//u@h?auth=SHA", "snmp://u@h?auth=SHA: auth= needs exactly one of auth_file= and auth_env=" },
		{ "//u@h?auth=SHA&auth_file=/a&auth_env=A", "snmp://u@h?auth=SHA&auth_file=/a&auth_env=A: auth= needs exactly one of auth_file= and auth_env=" },
		{ "//u@h?version=3&priv=AES&priv_env=P", "snmp://u@h?version=3&priv=AES&priv_env=P: priv= needs auth= (SNMPv3 has no privacy without authentication)" },
		{ "//u@h?auth=MD5&auth_env=A&priv=AES", "snmp://u@h?auth=MD5&auth_env=A&priv=AES: priv= needs exactly one of priv_file= and priv_env=" },
		{ "//u@h?version=3&auth_env=A", "snmp://u@h?version=3&auth_env=A: auth_file=/auth_env= without auth=" },
		{ "//h?version=2c&user=x", "snmp://h?version=2c&user=x: user and auth/priv options are SNMPv3's: add version=3" },
	};
	struct xv_snmp_uri u;
	struct xv_error e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (xv_snmp_uri_parse(bad[i].arg, &u, &e) != -1)
			FAIL_AT("accepted '%s'", bad[i].arg);
		EXPECT_EQ_INT(XV_E_CONFIG, e.code);
		EXPECT_EQ_STR(bad[i].msg, e.msg);
	}
	return 0;
}

int main(void)
{
	RUN_TEST(good_uris);
	RUN_TEST(bad_uris);
	END_TEST;
}
