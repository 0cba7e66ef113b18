#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# t5060: hostile input to xvmon-bench, one case a line: plans (garbage,
# ambiguity, truncation, huge values and overflow, non-UTF-8, BOM,
# indentation), plan and output paths (FIFO, directory, devices, odd and
# hostile names: nothing reaches a shell or a gnuplot command), options, and
# CSV files given to `plot`.  Each case asserts the exit status and the first
# line on stderr (empty when the input is accepted).
set -eu
. "$TOP/tests/integration/bench-lib.sh"
command -v python3 >/dev/null || { echo "# SKIP python3 is not installed"; exit 77; }

cases=0
# check CODE 'FIRST STDERR LINE' CMD...
check() {
	code=$1 msg=$2
	shift 2
	cases=$((cases + 1))
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	first=$(head -n 1 "$tmp/err")
	[ "$rc" = "$code" ] || fail "case $cases: $*: exit $rc, expected $code ($msg); stderr: $(cat "$tmp/err")"
	[ "$first" = "$msg" ] || fail "case $cases: $*: stderr
got:      $first
expected: $msg"
}

# (tests/data/bench/test2.ini: a frozen copy of an early seed-test2.ini, so
# the line numbers below stay when the shipped plans change)
# plan 'SED-EXPR' CODE 'MESSAGE': the seed's Test 2 plan edited by SED-EXPR;
# MESSAGE follows "xvmon-bench: PLAN:" for 65, is the whole line otherwise.
# A refused plan creates nothing.
P=$tmp/p.ini
plan() {
	sed "$1" "$TOP/tests/data/bench/test2.ini" >"$P"
	rm -rf "$tmp/o"
	if [ "$2" = 65 ]; then
		check 65 "xvmon-bench: $P:$3" "$BENCH" run "$P" -o "$tmp/o" --no-charts -q
		[ ! -e "$tmp/o" ] || fail "case $cases: a refused plan created its output directory"
	else
		check "$2" "$3" "$BENCH" run "$P" -o "$tmp/o" --no-charts -q
	fi
}

# --- plans: garbage and syntax ---------------------------------------------
plan 's/^memory = 48G/memory 48G/' 65 "11: syntax error (expected [section] or key = value)"
plan 's/^\[host\]/[host/' 65 "9: section header without ']'"
plan 's/^\[host\]/[host] extra/' 65 "9: text after the section header"
plan 's/^\[host\]/[ho[st]/' 65 "9: '[' inside a section name"
plan 's/^seed = 1/= 1/' 65 "7: a value without a key"
plan '1s/^/\x00/' 65 "1: NUL byte in file (is it a text file?)"
plan "s/^name = .*/name = $(printf '%0300d' 0)/" 65 "5: line too long (the limit is 197 characters)"
plan "s/^seed = 1/$(printf 'k%.0s' $(seq 50)) = 1/" 65 "7: key name longer than 49 characters"
plan "s/^\[report\]/[$(printf 'r%.0s' $(seq 50))]/" 65 "39: section name longer than 49 characters"
plan 's/^\[report\]/[reprot]/' 65 "39: unknown section [reprot]"
plan '$a[host]' 65 "42: duplicate section [host] (first at line 9)"
plan '1i name = early' 65 "1: 'name' is outside any section"
plan 's/^\[profile stress\]/[profile]/' 65 "22: a profile section needs a name: [profile NAME]"
plan 's/^\[profile stress\]/[profile Stress]/' 65 "22: profile name 'Stress' must be 1-31 characters of a-z, 0-9, '-' and '_'"
plan 's/^\[profile stress\]/[profile st;ress]/' 65 "22: profile name 'st;ress' must be 1-31 characters of a-z, 0-9, '-' and '_'"
plan "s/^\[profile stress\]/[profile $(printf 's%.0s' $(seq 32))]/" 65 "22: profile name '$(printf 's%.0s' $(seq 32))' must be 1-31 characters of a-z, 0-9, '-' and '_'"
plan 's/^vcpus = 2/vcpus = 2\nvcpus = 4/' 65 "27: duplicate key 'vcpus' in [profile stress] (first at line 26)"
plan 's/^dom0_floor = 196M/colour = red/' 65 "13: unknown key 'colour' in [host]"
plan 's/^dbvrtg = 1/dbvrtg = 1\nghost = 2/' 65 "30: unknown profile 'ghost'"
plan 's/^dbvrtg = 1/dbvrtg = 1\ndbvrtg = 2/' 65 "30: duplicate key 'dbvrtg' in [start] (first at line 29)"
plan 's/^profile = stress/profile = ghost/' 65 "33: profile: unknown profile 'ghost'"
plan 's/^profile = stress/profile = stress:0/' 65 "33: profile: weight of 'stress' must be a whole number from 1 to 1000, not '0'"
plan 's/^profile = stress/profile = stress:1001/' 65 "33: profile: weight of 'stress' must be a whole number from 1 to 1000, not '1001'"
plan 's/^profile = stress/profile = stress:+1/' 65 "33: profile: weight of 'stress' must be a whole number from 1 to 1000, not '+1'"
plan 's/^profile = stress/profile = stress, stress/' 65 "33: profile: profile 'stress' is listed twice"
plan 's/^profile = stress/profile = ,/' 65 "33: profile: no profile named"

