#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5120: choosing a driver.  `drivers` lists what was compiled in; a driver spec is NAME or NAME:ARG;
# the model and xen take no argument, libvirt needs a URI (64, usage); the real drivers need the plan's
# [guest] kernel (78, configuration); xen outside a dom0 fails with one clear line (78, as the xen:
# source), and none of libxencall's noise; a libvirtd that does not answer is the host's failure (69);
# the [guest] section is parsed and checked like any other.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

expect() { # expect CODE MESSAGE CMD...: exit code and whole stderr
	code=$1 msg=$2
	shift 2
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, expected $code; stderr: $(cat "$tmp/err")"
	[ "$(cat "$tmp/err")" = "$msg" ] || fail "$*: stderr '$(cat "$tmp/err")', expected '$msg'"
	printf 'ok: exit %s: %s\n' "$code" "$msg"
}

"$BENCH" drivers > "$tmp/drivers"
grep -q '^model ' "$tmp/drivers" || fail "drivers does not list the model"
if pkg-config --exists xenlight xlutil 2>/dev/null; then
	grep -q '^xen ' "$tmp/drivers" || fail "built with libxen-dev but no xen driver"
fi
if pkg-config --exists libvirt 2>/dev/null; then
	grep -q '^libvirt ' "$tmp/drivers" || fail "built with libvirt-dev but no libvirt driver"
fi
echo "ok: drivers: $(cut -d' ' -f1 "$tmp/drivers" | tr '\n' ' ')"

P="$PLANS/plain-ramp.ini"
expect 64 "xvmon-bench: unknown driver 'vmware' (\`xvmon-bench drivers\` lists them)
usage: xvmon-bench run PLAN -o DIR [--seed N] [--driver NAME] [--no-charts] [-q]
       xvmon-bench plot DIR
       xvmon-bench plan [--plan PLAN] [--hosts LIST] [--guest-sizes LIST]
                        [--mix MIX]... [--floor SIZE] [--seed N]
       xvmon-bench drivers
       xvmon-bench --help | --version" "$BENCH" run "$P" -o "$tmp/o1" --driver vmware
expect 64 "xvmon-bench: driver model: the model takes no argument (got 'model:x')" \
	"$BENCH" run "$P" -o "$tmp/o2" --driver model:x -q

# the [guest] section: known keys only, once each
# (plain-ramp.ini is the seed's Xen 3.4 host, xend: the xen driver drives libxl)
sed -e 's/^\[procedure\]/[guest]\nkernel = \/boot\/vmlinuz\nramdisk = \/boot\/initrd.img\ncmdline = console=hvc0\n\n[procedure]/' \
	-e 's/^toolstack = xend/toolstack = libxl/' "$P" > "$tmp/guest.ini"
grep -q '^toolstack = libxl' "$tmp/guest.ini" || fail "plain-ramp.ini no longer says toolstack = xend"
"$BENCH" run "$tmp/guest.ini" -o "$tmp/o3" --no-charts -q || fail "a plan with a [guest] section is refused"
echo "ok: a [guest] section is accepted by the model, which ignores it"
sed 's/^cmdline = console=hvc0/cmdline = console=hvc0\ninitrd = x/' "$tmp/guest.ini" > "$tmp/bad.ini"
line=$(grep -n '^initrd' "$tmp/bad.ini" | cut -d: -f1)
expect 65 "xvmon-bench: $tmp/bad.ini:$line: unknown key 'initrd' in [guest]" "$BENCH" run "$tmp/bad.ini" -o "$tmp/o4"

sed 's/^cmdline = console=hvc0/cmdline = console="hvc0"/' "$tmp/guest.ini" > "$tmp/bad2.ini"
line=$(grep -n '^cmdline' "$tmp/bad2.ini" | cut -d: -f1)
expect 65 "xvmon-bench: $tmp/bad2.ini:$line: cmdline must not hold a quote or a backslash: 'console=\"hvc0\"'" \
	"$BENCH" run "$tmp/bad2.ini" -o "$tmp/o11"
sed '/^kernel = /d' "$tmp/guest.ini" > "$tmp/bad3.ini"
line=$(grep -n '^\[guest\]' "$tmp/bad3.ini" | cut -d: -f1)
expect 65 "xvmon-bench: $tmp/bad3.ini:$line: [guest] has no 'kernel'" "$BENCH" run "$tmp/bad3.ini" -o "$tmp/o12"

if grep -q '^xen ' "$tmp/drivers"; then
	expect 64 "xvmon-bench: driver xen: xen takes no argument (got 'xen:local'): it drives the local hypervisor" \
		"$BENCH" run "$tmp/guest.ini" -o "$tmp/o5" --driver xen:local -q
	expect 78 "xvmon-bench: driver xen: $P: the xen driver needs a [guest] section with the guest's kernel" \
		"$BENCH" run "$P" -o "$tmp/o6" --driver xen -q
	sed 's/^toolstack = libxl/toolstack = xend/' "$tmp/guest.ini" > "$tmp/xend.ini"
	expect 78 "xvmon-bench: driver xen: $tmp/xend.ini: the xen driver creates guests through libxl: [host] toolstack = xend is for the model only" \
		"$BENCH" run "$tmp/xend.ini" -o "$tmp/o10" --driver xen -q
	if [ ! -e /dev/xen/privcmd ]; then
		expect 78 "xvmon-bench: driver xen: cannot open /dev/xen/privcmd: No such file or directory (is this a Xen dom0, and are you root?)" \
			"$BENCH" run "$tmp/guest.ini" -o "$tmp/o7" --driver xen -q
	fi
fi
if grep -q '^libvirt ' "$tmp/drivers"; then
	expect 64 "xvmon-bench: driver libvirt: libvirt needs a connection URI: libvirt:URI, e.g. libvirt:qemu:///system" \
		"$BENCH" run "$tmp/guest.ini" -o "$tmp/o8" --driver libvirt -q
	# a URI no daemon answers: libvirt's own message, nothing printed by libvirt itself
	expect 69 "xvmon-bench: driver libvirt: cannot connect to libvirt at 'qemu+unix:///system?socket=/nonexistent/sock': $(
		"$BENCH" run "$tmp/guest.ini" -o "$tmp/o9" --driver 'libvirt:qemu+unix:///system?socket=/nonexistent/sock' -q 2>&1 |
		sed -n "s/.*cannot connect to libvirt at 'qemu+unix:\/\/\/system?socket=\/nonexistent\/sock': //p")" \
		"$BENCH" run "$tmp/guest.ini" -o "$tmp/o9" --driver 'libvirt:qemu+unix:///system?socket=/nonexistent/sock' -q
	grep -q 'cannot connect to libvirt' "$tmp/err" || fail "no libvirt message"
fi
