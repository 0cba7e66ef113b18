/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.c: filling struct xv_error and mapping its codes. */
#include "error.h"

#include <errno.h>

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

int xv_verror(struct xv_error *e, enum xv_error_code code, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	e->code = code;
	e->line = 0;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int xv_error(struct xv_error *e, enum xv_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int xv_verror_at(struct xv_error *e, enum xv_error_code code, const char *file, unsigned line,
		 const char *fmt, va_list ap)
{
	int n;

	if (!e)
		return -1;
	e->code = code;
	e->line = line;
	if (line)
		n = snprintf(e->msg, sizeof(e->msg), "%s:%u: ", file, line);
	else
		n = snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(e->msg))
		vsnprintf(e->msg + n, sizeof(e->msg) - (size_t)n, fmt, ap);
	return -1;
}

int xv_error_at(struct xv_error *e, enum xv_error_code code, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror_at(e, code, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

void xv_error_prefix(struct xv_error *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	va_list ap;
	int n;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", old);
}

void xv_error_clear(struct xv_error *e)
{
	e->code = XV_E_NONE;
	e->line = 0;
	e->msg[0] = '\0';
}

int xv_error_is_local(enum xv_error_code code)
{
	return code == XV_E_LOCAL || code == XV_E_SOFTWARE || code == XV_E_CANTCREAT ||
	       code == XV_E_IO;
}

int xv_error_is_remote(enum xv_error_code code)
{
	return code == XV_E_HOST || code == XV_E_TIMEOUT;
}

int xv_error_exit_code(enum xv_error_code code)
{
	switch (code) {
	case XV_E_NONE:
		return EX_OK;
	case XV_E_USAGE:
		return EX_USAGE;
	case XV_E_DATA:
		return EX_DATAERR;
	case XV_E_NOINPUT:
		return EX_NOINPUT;
	case XV_E_CONFIG:
		return EX_CONFIG;
	case XV_E_UNSUPPORTED:
	case XV_E_HOST:
		return EX_UNAVAILABLE;
	case XV_E_LOCAL:
		return EX_OSERR;
	case XV_E_CANTCREAT:
		return EX_CANTCREAT;
	case XV_E_IO:
		return EX_IOERR;
	case XV_E_TIMEOUT:
		return EX_TEMPFAIL;
	case XV_E_SOFTWARE:
		break;
	}
	return EX_SOFTWARE;
}

const char *xv_error_code_name(enum xv_error_code code)
{
	static const char *const names[] = {
		[XV_E_NONE] = "none",       [XV_E_USAGE] = "usage",
		[XV_E_DATA] = "data",       [XV_E_NOINPUT] = "noinput",
		[XV_E_CONFIG] = "config",   [XV_E_UNSUPPORTED] = "unsupported",
		[XV_E_LOCAL] = "local",     [XV_E_CANTCREAT] = "cantcreat",
		[XV_E_IO] = "io",           [XV_E_SOFTWARE] = "software",
		[XV_E_HOST] = "host",       [XV_E_TIMEOUT] = "timeout",
	};

	if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "software";
}

enum xv_error_code xv_errno_code(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS ? XV_E_LOCAL
										 : XV_E_HOST;
}
