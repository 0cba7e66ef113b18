#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5050: capacity planning prints safe guest counts for host sizes, guest
# sizes and mixes; bigger hosts hold more; the seed's host reads as the seed.
set -eu
. "$TOP/tests/integration/bench-lib.sh"

"$BENCH" plan --hosts 32G,48G --guest-sizes 4G --mix plain --mix clean --mix stress \
	--mix stress:1,clean:3 >"$tmp/table"
cat "$tmp/table"
# row: host guest mix no-overc dom0-at fails-at safe ratio
row() { awk -v h="$1" -v g="$2" -v m="$3" '$1 " " $2 == h && $3 " " $4 == g && $5 == m' "$tmp/table"; }
col() { row "$1" "$2" "$3" | awk -v c="$4" '{ print $c }'; }

# The built-in plan is the seed's host under xend.  48 GiB less the
# hypervisor's 560 MiB (44 bytes per page + 32 MiB) and dom0's 512 MiB
# leaves 48080 MiB free.  xend needs memory + 16 MiB (4 KiB per MiB of 4 GiB)
# = 4112 MiB free for a creation; every guest costs its allocation + 1 MiB.
# plain: 11 * 4097 = 45067 MiB leaves 3013 free, 1099 short of a 12th, more
# than dom0 may give (512 - 196): 11.
equals "48 GiB, plain: no overcommitment" "$(col '48 GiB' '4 GiB' plain 6)" 11
equals "48 GiB, plain: fails at" "$(col '48 GiB' '4 GiB' plain 8)" 11
# clean: each settles at xenballoond's floor, 424 MiB (+1): after 104 guests
# 48080 - 104 * 425 = 3880 MiB are free, 232 short: dom0 gives them (down to
# 280 MiB) and the 105th starts; the 106th is 425 short, dom0 has 84 left:
# 105, dom0 first ballooned with 104 running.
equals "48 GiB, clean: dom0 at" "$(col '48 GiB' '4 GiB' clean 7)" 104
equals "48 GiB, clean: fails at" "$(col '48 GiB' '4 GiB' clean 8)" 105
# stress guests hold at least the floor and at most their memory=: between
# the plain and the clean counts
in_range "48 GiB, stress: fails at" "$(col '48 GiB' '4 GiB' stress 8)" 11 105
for m in plain clean stress stress:1,clean:3; do
	small=$(col '32 GiB' '4 GiB' $m 9) big=$(col '48 GiB' '4 GiB' $m 9)
	[ "$big" -gt "$small" ] || fail "$m: 48 GiB holds $big safe guests, 32 GiB $small"
	[ "$big" -le "$(col '48 GiB' '4 GiB' $m 8)" ] || fail "$m: safe above the failure point"
done
echo "ok: bigger hosts hold more, safe <= limit"
s=$(col '48 GiB' '4 GiB' stress:1,clean:3 9) st=$(col '48 GiB' '4 GiB' stress 9) cl=$(col '48 GiB' '4 GiB' clean 9)
[ "$s" -gt "$st" ] && [ "$s" -lt "$cl" ] || fail "a 1:3 mix ($s) should lie between stress ($st) and clean ($cl)"
echo "ok: the mix lies between its parts"

rc=0
"$BENCH" plan --mix nosuch 2>"$tmp/err" >/dev/null || rc=$?
equals "unknown profile in --mix exits EX_USAGE" "$rc" 64
grep -q "xvmon-bench: mix 'nosuch': unknown profile 'nosuch'" "$tmp/err" || fail "message: $(cat "$tmp/err")"
rc=0
"$BENCH" plan --hosts 48Q 2>"$tmp/err" >/dev/null || rc=$?
equals "bad --hosts exits EX_USAGE" "$rc" 64

# a plan file as the base: its profiles are the default mixes
"$BENCH" plan --plan "$PLANS/seed-test1.ini" --hosts 48G --guest-sizes 4G >"$tmp/t2"
[ "$(grep -c '^48 GiB' "$tmp/t2")" -eq 3 ] || fail "expected one row per profile of seed-test1: $(cat "$tmp/t2")"
echo "ok: --plan base"