# --- plans: ambiguity --------------------------------------------------------
plan 's/^memory = 48G/  memory = 48G/' 65 "11: indented line (xvmon files have no continuation lines: remove the leading blanks)"
plan 's/^memory = 48G/memory = "48G/' 65 "11: unbalanced double quote in the value of 'memory'"
plan 's/^name = seed-test2/name = "a"b"/' 65 "5: a double quote inside the quoted value of 'name'"
plan 's/^dom0_autoballoon = yes/dom0_autoballoon = maybe/' 65 "14: dom0_autoballoon must be yes or no, not 'maybe'"
plan 's/^dom0_autoballoon = yes/dom0_autoballoon = 2/' 65 "14: dom0_autoballoon must be yes or no, not '2'"
plan 's/^kind = one-by-one/kind = Ramp/' 65 "32: kind must be groups, one-by-one or ramp, not 'Ramp'"
plan 's/^image = stress/image = Stress/' 65 "24: image must be plain, clean or stress, not 'Stress'"
plan 's/^limit = 30/limit = 30\non_failure = later/' 65 "35: on_failure must be stop or continue, not 'later'"
plan 's/^limit = 30/limit = 30\ngroup = 1-7/' 65 "35: group applies to kind = groups only"
plan 's/^kind = one-by-one/kind = groups\ngroup = 1- 7/' 65 "33: group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '1- 7'"
plan 's/^kind = one-by-one/kind = groups\ngroup = 7-1/' 65 "33: group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '7-1'"
plan 's/^kind = one-by-one/kind = groups\ngroup = +1-3/' 65 "33: group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '+1-3'"
plan 's/^kind = one-by-one/kind = groups\ngroup = 1-1001/' 65 "33: group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '1-1001'"
plan 's/^memory = 4G/memory = 4 G/' 65 "25: memory: '4 G' is not a size (unknown unit)"
plan 's/^interval = 30s/interval = 30 seconds/' 65 "37: interval: '30 seconds' is not a duration (unknown unit)"
plan 's/^limit = 30/limit = 0x1e/' 65 "34: limit: '0x1e' is not a whole number (not a number)"
plan 's/^settle = 5m/settle = 5m\n[start]/' 65 "36: duplicate section [start] (first at line 28)"

# --- plans: truncation --------------------------------------------------------
plan '32,$d' 65 "31: [procedure] has no 'kind'"
plan '36,$d' 65 "31: [procedure] has no 'samples'"
plan '9,$d' 65 "7: no [host] section in the plan"
plan '15,$d' 65 "14: no [profile NAME] section in the plan"
plan '28,$d' 65 "26: no [procedure] section in the plan"
plan '/^image = stress/d' 65 "22: [profile stress] has no 'image'"
: >"$P"
check 65 "xvmon-bench: $P: no [host] section in the plan" "$BENCH" run "$P" -o "$tmp/o"

