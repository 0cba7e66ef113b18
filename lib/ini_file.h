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

/* Return 0 to go on, or the result of xv_ini_error() to stop. */
typedef int (*xv_ini_section_fn)(struct xv_ini *ini, void *user, const char *section);
typedef int (*xv_ini_key_fn)(struct xv_ini *ini, void *user, const char *section,
			     const char *key, const char *value);

/* Line of the section header or key being reported (1-based). */
unsigned xv_ini_line(const struct xv_ini *ini);
const char *xv_ini_path(const struct xv_ini *ini);

/* Records "PATH:LINE: message" unless an error is already recorded; returns -1. */
int xv_ini_error(struct xv_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, naming another line (for problems found after the fact). */
int xv_ini_error_at(struct xv_ini *ini, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parses a file.  Returns 0, or -1 with the message in err. `on_section` may
 * be NULL. */
int xv_ini_parse_file(const char *path, xv_ini_section_fn on_section, xv_ini_key_fn on_key,
		      void *user, char *err, size_t errlen);

/* Parses text held in memory; `name` stands for the path in messages. */
int xv_ini_parse_string(const char *name, const char *text, size_t len,
			xv_ini_section_fn on_section, xv_ini_key_fn on_key,
			void *user, char *err, size_t errlen);

#endif
