/* SPDX-License-Identifier: GPL-3.0-or-later */
/* credential.h: the password of a remote source, never from the command line.
 *
 * A password comes from a file that only its owner can read (URI option
 * password_file=PATH) or from the environment (password_env=NAME, or the
 * source's default variable).  A URI cannot hold one (uri.h refuses it), so
 * it never shows in process lists, inventories or logs. */
#ifndef XV_CREDENTIAL_H
#define XV_CREDENTIAL_H

#include "error.h"
#include "uri.h"

/* The password for `u` (free() it) into *out.  Errors are XV_E_CONFIG, with
 * a message that says how to fix them: no password given, a file that group
 * or others can read ("chmod 600 FILE"), an empty first line; XV_E_NOINPUT
 * (turned into XV_E_CONFIG: it can never work) for a file that cannot be
 * read.  The password is the file's first line, without its line end. */
int xv_credential_password(const char *scheme, const struct xv_uri *u, const char *default_env,
			   char **out, struct xv_error *e);

/* Overwrites and frees a password; accepts NULL. */
void xv_credential_free(char *password);

#endif
