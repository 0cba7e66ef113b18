#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# dom0-init.sh: /init (PID 1) of the dom0 that `make check-xen` boots under Xen.  It starts the toolstack
# the way Debian's init scripts would, creates the test guests, runs the plugins as root, records what
# xl, xenstore and libxenstat say around each plugin run, writes everything as a tar archive to the
# results disk (/dev/vda) and powers the machine off.  It asserts nothing: tests/lab/verify.py does,
# on the host.  Progress goes to the console as "XVLAB <event>" lines, which check-xen.sh waits for.
#
# /results/<phase>/ holds, for each phase:
#   before/, after/   readings taken just before and just after the plugin runs (xl info, xl list -v,
#                     xl list -l, xenstore-ls -f /local/domain, xsmem)
#   runs.tsv          one line per plugin run: id TAB command line
#   <id>.out .err .rc the run's stdout, stderr and exit status
# Phases: "bare" (dom0 alone), "guests" (idle, ballooned, paused, crashed and shut down guests),
# "ssh" (xvmon-snapshot over ssh:// from dom0 to itself, between two xen: snapshots: ssh/*.json),
# "snmp": xvmon-agentx under dom0's snmpd (when the build has it): /results/snmp/ holds numeric walks
# of vmTable and xvmonVmTable with readings around them, the plugins read back through snmp://, and
# snmptrapd's log after a guest is paused and another destroyed; "tools" (xvm-create, xvm-console,
# xvm-tree, xvm-stop on guests they create; tools/ holds runs.tsv, <id>.out .err .rc .ms, the hooks'
# argv and readings before/, created/, running/, after/), "vms" (every VM in one check, a
# self-ballooning guest's published meminfo, a balloon that cannot reach its target).
export PATH=/xvlab/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
R=/results
up() { cut -d' ' -f1 /proc/uptime; }
mark() { echo "XVLAB $* uptime=$(up)"; }
error() { mark "ERROR $*"; echo "$*" >> $R/errors; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/xen /run/xenstored /run/lock /var/log/xen/console /var/lib/xen /var/lib/xenstored $R
mark "DOM0-INIT"
hostname xvlab-dom0

finish() {
	mark "SAVING"
	cp /var/log/xen/console/*.log $R/ 2>/dev/null
	xl dmesg > $R/xl-dmesg.txt 2>&1
	dmesg > $R/dom0-dmesg.txt 2>&1
	if [ -b /dev/vda ]; then
		tar -cf /dev/vda -C $R . && sync && mark "RESULTS-WRITTEN"
	else
		mark "ERROR no results disk /dev/vda"
	fi
	mark "DONE"
	busybox poweroff -f
}

# What Debian's xen init script and xenstored unit do, without systemd.
for m in xen-evtchn xenfs xen-privcmd xen-gntdev xen-gntalloc xen-netback virtio_pci virtio_blk; do
	modprobe $m || error "modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen
/usr/lib/xen-4.17/bin/xenstored --pid-file /run/xenstore.pid || error "xenstored failed"
/usr/lib/xen-4.17/bin/xen-init-dom0 || error "xen-init-dom0 failed"
/usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console ||
	error "xenconsoled failed"
mark "TOOLSTACK-UP"
mkdir -p /etc/xen


# readings DIR: what the toolstack says, for the host to compare the plugins with.
readings() {
	mkdir -p "$1"
	up > "$1/uptime"
	xl info > "$1/xl-info.txt" 2> "$1/xl-info.err"
	xl list -v > "$1/xl-list.txt" 2> "$1/xl-list.err"
	xl list -l > "$1/xl-list-l.json" 2> "$1/xl-list-l.err"
	xenstore-ls -f /local/domain > "$1/xenstore.txt" 2> "$1/xenstore.err"
	xsmem > "$1/xsmem.txt" 2> "$1/xsmem.err"
	# what self-ballooning guests publish, as the plugins read it
	for n in $(xl list | awk 'NR > 1 {print $1}'); do
		id=$(xl domid "$n" 2>/dev/null) || continue
		xenstore-read /local/domain/$id/memory/meminfo > "$1/meminfo-$n.txt" 2>/dev/null ||
			rm -f "$1/meminfo-$n.txt"
	done
}

# plugin PHASE ID PROGRAM ARGS...: one plugin run, its output kept apart from everything else.
plugin() {
	d=$R/$1 id=$2
	shift 2
	printf '%s\t%s\n' "$id" "$*" >> "$d/runs.tsv"
	timeout 60 "$@" > "$d/$id.out" 2> "$d/$id.err"
	echo $? > "$d/$id.rc"
}

# guest NAME ROLE MEMORY_MIB MAXMEM_MIB: writes the xl config and creates the domain.
guest() {
	cat > /etc/xen/$1.cfg <<-EOF
		name = "$1"
		type = "pv"
		kernel = "/guest/vmlinux"
		ramdisk = "/guest/initrd.gz"
		extra = "console=hvc0 quiet xvlab.role=$2"
		memory = $3
		maxmem = $4
		vcpus = 1
		on_crash = "preserve"
		on_poweroff = "preserve"
	EOF
	xl create /etc/xen/$1.cfg > $R/create-$1.txt 2>&1 || error "xl create $1 failed: $(tail -3 $R/create-$1.txt)"
}

# until SECONDS WHAT COMMAND...: polls COMMAND every second; records an error when it never succeeds.
until_ok() {
	t=$1 what=$2
	shift 2
	while [ "$t" -gt 0 ]; do
		"$@" && { mark "$what"; return 0; }
		sleep 1
		t=$((t - 1))
	done
	error "timed out waiting for: $what"
	return 1
}
ready() { grep -q XVLAB-GUEST-READY /var/log/xen/console/guest-$1.log 2>/dev/null; }
state_has() { xl list "$1" 2>/dev/null | awk -v f="$2" 'NR == 2 && index($5, f) {ok = 1} END {exit !ok}'; }
# The balloon has reached its target when libxenstat's current memory equals xenstore's memory/target.
ballooned() {
	id=$(xl domid "$1") || return 1
	target=$(xenstore-read /local/domain/$id/memory/target) || return 1
	xsmem | awk -v id="$id" -v t="$target" '$1 == "dom" && $2 == id {split($4, a, "="); ok = (a[2] == t)} END {exit !ok}'
}

# --- the bench on this host (a boot of its own: xvlab.test=bench on dom0's command line) ---------------
# First the stress program's write rate inside a guest (one 256 MiB guest, xvb.image=measure: its eaters were OOM-killed in
# a 128 MiB one), then
# xvmon-bench's xen driver ramps the lab plan until a creation fails.  A line every 30 s shows progress.
if grep -qw 'xvlab.test=bench' /proc/cmdline; then
	B=$R/bench
	mkdir -p $B /etc/xen
	cat > /etc/xen/measure.cfg <<-EOF
		name = "measure"
		type = "pv"
		kernel = "/guest/vmlinux"
		ramdisk = "/guest/initrd.gz"
		extra = "console=hvc0 quiet xvb.image=measure"
		memory = 256
		vcpus = 1
	EOF
	xl create /etc/xen/measure.cfg > $B/measure-create.txt 2>&1 || error "xl create measure failed"
	measured() { grep -q XVB-MEASURE-DONE /var/log/xen/console/guest-measure.log 2>/dev/null; }
	until_ok 400 "BENCH-MEASURED" measured
	xl destroy measure
	xl info > $B/xl-info-before.txt 2>&1
	cp /xvlab/bench-ramp.ini $B/plan.ini
	(while sleep 30; do
		mark "BENCH-PROGRESS domains=$(xl list 2>/dev/null | tail -n +3 | wc -l) free_mib=$(xl info free_memory 2>/dev/null) dom0: $(awk '/^(MemTotal|MemAvailable):/ {printf "%s%d ", $1, $2 / 1024}' /proc/meminfo) trace: $(tail -n 1 $B/trace/trace-host.csv 2>/dev/null)"
	done) &
	progress=$!
	# Xen's advice for a host whose guests keep the CPUs busy: weigh dom0 above them (the default
	# weight is 256), so xl, xenstored and xenconsoled still run.  Under TCG the stress guests'
	# writers otherwise starved dom0: an earlier run ended on libxl's console timeout, not on memory.
	{ xl sched-credit2 -d 0 -w 1024 || xl sched-credit -d 0 -w 1024; } > $B/sched.txt 2>&1 ||
		error "cannot raise dom0's scheduler weight: $(cat $B/sched.txt)"
	{ xl sched-credit2 -d 0 || xl sched-credit -d 0; } >> $B/sched.txt 2>&1
	mark "BENCH-START"
	# the trace has a directory of its own: xvmon-bench refuses an output directory holding files
	# it did not write (a run is written whole, then renamed into place)
	mkdir -p $B/trace
	XVMON_BENCH_TRACE_DIR=$B/trace timeout 3000 xvmon-bench run /xvlab/bench-ramp.ini -o $B/run --driver xen \
		--no-charts -q > $B/bench.out 2> $B/bench.err
	echo $? > $B/bench.rc
	kill $progress
	mark "BENCH-DONE rc=$(cat $B/bench.rc)"
	xl list > $B/xl-list-after.txt 2>&1
	xl info > $B/xl-info-after.txt 2>&1
	finish
fi

# --- xvmon-agentx under snmpd, on loopback --------------------------------------------------------
# It runs through both phases, as it would on a real host: its notifications for the guests' creation
# and for the pause and destroy below end up in snmptrapd's log.
SNMP=
mkdir -p $R/snmp $R/ssh
if [ ! -x /xvlab/bin/xvmon-agentx ]; then
	echo "xvmon-agentx not built" > $R/snmp/disabled
elif ! command -v snmpd > /dev/null || ! command -v snmptrapd > /dev/null; then
	error "snmpd or snmptrapd missing in dom0"
	echo "snmpd missing" > $R/snmp/disabled
else
	busybox ip link set lo up
	mkdir -p /run/snmp /var/lib/xvmon
	export SNMPCONFPATH=/run/snmp SNMP_PERSISTENT_DIR=/run/snmp
	cat > /run/snmp/snmpd.conf <<-EOF
		master agentx
		disablePerl true
		agentXSocket unix:/run/snmp/agentx.sock
		rocommunity public 127.0.0.1
		trap2sink udp:127.0.0.1:1162 public
	EOF
	echo "disableAuthorization yes" > /run/snmp/snmptrapd.conf
	snmptrapd -Lf $R/snmp/traps.log -C -c /run/snmp/snmptrapd.conf -m '' -On udp:127.0.0.1:1162 ||
		error "snmptrapd failed"
	snmpd -Lf $R/snmp/snmpd.log -C -c /run/snmp/snmpd.conf -I -smux -m '' udp:127.0.0.1:161 ||
		error "snmpd failed"
	# in the background, as its systemd unit would not: the daemon path is tested too
	xvmon-agentx -s xen: -x unix:/run/snmp/agentx.sock -t 1s -S /var/lib/xvmon -L $R/snmp/agentx.log ||
		error "xvmon-agentx failed"
	until_ok 60 "SNMP-UP" sh -c '[ "$(snmpget -v2c -c public -m "" -Oqv 127.0.0.1 .1.3.6.1.4.1.8072.9999.9999.786.1.1.2.0 2>/dev/null)" = 1 ]' &&
		SNMP=1
fi

mkdir -p /etc/xen $R/bare $R/guests

# --- phase bare: dom0 alone ---------------------------------------------------------------------
readings $R/bare/before
plugin bare host check_xen_host -s xen:
plugin bare vm-dom0 check_xen_vm -s xen: -n Domain-0
plugin bare vm-missing check_xen_vm -s xen: -n no-such-guest
plugin bare vm-dom0-uuid check_xen_vm -s xen: -u 00000000-0000-0000-0000-000000000000
# Not root: /dev/xen/privcmd is there but refuses; one UNKNOWN line, and libxencall's noise must not leak.
plugin bare host-nobody setpriv --reuid=65534 --regid=65534 --clear-groups check_xen_host -s xen:
readings $R/bare/after
mark "PHASE-BARE-DONE"

# --- phase guests ---------------------------------------------------------------------------------
# Created back to back, so they boot in parallel.
#   idle       blocked
#   ballooned  starts at 192 MiB with room to 256 MiB, ballooned down to 128 MiB: current = target < max,
#              and libxenstat's max_mem (target + 1 MiB) is neither
#   paused     paused, then given a 96 MiB target it cannot reach: current 128 MiB, a 32 MiB balloon gap
#   crashed    panics; kept crashed by on_crash="preserve"
#   stopped    powers itself off; kept shut down by on_poweroff="preserve"
GUESTS="idle ballooned paused crashed stopped"
guest idle idle 128 128
guest ballooned idle 192 256
guest paused idle 128 128
guest crashed crash 128 128
guest stopped poweroff 128 128
mark "GUESTS-CREATED"
for g in $GUESTS; do
	until_ok 240 "GUEST-READY $g" ready $g
done
xl mem-set ballooned 128m || error "xl mem-set ballooned 128m failed"
xl pause paused || error "xl pause paused failed"
xl mem-set paused 96m || error "xl mem-set paused 96m failed"
until_ok 120 "GUEST-CRASHED crashed" state_has crashed c
until_ok 120 "GUEST-SHUTDOWN stopped" state_has stopped s
until_ok 120 "GUEST-BALLOONED ballooned" ballooned ballooned
until_ok 30 "GUEST-PAUSED paused" state_has paused p

readings $R/guests/before
plugin guests host check_xen_host -s xen:
plugin guests vm-dom0 check_xen_vm -s xen: -n Domain-0
for g in $GUESTS; do
	plugin guests vm-$g check_xen_vm -s xen: -n $g
done
uuid=$(xl list -v idle | awk 'NR == 2 {print $7}')
plugin guests vm-idle-uuid check_xen_vm -s xen: -u "$uuid"
readings $R/guests/after
mark "PHASE-GUESTS-DONE"

# --- phase ssh: dom0 logs in to itself over ssh:// -------------------------------------------------
# The ssh:// source runs xvmon-snapshot (reading xen:) on the far side; its snapshot must be the one
# xen: gives here.  Read xen:, ssh://, xen: again: figures that move (free memory, CPU time) must lie
# between the two local readings.  OpenSSH with throw-away keys on 127.0.0.1:2222.
mkdir -p /run/sshd /tmp/ssh
S=/tmp/ssh
ssh-keygen -q -N '' -t ed25519 -f $S/hostkey && ssh-keygen -q -N '' -t ed25519 -f $S/userkey &&
	cp $S/userkey.pub $S/authorized_keys || error "ssh-keygen failed"
printf '%s\n' "Port 2222" "ListenAddress 127.0.0.1" "HostKey $S/hostkey" \
	"AuthorizedKeysFile $S/authorized_keys" "PasswordAuthentication no" \
	"KbdInteractiveAuthentication no" "UsePAM no" "StrictModes no" "PidFile $S/sshd.pid" > $S/sshd_config
printf '%s\n' "Host *" "  IdentityFile $S/userkey" "  UserKnownHostsFile $S/known_hosts" \
	"  StrictHostKeyChecking accept-new" "  GSSAPIAuthentication no" \
	"  KexAlgorithms curve25519-sha256" > $S/ssh_config
/usr/sbin/sshd -f $S/sshd_config -E $R/ssh/sshd.log || error "sshd failed to start"
SSH_URI="ssh://root@127.0.0.1:2222?config=$S/ssh_config&command=/xvlab/bin/xvmon-snapshot"
snap() { timeout 120 xvmon-snapshot -t 100 --json "$2" > $R/ssh/$1.json 2> $R/ssh/$1.err; echo $? > $R/ssh/$1.rc; }
snap xen-before xen:
snap ssh "$SSH_URI"
snap xen-after xen:
plugin ssh host check_xen_host -t 100 -s "$SSH_URI"
mark "PHASE-SSH-DONE"

# --- phase vms: every VM in one check, guest memory, balloon health, metrics ---------------------------
# Right after guests: it reads the five guests as that phase left them (snmp pauses and destroys some).
#   selfballoon  publishes its meminfo and vmstat to xenstore every second and balloons itself down
#   stuck        holds 96 MiB it cannot give back, then is given a 64 MiB target: the balloon stays above
# libxl makes memory/ read-only for a guest: as the admin of a xenballoond pool would, dom0 creates the
# nodes the guest publishes and gives them to it.
mkdir -p $R/vms
guest selfballoon selfballoon 256 256
guest stuck hold 192 192
for g in selfballoon stuck; do
	until_ok 240 "GUEST-READY $g" ready $g
done
id=$(xl domid selfballoon)
for leaf in meminfo vmstat; do
	xenstore-write /local/domain/$id/memory/$leaf "" && xenstore-chmod /local/domain/$id/memory/$leaf n$id ||
		error "cannot give memory/$leaf to selfballoon"
done
published() { [ -n "$(xenstore-read /local/domain/$id/memory/meminfo 2>/dev/null)" ]; }
until_ok 60 "GUEST-PUBLISHED selfballoon" published
holding() { grep -q XVLAB-GUEST-HOLDING /var/log/xen/console/guest-stuck.log 2>/dev/null; }
until_ok 120 "GUEST-HOLDING stuck" holding
xl mem-set stuck 64m || error "xl mem-set stuck 64m failed"
# the balloon driver gives up what it can within seconds; what is held stays
sleep 8
readings $R/vms/before
plugin vms vms-all check_xen_vms -s xen: --no-state -v
plugin vms vms-guest check_xen_vms -s xen: --no-state --include '^selfballoon$' --perfdata all --committed-warning 99%
plugin vms vms-gap1 check_xen_vms -s xen: --state-dir /run/xvmon --include '^stuck$' --gap-warning 16M --gap-for 10s
sleep 12
plugin vms vms-gap2 check_xen_vms -s xen: --state-dir /run/xvmon --include '^stuck$' --gap-warning 16M --gap-for 10s
plugin vms metrics xvmon-metrics -s xen: -o $R/vms/metrics.prom
readings $R/vms/after
# its guests go: the snmp and tools phases see the five guests as the guests phase left them
for g in selfballoon stuck; do
	xl destroy $g || error "xl destroy $g failed"
done
mark "PHASE-VMS-DONE"

# --- phase snmp -------------------------------------------------------------------------------------
# walks ID: vmTable and xvmonVmTable as a manager reads them (numeric, no MIB files), between readings.
walks() {
	readings $R/snmp/$1-before
	snmpwalk -v2c -c public -m '' -On -Oe -Ox -Ot 127.0.0.1 .1.3.6.1.2.1.236.1 > $R/snmp/$1-vm.txt 2>&1
	snmpwalk -v2c -c public -m '' -On -Oe -Ox -Ot 127.0.0.1 .1.3.6.1.4.1.8072.9999.9999.786.1 > $R/snmp/$1-xvmon.txt 2>&1
	readings $R/snmp/$1-after
}
if [ -n "$SNMP" ]; then
	mkdir -p $R/snmp/runs
	sleep 3 # two refreshes: the agent's snapshot is as fresh as the readings
	walks guests
	for g in paused crashed stopped; do
		plugin snmp/runs vm-$g check_xen_vm -s snmp://127.0.0.1 -n $g
	done
	plugin snmp/runs host check_xen_host -s snmp://127.0.0.1
	# the idle guest paused, the stopped one destroyed: vmPaused and vmDeleted at snmptrapd
	xl pause idle || error "xl pause idle failed"
	sleep 3
	xl destroy stopped || error "xl destroy stopped failed"
	sleep 3
	walks changed
	cp /var/lib/xvmon/vm-index $R/snmp/ 2>/dev/null
	# the agent's part ends here: stopped (it saves its vmIndex map), so the tools phase runs as without it
	for p in $(pgrep -x xvmon-agentx); do kill $p; done
fi
mark "PHASE-SNMP-DONE"

# --- phase tools: the operator tools act through the xen: source (libxl) --------------------------------
# xvm-create makes "made" from an xl config (libxl generates its MAC) with hooks that record their argv,
# and a guest whose name holds shell metacharacters that ignores a clean shutdown (no /sbin/poweroff:
# guest-init.sh role "stubborn"); xvm-tree draws the lab; xvm-stop stops "made" cleanly within its wait,
# times out on the stubborn guest, then --force destroys it.  The tools run in $R/tools: a name that
# reached a shell would leave a file "pwned" there.
T=$R/tools
STUB='stub;touch${IFS}pwned;$(touch${IFS}pwned)'  # no blank: verify.py reads xl list's columns
mkdir -p $T /etc/xvmon/hooks/post-install.d
chmod 755 /etc/xvmon /etc/xvmon/hooks /etc/xvmon/hooks/post-install.d
printf '[pool lab]\ntimeout = 60s\n\n[host xvlab-dom0]\npool = lab\nsource = xen:\n' > /etc/xvmon/inventory.ini
# hook FILE WHAT: a hook that appends its argv, one per line, and "--" to $T/hook-WHAT.txt
hook() {
	printf '#!/bin/sh\n{ for a; do printf "%%s\\n" "$a"; done; echo --; } >> %s/hook-%s.txt\n' $T "$2" > "$1"
	chmod 755 "$1"
}
hook /etc/xvmon/hooks/10-register register
hook /etc/xvmon/hooks/post-install.d/10-post post-install
# tool_config FILE NAME ROLE: a PV guest with one vif whose MAC libxl generates.  The lab has no bridge:
# the vif's hotplug script (xvlab-vif) only reports the backend connected.
tool_config() {
	printf '%s\n' "name = \"$2\"" 'type = "pv"' 'kernel = "/guest/vmlinux"' 'ramdisk = "/guest/initrd.gz"' \
		"extra = \"console=hvc0 quiet xvlab.role=$3\"" 'memory = 128' 'vcpus = 1' \
		"vif = [ 'script=/xvlab/bin/xvlab-vif' ]" > "$1"
}
tool_config /etc/xen/made.cfg made idle
tool_config /etc/xen/stub.cfg "$STUB" stubborn
# configs refused through the real parsers: a key xvmon does not translate, a disk libxlutil refuses
tool_config /etc/xen/pci.cfg pcig idle && echo 'pci = [ "01:00.0" ]' >> /etc/xen/pci.cfg
tool_config /etc/xen/disk.cfg diskg idle && echo "disk = [ 'phy:/dev/xvlab,xvda,w,bogus' ]" >> /etc/xen/disk.cfg
# tool ID SECONDS PROGRAM ARGS...: one tool run; its output, exit status and duration (ms) kept apart.
tool() {
	id=$1 t=$2
	shift 2
	printf '%s\t%s\n' "$id" "$*" >> $T/runs.tsv
	t0=$(date +%s%3N)
	(cd $T && timeout $t "$@" > $T/$id.out 2> $T/$id.err)
	echo $? > $T/$id.rc
	echo $(($(date +%s%3N) - t0)) > $T/$id.ms
	mark "TOOL $id exit $(cat $T/$id.rc) in $(cat $T/$id.ms) ms"
}
gone() { ! xl domid "$1" > /dev/null 2>&1; }
ready_file() { grep -q XVLAB-GUEST-READY "$1" 2>/dev/null; }
INV="-i /etc/xvmon/inventory.ini"
readings $T/before
tool create-pci 60 xvm-create $INV /etc/xen/pci.cfg
tool create-disk 60 xvm-create $INV /etc/xen/disk.cfg
tool create-made 180 xvm-create $INV --hooks /etc/xvmon/hooks --post-install-delay 0 /etc/xen/made.cfg
tool create-stub 180 xvm-create $INV --hooks /etc/xvmon/hooks --post-install-delay 0 /etc/xen/stub.cfg
readings $T/created
until_ok 240 "GUEST-READY made" ready made
until_ok 240 "GUEST-READY stub" ready_file "/var/log/xen/console/guest-$STUB.log"
tool console-made 60 xvm-console $INV --print made
tool tree 60 xvm-tree $INV
tool tree-json 60 xvm-tree $INV -j
mkdir -p $T/backup $T/restored
tool backup 120 xvm-backup $INV -o $T/backup
tar -xzf $T/backup/xvmon-backup-*.tar.gz -C $T/restored && find $T/restored -type f | sort > $T/restored.txt
readings $T/running
tool stop-made 120 xvm-stop $INV -w 60 made
gone made && mark "TOOLS-MADE-GONE"
tool stop-stub 120 xvm-stop $INV -w 10 "$STUB"
tool force-stub 120 xvm-stop $INV -w 10 -f "$STUB"
gone "$STUB" && mark "TOOLS-STUB-GONE"
readings $T/after
ls -a $T > $T/files.txt
mark "PHASE-TOOLS-DONE"


finish