# --- plans: huge values, overflow, bounds -----------------------------------
plan 's/^settle = 5m/settle = 100000h/' 65 "35: settle: '100000h' is above the limit of 24h"
plan 's/^settle = 5m/settle = 99999999999999999999h/' 65 "35: settle: '99999999999999999999h' is not a duration (number out of range)"
plan 's/^memory = 48G/memory = 32T/' 65 "11: memory: '32T' is above the limit of 16 TiB"
plan 's/^memory = 48G/memory = 100M/' 65 "11: memory: '100M' is below the minimum of 256 MiB"
plan 's/^memory = 48G/memory = 0/' 65 "11: memory must be above zero"
plan 's/^memory = 48G/memory = -48G/' 65 "11: memory must not be negative: '-48G'"
plan 's/^memory = 4G/memory = 1K/' 65 "25: memory: '1K' is below the minimum of 32 MiB"
plan 's/^memory = 4G/memory = 99999999999999999999/' 65 "25: memory: '99999999999999999999' is not a size (number out of range)"
plan 's/^memory = 4G/memory = 4G\nmaxmem = 17T/' 65 "26: maxmem: '17T' is above the limit of 16 TiB"
plan 's/^memory = 4G/memory = 64G/' 65 "25: memory (64 GiB) does not fit in the host's 48 GiB"
plan 's/^limit = 30/limit = 10001/' 65 "34: limit must be between 1 and 10000, not '10001'"
plan 's/^limit = 30/limit = 18446744073709551616/' 65 "34: limit must be between 1 and 10000, not '18446744073709551616'"
plan 's/^samples = 10/samples = 1001/' 65 "36: samples must be between 1 and 1000, not '1001'"
plan 's/^vcpus = 2/vcpus = 513/' 65 "26: vcpus must be between 1 and 512, not '513'"
plan 's/^dbvrtg = 1/dbvrtg = 10001/' 65 "29: dbvrtg must be between 0 and 10000, not '10001'"
plan 's/^dbvrtg = 1/dbvrtg = 9990/' 65 "34: the 9990 [start] guests and a limit of 30 make 10020 guests: the limit is 10000"
plan 's/^seed = 1/seed = 18446744073709551616/' 65 "7: seed: '18446744073709551616' is not a whole number (number out of range)"
plan 's/^seed = 1/seed = -1/' 65 "7: seed must not be negative: '-1'"
plan 's/^settle = 5m/settle = 24h/;s/^samples = 10/samples = 1000/;s/^interval = 30s/interval = 24h/' 65 "31: the procedure could take 31031 days of driver time: the limit is 7 days (lower limit, settle, samples or interval)"
plan 's/^limit = 30/limit = 9999/;s/^settle = 5m/settle = 0/;s/^samples = 10/samples = 1/;s/^interval = 30s/interval = 1s/' 65 "31: the procedure would record 50005000 guest samples: the limit is 1000000 (lower limit or samples)"
plan 's/^limit = 30/limit = 3000/;s/^settle = 5m/settle = 1m/;s/^samples = 10/samples = 1/;s/^interval = 30s/interval = 1s/' 65 "31: the procedure would cost the model 1395471002 guest-periods: the limit is 500000000 (lower limit, settle or samples)"
plan 's/^free_floor = 4G/free_floor = 4G\n[model]\nballoon_interval = 1ms/' 65 "43: balloon_interval: '1ms' is below the minimum of 1s"
plan 's/^free_floor = 4G/free_floor = 4G\n[model]\nballoon_interval = 1h/' 65 "43: balloon_interval: '1h' is above the limit of 10m"
plan 's/^free_floor = 4G/free_floor = 4G\n[model]\nboot_jitter = 2h/' 65 "43: boot_jitter: '2h' is above the limit of 1h"
plan 's/^free_floor = 4G/free_floor = 4G\n[model]\ndown_hysteresis = 0/' 65 "43: down_hysteresis must be between 1 and 1000, not '0'"
plan 's/^free_floor = 4G/free_floor = 4G\n[model]\ndomain_overhead = 2G/' 65 "43: domain_overhead: '2G' is above the limit of 1 GiB"
plan 's/^vcpus = 2/vcpus = 2\nsleep_max = 0/' 65 "27: sleep_max must be above zero"
plan 's/^vcpus = 2/vcpus = 2\nsleep_max = 500ms/' 65 "27: sleep_max: '500ms' is below the minimum of 1s"
plan 's/^vcpus = 2/vcpus = 2\nthreads = 65/' 65 "27: threads must be between 0 and 64, not '65'"
plan 's/^vcpus = 2/vcpus = 2\nwrite_rate = 0/' 65 "27: write_rate must be above zero"
plan 's/^vcpus = 2/vcpus = 2\nballoon_floor = 17T/' 65 "27: balloon_floor: '17T' is above the limit of 16 TiB"
plan 's/^free_floor = 4G/free_floor = 17T/' 65 "41: free_floor: '17T' is above the limit of 16 TiB"
plan 's/^dom0_floor = 196M/dom0_floor = 700M/' 65 "13: dom0_floor (700 MiB) is above dom0_memory (512 MiB)"
plan 's/^dom0_memory = 512M/dom0_memory = 512M\nhypervisor_overhead = 47.5G/' 65 "13: hypervisor overhead and dom0 leave nothing of the host's 48 GiB"

