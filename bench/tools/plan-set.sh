#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# plan-set.sh PLAN SECTION KEY VALUE: prints PLAN with KEY = VALUE in
# [SECTION] (replaced if there, added after the header if not; the section
# is added at the end if missing).  SECTION is written as in the file:
# "host", "model", "profile stress".
set -eu
awk -v sec="[$2]" -v key="$3" -v val="$4" '
function flush() { if (insec && !done) { print key " = " val; done = 1 } }
/^\[/ { flush(); insec = ($0 == sec); print; next }
insec && $1 == key && ($2 == "=" || substr($1, length($1)) == "=") {
	if (!done) print key " = " val; done = 1; next }
{ print }
END { flush(); if (!done) { print sec; print key " = " val } }
' "$1"
