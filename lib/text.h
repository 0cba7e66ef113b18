/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h: the one place where text from outside becomes printable.
 *
 * Host and VM names, paths, URIs and peers' messages come from inventories,
 * scenario files, hypervisors and the network; none of them promises UTF-8,
 * XML-safe characters or a single line.  Every output (plugin status line and
 * long output, SLS feeds, JSON documents, the bench's report, the MIB's
 * strings, metrics labels) passes such text through xv_text_clean() with the
 * rules of its format, so no document is ever invalid and no plugin line is
 * ever split. */
#ifndef XV_TEXT_H
#define XV_TEXT_H

#include <stdbool.h>
#include "buf.h"

enum xv_text_mode {
	/* A document (XML 1.0, JSON, HTML, CSV): valid UTF-8 holding only XML
	 * characters; tab, newline and carriage return are kept.  Markup is
	 * left to the writer's escaping. */
	XV_TEXT_DOCUMENT,
	/* One line of plugin output: as above, and every control character
	 * (line breaks included) becomes '?', '|' (which starts perfdata)
	 * becomes '/'. */
	XV_TEXT_PLUGIN_LINE,
};

/* Appends `s` cleaned for `mode`: each byte of an invalid, overlong or
 * surrogate UTF-8 sequence, and each character XML forbids (C0 controls other
 * than tab, newline and CR; U+FFFE, U+FFFF), becomes U+FFFD. */
void xv_text_clean(struct xv_buf *out, const char *s, enum xv_text_mode mode);

/* True if `s` would pass xv_text_clean(XV_TEXT_DOCUMENT) unchanged. */
bool xv_text_is_clean(const char *s);

/* Appends `s` as XML or HTML text or attribute value: & < > " ' escaped,
 * and a carriage return as &#13; (XML would turn a raw one into a newline).
 * It does not clean: text from outside goes through xv_text_clean() first. */
void xv_text_escape_markup(struct xv_buf *out, const char *s);

/* Appends at most `max` bytes of the clean `s`, cut at a character boundary,
 * with "..." when cut (for status lines that must stay short). */
void xv_text_clip(struct xv_buf *out, const char *s, size_t max);

#endif