# --- plans: encodings ------------------------------------------------------------
# accepted: a byte-order mark, CRLF line ends, and any bytes in free text,
# which every output cleans
plan '1s/^/\xef\xbb\xbf/' 0 ""
plan 's/$/\r/' 0 ""
plan 's/^description = .*/description = bad \xff\xfe bytes \xc3\x28 and <script>alert(1)<\/script> \&amp;/' 0 ""
python3 - "$tmp/o" <<'PY' || fail "case $cases: outputs are not valid UTF-8 or not escaped"
import json, sys
d = sys.argv[1]
for f in ("summary.json", "report.html", "report.txt", "events.csv"):
    open(f"{d}/{f}", "rb").read().decode("utf-8")  # raises on invalid UTF-8
s = json.load(open(f"{d}/summary.json"))
assert s["plan"]["description"] == "bad \ufffd\ufffd bytes \ufffd( and <script>alert(1)</script> &amp;", s
h = open(f"{d}/report.html", encoding="utf-8").read()
assert "<script>" not in h and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;" in h
PY
echo "ok: non-UTF-8 and markup in the plan: summary.json, report.html, report.txt valid and escaped"
plan 's/^\[profile stress\]/[profile str\xffess]/' 65 "22: profile name 'str$(printf '\377')ess' must be 1-31 characters of a-z, 0-9, '-' and '_'"

# --- plan files that are not regular files -------------------------------------
mkfifo "$tmp/fifo.ini"
check 66 "xvmon-bench: cannot read '$tmp/fifo.ini': it is a FIFO, not a regular file" "$BENCH" run "$tmp/fifo.ini" -o "$tmp/o"
check 66 "xvmon-bench: cannot read '$tmp': it is a directory, not a regular file" "$BENCH" run "$tmp" -o "$tmp/o"
check 66 "xvmon-bench: cannot read '/dev/zero': it is a character device, not a regular file" "$BENCH" run /dev/zero -o "$tmp/o"
ln -s "$tmp/nothing" "$tmp/dangling.ini"
check 66 "xvmon-bench: cannot open '$tmp/dangling.ini': it is a dangling symbolic link" "$BENCH" run "$tmp/dangling.ini" -o "$tmp/o"
check 66 "xvmon-bench: cannot open '$tmp/none.ini': No such file or directory" "$BENCH" run "$tmp/none.ini" -o "$tmp/o"
head -c 1048577 /dev/zero | tr '\0' ';' >"$tmp/huge.ini"
check 65 "xvmon-bench: '$tmp/huge.ini' is 1048577 bytes, over the limit of 1048576" "$BENCH" run "$tmp/huge.ini" -o "$tmp/o"
check 66 "xvmon-bench: cannot read '$tmp/fifo.ini': it is a FIFO, not a regular file" "$BENCH" plan --plan "$tmp/fifo.ini"

