/* SPDX-License-Identifier: GPL-3.0-or-later */
/* credential.c: passwords from a private file or the environment. */
#include "credential.h"
#include "buf.h"
#include "file.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PASSWORD_FILE 4096

static int from_file(const char *scheme, const struct xv_uri *u, const char *path, char **out,
		     struct xv_error *e)
{
	struct xv_buf b = XV_BUF_INIT;
	struct stat st;
	size_t len;
	int rc = -1;

	/* Checked before reading: a password others can read is already
	 * compromised, and saying so is the point. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		return xv_error(e, XV_E_CONFIG,
				"%s://%s: password file '%s' can be read by %s (mode %04o): "
				"make it private with chmod 600 '%s'", scheme, u->host, path,
				st.st_mode & 044 ? (st.st_mode & 004 ? "everyone" : "its group")
						 : "others than its owner",
				(unsigned)(st.st_mode & 07777), path);
	if (xv_file_read(path, MAX_PASSWORD_FILE, 1, &b, e)) {
		xv_error_prefix(e, "%s://%s: password file", scheme, u->host);
		e->code = XV_E_CONFIG;
		goto out;
	}
	len = strcspn(b.data, "\r\n");
	if (!len) {
		xv_error(e, XV_E_CONFIG, "%s://%s: password file '%s' has an empty first line",
			 scheme, u->host, path);
		goto out;
	}
	*out = xv_strndup(b.data, len);
	rc = 0;
out:
	if (b.alloc)
		explicit_bzero(b.data, b.alloc);
	xv_buf_release(&b);
	return rc;
}

int xv_credential_password(const char *scheme, const struct xv_uri *u, const char *default_env,
			   char **out, struct xv_error *e)
{
	const char *file = xv_uri_option(u, "password_file");
	const char *var = xv_uri_option(u, "password_env");
	const char *v;

	*out = NULL;
	if (file && var)
		return xv_error(e, XV_E_CONFIG, "%s://%s: give password_file or password_env, not both",
				scheme, u->host);
	if (file)
		return from_file(scheme, u, file, out, e);
	if (!var)
		var = default_env;
	v = getenv(var);
	if (!v || !*v)
		return xv_error(e, XV_E_CONFIG,
				"%s://%s: no password: put it in a file only you can read and add "
				"password_file=PATH to the URI, or set %s in the environment",
				scheme, u->host, var);
	*out = xv_strdup(v);
	return 0;
}

void xv_credential_free(char *password)
{
	if (!password)
		return;
	explicit_bzero(password, strlen(password));
	free(password);
}
