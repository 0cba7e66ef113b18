#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Licence and release bookkeeping: COPYING is the GPL version 3, every
# source file (C, shell, Python, make, gnuplot, the Icinga 2 / Nagios /
# systemd / debian files) carries the SPDX line in its first lines, and the
# version in VERSION is the one NEWS and debian/changelog describe.
. "$TOP/tests/integration/lib.sh"
TAG='SPDX-License-Identifier: GPL-3.0-or-later'

checks=$((checks + 1))
grep -q 'GNU GENERAL PUBLIC LICENSE' COPYING && grep -q 'Version 3, 29 June 2007' COPYING ||
	fail "COPYING is not the GNU GPL version 3"

# the source files: from git where the tree is a checkout, else every file
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files >$WORK/files
else
	find . -type f ! -path './tests/out/*' ! -path './build/*' | sed 's|^\./||' >$WORK/files
fi
missing=""
while read -r f; do
	[ -f "$f" ] || continue
	case $f in
	tests/fuzz/corpus/*) continue ;;
	*.c | *.h | *.sh | *.py | *.mk | *.gp | Makefile | */Makefile | .ci/run | debian/rules | \
		debian/*.postinst | debian/*.postrm | debian/*.preinst | debian/*.prerm | \
		contrib/icinga2/*.conf | contrib/icinga2/*/*.conf | contrib/nagios/*.cfg | contrib/nrpe/* | \
		contrib/sudoers/* | contrib/systemd/* | contrib/cron/* | contrib/*.ini) ;;
	*) continue ;;
	esac
	checks=$((checks + 1))
	head -n 5 "$f" | grep -qF "$TAG" || missing="$missing $f"
done <$WORK/files
[ -z "$missing" ] || fail "no '$TAG' line in the first lines of:$missing"

version=$(cat VERSION)
checks=$((checks + 1))
printf '%s\n' "$version" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+' || fail "VERSION is not MAJOR.MINOR.PATCH: $version"
checks=$((checks + 1))
news=$(grep -m1 -E '^xvmon [0-9]' NEWS | awk '{print $2}')
[ "$news" = "$version" ] || fail "NEWS describes $news first, VERSION says $version"
checks=$((checks + 1))
deb=$(head -n 1 debian/changelog | sed -n 's/^xvmon (\([^-)]*\)\(-[^)]*\)\{0,1\}).*/\1/p')
[ "$deb" = "$version" ] || fail "debian/changelog is at $deb, VERSION says $version"
# the programs say the same
run plugins/check_xen_host --version
checks=$((checks + 1))
case $OUT in "check_xen_host $version "*) ;; *) fail "check_xen_host --version: $OUT" ;; esac

done_testing