# --- output paths ------------------------------------------------------------------
R=$PLANS/plain-ramp.ini
check 64 "xvmon-bench: -o: the output directory is an empty string" "$BENCH" run "$R" -o ""
for odd in . .. / ./ "$tmp/x/.." "$tmp/x/."; do
	check 64 "xvmon-bench: -o: '$odd' does not name a directory of its own (the run is renamed into place): give one like 'out/run'" "$BENCH" run "$R" -o "$odd"
done
check 64 "xvmon-bench: -o: '$tmp/a?b' has a control character: choose another name" "$BENCH" run "$R" -o "$tmp/a
b"
check 64 "xvmon-bench: -o: '$tmp/a?b' has a control character: choose another name" "$BENCH" run "$R" -o "$(printf '%s/a\033b' "$tmp")"
: >"$tmp/file"
check 73 "xvmon-bench: cannot create output directory '$tmp/file': it is a regular file" "$BENCH" run "$R" -o "$tmp/file"
check 73 "xvmon-bench: cannot create output directory '$tmp/file/out': Not a directory" "$BENCH" run "$R" -o "$tmp/file/out"
check 73 "xvmon-bench: cannot create output directory '$tmp/fifo.ini': it is a FIFO" "$BENCH" run "$R" -o "$tmp/fifo.ini"
mkdir "$tmp/mine" && echo notes >"$tmp/mine/notes.txt"
check 73 "xvmon-bench: output directory '$tmp/mine' holds 'notes.txt', which xvmon-bench did not write: give a new or empty directory" "$BENCH" run "$R" -o "$tmp/mine"
[ "$(cat "$tmp/mine/notes.txt")" = notes ] || fail "a foreign file was touched"
ln -s "$tmp/mine" "$tmp/link"
check 73 "xvmon-bench: cannot create output directory '$tmp/link': it is a symbolic link" "$BENCH" run "$R" -o "$tmp/link"
long=$(printf 'l%.0s' $(seq 250))
check 73 "xvmon-bench: cannot create a temporary directory beside '$tmp/$long': File name too long" "$BENCH" run "$R" -o "$tmp/$long"
# an empty directory and a previous run are replaced, trailing slashes are fine
mkdir "$tmp/emptydir"
check 0 "" "$BENCH" run "$R" -o "$tmp/emptydir/" --no-charts -q
check 0 "" "$BENCH" run "$PLANS/clean-ramp.ini" -o "$tmp/emptydir" --no-charts -q
grep -q '"name": "clean-ramp"' "$tmp/emptydir/summary.json" || fail "the previous run was not replaced"
[ -z "$(ls -A "$tmp" | grep '\.run$')" ] || fail "temporary run directories left: $(ls -A "$tmp")"

# Hostile names: the run and `plot` work, charts included, and nothing is
# executed (gnuplot's '<command' is a pipe, and shells split on the rest).
if command -v gnuplot >/dev/null 2>&1; then
	mkdir "$tmp/cwd"
	for name in '<touch pwned;echo ' "a'b" 'a"b' '$(touch pwned)' '`touch pwned`' 'x|touch pwned' ' lead' '-o' 'a;b' 'a\b' "$(printf 'caf\303\251')" "$(printf 'bad\377')"; do
		( cd "$tmp/cwd" && check 0 "" "$BENCH" run "$R" -o "./$name" -q )
		[ -s "$tmp/cwd/$name/free.svg" ] || fail "no chart for the output directory '$name'"
		( cd "$tmp/cwd" && check 0 "" "$BENCH" plot "./$name" )
	done
	[ ! -e "$tmp/cwd/pwned" ] && [ ! -e "$TOP/pwned" ] && [ ! -e pwned ] ||
		fail "a name in a path was executed"
	# the plot directory is never loaded by gnuplot either
	check 66 "xvmon-bench: no gnuplot scripts (set XVMON_BENCH_PLOT_DIR): cannot open '<touch $tmp/cwd/pwned;echo /common.gp': No such file or directory" \
		env XVMON_BENCH_PLOT_DIR="<touch $tmp/cwd/pwned;echo " "$BENCH" plot "$tmp/cwd/./<touch pwned;echo "
	[ ! -e "$tmp/cwd/pwned" ] || fail "the plot directory was executed"
	echo "ok: hostile output names: runs and plots, nothing executed"
