#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# demo.sh: shows every part of xvmon on the embedded sim: scenarios, no Xen
# needed.  Each part is a script in contrib/demo/, run in name order.
set -u
: "${TOP:?TOP must point at the source tree}"
for part in "$TOP"/contrib/demo/[0-9]*.sh; do
	[ -e "$part" ] || continue
	sh "$part" || exit 1
	printf '\n'
done
