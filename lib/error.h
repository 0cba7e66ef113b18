/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.h: the one way lib/ reports a failure.
 *
 * A function that can fail for a reason the user must see takes a
 * `struct xv_error *` and, on failure, fills it and returns -1:
 *
 *   if (fd < 0)
 *           return xv_error(e, XV_E_NOINPUT, "cannot open '%s': %s", path, strerror(errno));
 *   ...
 *   if (bad)
 *           return xv_error_at(e, XV_E_DATA, path, line, "memory: '%s' is not a size", v);
 *
 * Callers decide by `e->code`, never by the message: a plugin maps every code
 * to UNKNOWN except the ones that describe the monitored host, a tool maps
 * codes to sysexits(3) with xv_error_exit_code().  The message is complete
 * ("FILE:LINE: problem" when a place is known) and ready to print; it starts
 * lower case, names what failed first and has no full stop.
 *
 * The struct holds no pointers: it can be copied, kept in a result, or sent
 * through a pipe as bytes, and needs no release.  Leaf scanners (num.h,
 * range.h) return a reason enum instead: they know no file, and their callers
 * turn the reason into an xv_error naming the place. */
#ifndef XV_ERROR_H
#define XV_ERROR_H

#include <stdarg.h>

/* What kind of failure, which is what decides an exit code or a state.  The
 * first group is about the caller's input, the second about this machine,
 * the third about the monitored host or peer. */
enum xv_error_code {
	XV_E_NONE = 0,
	XV_E_USAGE,       /* a bad option or argument */
	XV_E_DATA,        /* an input's content is wrong (syntax, meaning, bounds) */
	XV_E_NOINPUT,     /* an input is missing, unreadable or not a regular file */
	XV_E_CONFIG,      /* a setting that can never work (unknown scheme, no file) */
	XV_E_UNSUPPORTED, /* this build or this source cannot do it */
	XV_E_LOCAL,       /* a resource of this machine failed: fork, pipe, descriptors */
	XV_E_CANTCREAT,   /* an output file cannot be created */
	XV_E_IO,          /* an output cannot be written or renamed */
	XV_E_SOFTWARE,    /* a bug: an impossible state was reached */
	XV_E_HOST,        /* the monitored host or peer failed or answered wrongly */
	XV_E_TIMEOUT,     /* no answer by the deadline; keep it last (poller.c) */
};

struct xv_error {
	enum xv_error_code code;
	unsigned line;  /* 1-based, 0 when no line applies */
	char msg[1024]; /* the whole message, "FILE:LINE: problem" where known */
};

/* Fills `e` (which may be NULL) and returns -1. */
int xv_error(struct xv_error *e, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xv_verror(struct xv_error *e, enum xv_error_code code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Same, prefixed with "FILE:LINE: " (or "FILE: " when line is 0). */
int xv_error_at(struct xv_error *e, enum xv_error_code code, const char *file, unsigned line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int xv_verror_at(struct xv_error *e, enum xv_error_code code, const char *file, unsigned line,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Puts "CONTEXT: " in front of the message, keeping code and line (for a
 * caller that adds which host or which pool). */
void xv_error_prefix(struct xv_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void xv_error_clear(struct xv_error *e);

/* True for failures of this machine or of xvmon itself (XV_E_LOCAL,
 * XV_E_SOFTWARE, XV_E_CANTCREAT, XV_E_IO): never to be reported as an outage
 * of a monitored host. */
int xv_error_is_local(enum xv_error_code code);

/* Whose fault a failed network call's errno is: this machine's shortage
 * of descriptors, memory or buffers (XV_E_LOCAL), else the host's
 * (XV_E_HOST). */
enum xv_error_code xv_errno_code(int err);

/* True for failures that describe the monitored host (XV_E_HOST,
 * XV_E_TIMEOUT). */
int xv_error_is_remote(enum xv_error_code code);

/* The sysexits(3) code of a failure, for operator tools: USAGE 64, DATA 65,
 * NOINPUT 66, UNSUPPORTED and HOST 69, SOFTWARE 70, LOCAL 71, CANTCREAT 73,
 * IO 74, TIMEOUT 75, CONFIG 78. */
int xv_error_exit_code(enum xv_error_code code);

/* "usage", "data", ... for logs and tests. */
const char *xv_error_code_name(enum xv_error_code code);

#endif