else
	echo "# gnuplot not installed: hostile names checked without charts"
	mkdir "$tmp/cwd"
	( cd "$tmp/cwd" && check 0 "" "$BENCH" run "$R" -o "./<touch pwned;echo " -q --no-charts )
fi

# --- options -------------------------------------------------------------------------
check 64 "xvmon-bench: --seed: 'abc' is not a whole number" "$BENCH" run "$R" -o "$tmp/o" --seed abc
check 64 "xvmon-bench: --seed: '-1' is not a whole number" "$BENCH" run "$R" -o "$tmp/o" --seed -1
check 64 "xvmon-bench: --seed: '18446744073709551616' is not a whole number" "$BENCH" run "$R" -o "$tmp/o" --seed 18446744073709551616
check 64 "xvmon-bench: unknown driver 'vmware' (\`xvmon-bench drivers\` lists them)" "$BENCH" run "$R" -o "$tmp/o" --driver vmware
check 64 "xvmon-bench: unknown driver ':model' (\`xvmon-bench drivers\` lists them)" "$BENCH" run "$R" -o "$tmp/o" --driver :model
check 64 "xvmon-bench: run takes one plan" "$BENCH" run "$R" "$R" -o "$tmp/o"
check 64 "xvmon-bench: run needs a plan" "$BENCH" run -o "$tmp/o"
check 64 "xvmon-bench: unknown option '--frobnicate'" "$BENCH" run "$R" -o "$tmp/o" --frobnicate
check 64 "xvmon-bench: option '-o' needs a value" "$BENCH" run "$R" -o
check 64 "xvmon-bench: unknown command 'ruin'" "$BENCH" ruin
check 64 "xvmon-bench: --hosts: '1K' is below the minimum of 256 MiB" "$BENCH" plan --hosts 1K
check 64 "xvmon-bench: --hosts: '32T' is above the limit of 16 TiB" "$BENCH" plan --hosts 32T
check 64 "xvmon-bench: --guest-sizes: '1K' is below the minimum of 32 MiB" "$BENCH" plan --guest-sizes 1K
check 64 "xvmon-bench: --guest-sizes: '4X' is not a size (like 48G)" "$BENCH" plan --guest-sizes 4X
check 64 "xvmon-bench: --guest-sizes: no size given" "$BENCH" plan --guest-sizes ,
check 64 "xvmon-bench: --guest-sizes: at most 16 sizes" "$BENCH" plan --guest-sizes "$(printf '4G,%.0s' $(seq 17))"
check 64 "xvmon-bench: --floor: '17T' is above the limit of 16 TiB" "$BENCH" plan --floor 17T
check 64 "xvmon-bench: --floor: '-1' is not a size (like 4G)" "$BENCH" plan --floor -1
check 64 "xvmon-bench: mix 'stress:0': weight of 'stress' must be a whole number from 1 to 1000, not '0'" "$BENCH" plan --mix stress:0
check 64 "xvmon-bench: mix ',': no profile named" "$BENCH" plan --mix ,
check 64 "xvmon-bench: mix 'Stress': unknown profile 'Stress'" "$BENCH" plan --mix Stress
check 64 "xvmon-bench: plan takes no arguments besides options" "$BENCH" plan extra
check 64 "xvmon-bench: plot takes one output directory" "$BENCH" plot
check 64 "xvmon-bench: plot takes one output directory" "$BENCH" plot -x
check 66 "xvmon-bench: no output directory '$tmp/none'" "$BENCH" plot "$tmp/none"

