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

/* A table of the keys a section takes, for formats whose keys each have a
 * setter: xv_ini_set_key() refuses unknown keys and keys given twice, and
 * remembers which were given in a bit set (a section has at most 32 keys). */
#define XV_INI_REQUIRED 1u   /* xv_ini_check_required() reports it missing */
#define XV_INI_REPEATABLE 2u /* may be given more than once (a list) */

struct xv_ini_key {
	const char *name;
	int (*set)(struct xv_ini *ini, void *user, const char *value);
	unsigned flags;
};

/* Calls the setter of `key` from `keys[0..n)`; errors name the key and the
 * section.  `seen` collects a bit per key given. */
int xv_ini_set_key(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n, unsigned *seen,
		   const char *section, const char *key, const char *value, void *user);

/* Reports "[LABEL] lacks 'KEY'" at `line` for the first required key not seen. */
int xv_ini_check_required(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n,
			  unsigned seen, unsigned line, const char *label);

/* Whether key `name` was given, by the bits xv_ini_set_key() collected. */
int xv_ini_key_given(const struct xv_ini_key *keys, size_t n, unsigned seen, const char *name);

/* Parses a file.  Returns 0, or -1 with the message in err. */
int xv_ini_parse_file(const char *path, const struct xv_ini_callbacks *cb, void *user,
		      char *err, size_t errlen);

/* Parses text held in memory; `name` stands for the path in messages. */
int xv_ini_parse_string(const char *name, const char *text, size_t len,
			const struct xv_ini_callbacks *cb, void *user, char *err, size_t errlen);

#endif
