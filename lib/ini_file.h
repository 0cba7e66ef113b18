/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ini_file.h: the INI reader of every xvmon file, with line numbers,
 * strict lines and one error.
 *
 * Sections, "key = value" (or "key: value") pairs and comment lines (";" or
 * "#"), in the dialect of libinih and Python's configparser; " ;" starts a
 * comment after a value.  Nothing in a file may mean something other than it
 * seems:
 *
 * - a UTF-8 byte-order mark at the start of the file is skipped;
 * - an indented line that is not blank or a comment is refused (other INI
 *   readers take it as the continuation of the previous value);
 * - a section header must be alone on its line ("[a] b" is refused), and
 *   section and key names longer than XV_INI_MAX_NAME are refused;
 * - a value that starts with a double quote must end with one, and have none
 *   inside: the pair is removed; other values are taken as written;
 * - NUL bytes and lines longer than XV_INI_MAX_LINE are refused.
 *
 * xvmon parses these files itself rather than through libinih: the checks
 * above already split every line, and a second split by libinih was two
 * fifths of the instructions spent loading a 3000-domain scenario.
 *
 * Errors are struct xv_error with code XV_E_DATA and "FILE:LINE: problem";
 * parsing stops at the first. */
#ifndef XV_INI_FILE_H
#define XV_INI_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

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

/* The longest section or key name, and the longest line (without its line
 * end).  These were libinih's limits in Debian's build; they bound every
 * line's buffers, and files valid before stay valid. */
#define XV_INI_MAX_NAME 49
#define XV_INI_MAX_LINE 197

/* Files are parsed as they are read, this much at a time: a scenario of
 * thousands of domains is then never whole in memory, and on a virtual
 * machine each page first touched costs more than parsing what is on it.
 * 64 KiB rather than 16: the programs that read large files put their heap
 * on huge pages (xv_heap_use_huge_pages()), where a larger buffer costs no
 * fault, and a 1000-domain scenario (320 KB) is 5 reads instead of 20
 * (check_xen_vms on it: 0.09 ms less CPU on average over 400 alternated
 * runs).  A small file gets a buffer of its size. */
#define XV_INI_READ_BYTES (64u << 10)

/* Line of the section header or key being reported (1-based). */
unsigned xv_ini_line(const struct xv_ini *ini);
const char *xv_ini_path(const struct xv_ini *ini);
/* Bytes of the whole input (as the file was when opened), and the offset
 * in it of the line being reported: what a reader sizes its tables from
 * (the bytes its first sections took, the bytes left). */
size_t xv_ini_size(const struct xv_ini *ini);
size_t xv_ini_offset(const struct xv_ini *ini);

/* Records "PATH:LINE: message" (code XV_E_DATA) unless an error is already
 * recorded; returns -1. */
int xv_ini_error(struct xv_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, naming another line (for problems found after the fact). */
int xv_ini_error_at(struct xv_ini *ini, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records an error found by another module (a file it read, say), keeping its
 * code and message, with "PATH:LINE: " in front; returns -1. */
int xv_ini_error_from(struct xv_ini *ini, const struct xv_error *cause);

/* A table of the keys a section takes, for formats whose keys each have a
 * setter: xv_ini_set_key() refuses unknown keys and keys given twice, and
 * remembers which were given in a bit set, bit i for keys[i] (a table has at
 * most XV_INI_MAX_KEYS keys; tables near that assert it).  Formats that ask
 * whether a key was given index their table with an enum. */
typedef uint64_t xv_ini_seen;
#define XV_INI_MAX_KEYS 64
#define XV_INI_BIT(i) ((xv_ini_seen)1 << (i))
#define XV_INI_REQUIRED 1u   /* xv_ini_check_required() reports it missing */
#define XV_INI_REPEATABLE 2u /* may be given more than once (a list) */

struct xv_ini_key {
	const char *name;
	/* `key` is this entry: a setter shared by several keys finds its field
	 * at key->offset and names key->name in its messages. */
	int (*set)(struct xv_ini *ini, void *user, const struct xv_ini_key *key, const char *value);
	unsigned flags;
	size_t offset; /* for shared setters: the field, from a base the setter knows */
};

/* Calls the setter of `key` from `keys[0..n)`; errors name the key and the
 * section.  `seen` collects a bit per key given. */
int xv_ini_set_key(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n, xv_ini_seen *seen,
		   const char *section, const char *key, const char *value, void *user);

/* Reports "[LABEL] lacks 'KEY'" at `line` for the first required key not seen. */
int xv_ini_check_required(struct xv_ini *ini, const struct xv_ini_key *keys, size_t n,
			  xv_ini_seen seen, unsigned line, const char *label);

/* The argument of a section of `kind`: "pool  prod" -> "prod" for kind
 * "pool" (possibly "" when the name is missing); NULL if the section is not
 * of that kind. */
const char *xv_ini_section_arg(const char *section, const char *kind);

/* Parses "yes"/"no" (also "true"/"false", "on"/"off", "1"/"0"), the one
 * boolean vocabulary of every xvmon file: -1 for anything else. */
int xv_ini_parse_bool(const char *value, int *out);

/* Parses the regular file `path`, at most `max_bytes` long (xv_file_read()
 * refuses FIFOs, devices and directories).  Returns 0 or -1 with `e` set. */
int xv_ini_parse_file(const char *path, size_t max_bytes, const struct xv_ini_callbacks *cb,
		      void *user, struct xv_error *e);

/* Parses text held in memory; `name` stands for the path in messages. */
int xv_ini_parse_string(const char *name, const char *text, size_t len,
			const struct xv_ini_callbacks *cb, void *user, struct xv_error *e);

#endif