# --- CSV files given to plot ------------------------------------------------------
# A good run, then one file at a time replaced; "reseal" writes run.done for
# the files as they are, as a run would, so the content itself is judged.
# XVMON_GNUPLOT points nowhere: exit 69 "gnuplot not found" means the data
# was accepted.
G=$tmp/good
"$BENCH" run "$TOP/tests/data/bench/test2.ini" -o "$G" --no-charts -q
reseal() {
	python3 - "$1" <<'PY'
import sys
d = sys.argv[1]
out = "xvmon-bench run: complete\n"
for name in ("samples.csv", "guests.csv", "events.csv"):
    data = open(f"{d}/{name}", "rb").read()
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    out += f"{name} {len(data)} {h:016x}\n"
open(f"{d}/run.done", "w").write(out)
PY
}
NOGNU=/nonexistent/gnuplot
# csv FILE 'PYTHON-EXPR on s (the file's text)' CODE 'MESSAGE' [seal]: the
# good run with FILE replaced by the expression's value, resealed unless told
csv() {
	rm -rf "$tmp/c" && cp -r "$G" "$tmp/c"
	python3 -c "import sys; f=sys.argv[1]; s=open(f, encoding='latin-1').read(); open(f, 'w', encoding='latin-1').write($2)" "$tmp/c/$1"
	[ "${5:-seal}" = seal ] && reseal "$tmp/c"
	check "$3" "$4" env XVMON_GNUPLOT=$NOGNU "$BENCH" plot "$tmp/c"
}
ACCEPTED="xvmon-bench: gnuplot not found ('$NOGNU'): install gnuplot-nox for charts"
csv samples.csv 's' 69 "$ACCEPTED"
csv samples.csv 's.replace("\n", "\r\n")' 69 "$ACCEPTED"
csv samples.csv '"\xef\xbb\xbf" + s' 69 "$ACCEPTED"
csv samples.csv 's + "x"' 65 "xvmon-bench: '$tmp/c/samples.csv' does not match $tmp/c/run.done ($(($(wc -c <"$G/samples.csv") + 1)) bytes, expected $(wc -c <"$G/samples.csv")): it is not the file of this run" noseal
csv samples.csv 's.replace("guests,", "gusts,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:1: no column 'guests'"
csv samples.csv 's.replace("time_s,", "time_s,time_s,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:1: column 'time_s' appears twice"
csv samples.csv 's.replace("guests_stress", "guests_St ress", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:1: column 'guests_St ress': 'St ress' is not a profile name"
csv samples.csv 's.replace("\n300,", "\n-1,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: field 1: '-1' is not a time in seconds"
csv samples.csv 's.replace("\n300,", "\n1e9,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: field 1: '1e9' is not a time in seconds"
csv samples.csv 's.replace("\n300,", "\n99999999,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: field 1: '99999999' is beyond 1209600 s, more than a run lasts"
csv samples.csv 's.replace("\n300,0,1,0,", "\n300,0,1,4294967296,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: field 4: '4294967296' is above 10000, more than a run records"
csv samples.csv 's.replace(",50331648,", ",1,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: host_free_kib and host_used_kib do not add up to host_total_kib"
csv samples.csv 's.replace("\n300,", "\n300,1,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: 20 fields where the header has 19"
csv samples.csv 's.replace("\n300,", "\n\"300,", 1)' 65 "xvmon-bench: $tmp/c/samples.csv:2: malformed CSV record (a quote not closed, or more than 51 fields)"
csv samples.csv 's + ",".join(["0"] * 60) + "\n"' 65 "xvmon-bench: $tmp/c/samples.csv:312: malformed CSV record (a quote not closed, or more than 51 fields)"
csv samples.csv 's.replace("\n300,", "\n\0,", 1)' 65 "xvmon-bench: '$tmp/c/samples.csv' has a NUL byte: it is not a text file"
csv samples.csv 's.split("\n")[0] + "\n"' 65 "xvmon-bench: $tmp/c has no samples: nothing to plot"
csv samples.csv '""' 65 "xvmon-bench: $tmp/c/samples.csv:1: no header row"
csv samples.csv 's + (s.split("\n")[1] + "\n") * 100001' 65 "xvmon-bench: $tmp/c/samples.csv:100002: more than 100000 rows, the most a run records"
csv guests.csv 's.replace(",stress,", ",ghost,", 1)' 65 "xvmon-bench: $tmp/c/guests.csv:3: profile 'ghost' is not in samples.csv"
csv guests.csv 's.replace(",stress,0,", ",stress,2,", 1)' 65 "xvmon-bench: $tmp/c/guests.csv:3: field 4: '2' is above 1, more than a run records"
csv guests.csv 's.replace(",1048576,", ",18446744073709551615,", 1)' 65 "xvmon-bench: $tmp/c/guests.csv:2: field 5: '18446744073709551615' is above 1099511627776, more than a run records"
csv guests.csv 's.replace(",0,1048576,", ",0,x,", 1)' 65 "xvmon-bench: $tmp/c/guests.csv:2: field 5: 'x' is not a whole number"
csv events.csv 's.replace(",create,", ",explode,", 1)' 65 "xvmon-bench: $tmp/c/events.csv:2: unknown event 'explode'"
csv events.csv 's.replace(",create,dbvrtg-001,dbvrtg,", ",create,dbvrtg-001,ghost,", 1)' 65 "xvmon-bench: $tmp/c/events.csv:2: profile 'ghost' is not in samples.csv"
csv events.csv 's + "0,interrupted,,,0,0,0,0,\xff\xfe\n"' 69 "$ACCEPTED"
csv run.done '"not a manifest\n"' 65 "xvmon-bench: $tmp/c/run.done:1: not the manifest of an xvmon-bench run" noseal
csv run.done 's.replace("guests.csv", "guest.csv")' 65 "xvmon-bench: $tmp/c/run.done:3: expected 'guests.csv SIZE CHECKSUM'" noseal
# files that are not regular
for f in samples.csv guests.csv events.csv; do
	rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && rm "$tmp/c/$f"
	ln -s /dev/zero "$tmp/c/$f"
	check 66 "xvmon-bench: cannot read '$tmp/c/$f': it is a character device, not a regular file" "$BENCH" plot "$tmp/c"
