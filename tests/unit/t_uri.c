/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_uri.c: remote source URIs (strict, no password, no shell characters)
 * and passwords from a private file or the environment. */
#include "harness.h"
#include "credential.h"
#include "source.h"
#include "uri.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const keys[] = { "password_file", "password_env", "ca_file", "verify", NULL };

DEF_TEST(good_forms)
{
	struct xv_uri u;
	struct xv_error e;

	EXPECT_EQ_INT(0, xv_uri_parse("xapi", "//pool1.example.org", keys, &u, &e));
	EXPECT_TRUE(u.user == NULL && u.port == 0 && u.n_options == 0);
	EXPECT_EQ_STR("pool1.example.org", u.host);
	xv_uri_release(&u);
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", "//monitor@10.0.0.1:8443?ca_file=/etc/x.pem&verify=no",
				      keys, &u, &e));
	EXPECT_EQ_STR("monitor", u.user);
	EXPECT_EQ_STR("10.0.0.1", u.host);
	EXPECT_EQ_INT(8443, u.port);
	EXPECT_EQ_STR("/etc/x.pem", xv_uri_option(&u, "ca_file"));
	EXPECT_EQ_INT(0, xv_uri_bool(&u, "xapi", "verify", 1, &e));
	EXPECT_EQ_INT(1, xv_uri_bool(&u, "xapi", "password_env", 1, &e) < 0 ? 0 : 1);
	xv_uri_release(&u);
	EXPECT_EQ_INT(0, xv_uri_parse("ssh", "//[fe80::1]:22", keys, &u, &e));
	EXPECT_EQ_STR("fe80::1", u.host);
	EXPECT_EQ_INT(22, u.port);
	char *a = xv_uri_authority(u.host, u.port);
	EXPECT_EQ_STR("[fe80::1]:22", a);
	free(a);
	xv_uri_release(&u);
	return 0;
}

/* Each refusal is XV_E_CONFIG with its own reason. */
DEF_TEST(refused)
{
	static const struct {
		const char *arg, *why;
	} cases[] = {
		{ "host", "expected xapi://[USER@]HOST[:PORT]" },
		{ "//", "no host" },
		{ "//root:secret@h", "no password in a URI" },
		{ "//h?password=secret", "a password in a URI would show in process lists" },
		{ "//h?pass=secret", "a password in a URI" },
		{ "//h?verify=no&verify=yes", "option 'verify' is given twice" },
		{ "//h?colour=blue", "unknown option 'colour' (xapi: takes password_file password_env ca_file verify)" },
		{ "//h?ca_file=/x;rm -rf /", "option 'ca_file': ';' is not allowed in a value" },
		{ "//h?ca_file=$(reboot)", "'$' is not allowed" },
		{ "//h?ca_file=", "option 'ca_file' has no value" },
		{ "//h?", "nothing after '?'" },
		{ "//h?verify", "options are key=value" },
		{ "//h?verify=no&", "the options end with '&'" },
		{ "//h:0", "the port is a number from 1 to 65535" },
		{ "//h:65536", "the port is a number from 1 to 65535" },
		{ "//h:22x", "the port is a number from 1 to 65535" },
		{ "//[::1]x", "expected ':PORT' after the host" },
		{ "//-oProxyJump", "a host name cannot start with '-'" },
		{ "//-oProxyCommand=x", "a host name is letters, digits" },
		{ "//-l@h", "a user name cannot start with '-'" },
		{ "//h_o$t", "a host name is letters, digits, '-' and '.'" },
		{ "//us er@h", "a user name is letters, digits" },
		{ "//[::1", "an IPv6 address needs its closing ']'" },
		{ "//@h", "the user before '@' is empty" },
	};
	struct xv_uri u;
	struct xv_error e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ_INT(-1, xv_uri_parse("xapi", cases[i].arg, keys, &u, &e));
		EXPECT_EQ_INT(XV_E_CONFIG, e.code);
		EXPECT_CONTAINS(cases[i].why, e.msg);
		xv_uri_release(&u);
	}
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", "//h?verify=maybe", keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_uri_bool(&u, "xapi", "verify", 1, &e));
	EXPECT_EQ_STR("source xapi://h: option verify: 'maybe' is not yes or no", e.msg);
	xv_uri_release(&u);
	return 0;
}

