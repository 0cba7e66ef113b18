/* ini_file.h: libinih with line numbers and one error message.
 *
 * libinih does the INI syntax (sections, key = value, ';' and '#' comments).
 * This wrapper adds what our file formats need: the line number of every
 * section and key, a callback when a section starts (even an empty one),
 * values with one pair of surrounding double quotes removed, and a single
 * error message of the form "FILE:LINE: problem" (the first error wins). */
#ifndef XV_INI_FILE_H
#define XV_INI_FILE_H

#include <stddef.h>

struct xv_ini;

/* Callbacks return 0 to go on, or the result of xv_ini_error() to stop. */
typedef int (*xv_ini_section_fn)(struct xv_ini *ini, void *user, const char *section);
typedef int (*xv_ini_key_fn)(struct xv_ini *ini, void *user, const char *section,
			     const char *key, const char *value);
/* Called once after a clean parse, for whole-file checks (missing keys,
 * cross-references); report with xv_ini_error_at() naming the line. */
typedef int (*xv_ini_end_fn)(struct xv_ini *ini, void *user);

struct xv_ini_callbacks {
	xv_ini_section_fn section; /* may be NULL */
	xv_ini_key_fn key;
	xv_ini_end_fn end;         /* may be NULL */
};

/* Line of the section header or key being reported (1-based). */
unsigned xv_ini_line(const struct xv_ini *ini);
const char *xv_ini_path(const struct xv_ini *ini);

/* Records "PATH:LINE: message" unless an error is already recorded; returns -1. */
int xv_ini_error(struct xv_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, naming another line (for problems found after the fact). */
int xv_ini_error_at(struct xv_ini *ini, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parses a file.  Returns 0, or -1 with the message in err. */
int xv_ini_parse_file(const char *path, const struct xv_ini_callbacks *cb, void *user,
		      char *err, size_t errlen);

/* Parses text held in memory; `name` stands for the path in messages. */
int xv_ini_parse_string(const char *name, const char *text, size_t len,
			const struct xv_ini_callbacks *cb, void *user, char *err, size_t errlen);

#endif