done
rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && rm "$tmp/c/samples.csv" && mkfifo "$tmp/c/samples.csv"
check 66 "xvmon-bench: cannot read '$tmp/c/samples.csv': it is a FIFO, not a regular file" "$BENCH" plot "$tmp/c"
rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && rm "$tmp/c/guests.csv" && mkdir "$tmp/c/guests.csv"
check 66 "xvmon-bench: cannot read '$tmp/c/guests.csv': it is a directory, not a regular file" "$BENCH" plot "$tmp/c"
rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && truncate -s 300M "$tmp/c/guests.csv"
check 65 "xvmon-bench: '$tmp/c/guests.csv' is 314572800 bytes, over the limit of 268435456" "$BENCH" plot "$tmp/c"
rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && rm "$tmp/c/run.done"
check 66 "xvmon-bench: '$tmp/c' is not a complete xvmon-bench run: cannot open '$tmp/c/run.done': No such file or directory" "$BENCH" plot "$tmp/c"
# a file of another run (the mixed set a killed run used to leave)
"$BENCH" run "$PLANS/seed-test2.ini" -o "$tmp/other" --seed 2 --no-charts -q
rm -rf "$tmp/c" && cp -r "$G" "$tmp/c" && cp "$tmp/other/guests.csv" "$tmp/c/"
check 65 "xvmon-bench: '$tmp/c/guests.csv' does not match $tmp/c/run.done ($(wc -c <"$tmp/other/guests.csv") bytes, expected $(wc -c <"$G/guests.csv")): it is not the file of this run" "$BENCH" plot "$tmp/c"

[ "$cases" -ge 80 ] || fail "only $cases cases"
printf 'ok: %d hostile cases\n' "$cases"