/* The sources check their URIs without I/O, at inventory load. */
DEF_TEST(sources_check)
{
	struct xv_error e;

	EXPECT_EQ_INT(0, xv_source_check_uri("ssh://root@xen1?sudo=yes&source=sim:/x.sim", &e));
	EXPECT_EQ_INT(-1, xv_source_check_uri("ssh://xen1?source=xapi://other", &e));
	EXPECT_CONTAINS("the remote program reads xen: or sim:FILE", e.msg);
	EXPECT_EQ_INT(-1, xv_source_check_uri("ssh://xen1?sudo=perhaps", &e));
	EXPECT_EQ_INT(-1, xv_source_check_uri("xapi://pool?tls=no&ca_file=/x.pem", &e));
	EXPECT_CONTAINS("ca_file without TLS", e.msg);
	EXPECT_EQ_INT(-1, xv_source_check_uri("ovs://h?password=x", &e));
	EXPECT_EQ_INT(XV_E_CONFIG, e.code);
	EXPECT_EQ_STR("TLS certificate not verified (verify=no)",
		      xv_source_caveat("xapi://pool?verify=no"));
	EXPECT_CONTAINS("plain HTTP", xv_source_caveat("ovs://h?tls=no"));
	EXPECT_TRUE(xv_source_caveat("xapi://pool") == NULL);
	EXPECT_TRUE(xv_source_caveat("sim:x.sim") == NULL);
	return 0;
}

static char dir[64];

static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

DEF_TEST(passwords)
{
	struct xv_uri u;
	struct xv_error e;
	char *pw, arg[256];

	snprintf(dir, sizeof(dir), "/tmp/t_uri.XXXXXX");
	EXPECT_TRUE(mkdtemp(dir) != NULL);

	snprintf(arg, sizeof(arg), "//h?password_file=%s", write_file("ok", "s3cret\nignored\n", 0600));
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", arg, keys, &u, &e));
	EXPECT_EQ_INT(0, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_STR("s3cret", pw);
	xv_credential_free(pw);
	xv_uri_release(&u);

	snprintf(arg, sizeof(arg), "//h?password_file=%s", write_file("open", "s3cret\n", 0644));
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", arg, keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_INT(XV_E_CONFIG, e.code);
	EXPECT_CONTAINS("can be read by everyone (mode 0644): make it private with chmod 600", e.msg);
	xv_uri_release(&u);

	snprintf(arg, sizeof(arg), "//h?password_file=%s", write_file("group", "s3cret\n", 0640));
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", arg, keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_CONTAINS("can be read by its group (mode 0640)", e.msg);
	xv_uri_release(&u);

	snprintf(arg, sizeof(arg), "//h?password_file=%s", write_file("empty", "\nx\n", 0600));
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", arg, keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_CONTAINS("has an empty first line", e.msg);
	xv_uri_release(&u);

	snprintf(arg, sizeof(arg), "//h?password_file=%s/missing", dir);
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", arg, keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_INT(XV_E_CONFIG, e.code);
	EXPECT_CONTAINS("password file", e.msg);
	xv_uri_release(&u);

	/* the environment: the default variable, or the one named */
	unsetenv("T_URI_PW");
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", "//h", keys, &u, &e));
	EXPECT_EQ_INT(-1, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_STR("xapi://h: no password: put it in a file only you can read and add "
		      "password_file=PATH to the URI, or set T_URI_PW in the environment", e.msg);
	setenv("T_URI_PW", "from-env", 1);
	EXPECT_EQ_INT(0, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_STR("from-env", pw);
	xv_credential_free(pw);
	xv_uri_release(&u);
	setenv("OTHER_PW", "other", 1);
	EXPECT_EQ_INT(0, xv_uri_parse("xapi", "//h?password_env=OTHER_PW", keys, &u, &e));
	EXPECT_EQ_INT(0, xv_credential_password("xapi", &u, "T_URI_PW", &pw, &e));
	EXPECT_EQ_STR("other", pw);
	xv_credential_free(pw);
	xv_uri_release(&u);

	snprintf(arg, sizeof(arg), "rm -rf %s", dir);
	EXPECT_EQ_INT(0, system(arg));
	return 0;
}

int main(void)
{
	RUN_TEST(good_forms);
	RUN_TEST(refused);
	RUN_TEST(sources_check);
	RUN_TEST(passwords);
	END_TEST;
}
