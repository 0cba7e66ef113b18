#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The build switches packagers rely on: WITH_*=no leaves a part out even if
# its library is installed, WITH_*=yes stops the build at once, naming the
# package, when the library is missing, anything else is refused; make deps,
# make clean and make dist still work without the libraries; -Werror comes
# with DEVELOPER=1, which make check sets and a plain make does not.
. "$TOP/tests/integration/lib.sh"
M="env -u MAKEFLAGS -u MAKELEVEL -u DEVELOPER -u WITH_XEN -u WITH_LIBXML2 make -s --no-print-directory"

# mk ARGS...: make's view, from `make print-VAR` or -n, in $OUT/$ERR/$RC
mk() { run $M "$@"; }

mk print-PROGRAMS WITH_LIBXML2=no
checks=$((checks + 1))
case " $OUT " in *" sls/xvmon-sls "*) fail "WITH_LIBXML2=no still builds sls/xvmon-sls" ;; esac
mk print-FEATURE_CPPFLAGS WITH_XEN=no
checks=$((checks + 1))
case $OUT in *XV_HAVE_XEN*) fail "WITH_XEN=no still builds the xen: source: $OUT" ;; esac
if pkg-config --exists xenstat xencontrol xenstore libxml-2.0 2>/dev/null; then
	mk print-FEATURE_CPPFLAGS WITH_XEN=yes
	contains "-DXV_HAVE_XEN=1"
	contains "libxenstat.so."
	mk print-PROGRAMS WITH_LIBXML2=yes
	contains "sls/xvmon-sls"
else
	skip_part "WITH_XEN=yes / WITH_LIBXML2=yes builds: libxen-dev or libxml2-dev is not installed"
fi

# a library asked for and missing: the build stops before compiling, loudly
run env PKG_CONFIG_LIBDIR=$WORK/none $M -n all WITH_XEN=yes
checks=$((checks + 1))
[ "$RC" != 0 ] || fail "WITH_XEN=yes without the Xen libraries did not stop the build"
case $ERR in
*"WITH_XEN=yes but pkg-config cannot find xenstat xencontrol xenstore: install libxen-dev"*) ;;
*) fail "WITH_XEN=yes without the libraries: unexpected message: $ERR" ;;
esac
run $M -n all WITH_XEN=maybe
checks=$((checks + 1))
[ "$RC" != 0 ] && case $ERR in *"WITH_XEN is 'maybe': say yes, no or auto"*) true ;; *) false ;; esac ||
	fail "WITH_XEN=maybe was not refused: $RC $ERR"
# ... but a fresh machine can still install what is needed, and clean
for goal in deps clean; do
	run env PKG_CONFIG_LIBDIR=$WORK/none $M -n $goal WITH_XEN=yes
	checks=$((checks + 1))
	[ "$RC" = 0 ] || fail "make $goal without any library: exit $RC: $ERR"
done
run env PKG_CONFIG_LIBDIR=$WORK/none $M -n deps
contains "apt-get install -y --no-install-recommends"

# -Werror: developers only
mk print-WERROR
checks=$((checks + 1))
[ -z "$OUT" ] || fail "a plain make uses $OUT"
mk print-WERROR DEVELOPER=1
checks=$((checks + 1))
[ "$OUT" = -Werror ] || fail "DEVELOPER=1 gives '$OUT'"
run $M -pn check
contains "WERROR := -Werror"
run $M -pn check DEVELOPER=
contains "WERROR := "
case $OUT in *"WERROR := -Werror"*) fail "make check DEVELOPER= still uses -Werror" ;; esac

done_testing
