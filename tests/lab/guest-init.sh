#!/bin/busybox sh
# SPDX-License-Identifier: GPL-3.0-or-later
# guest-init.sh: /init of the PV guests `make check-xen` starts (busybox only).  The role comes from the
# kernel command line (xl's extra=):
#   xvlab.role=idle    say ready, then sleep: the domain is blocked nearly all the time
#   xvlab.role=crash   say ready, then panic the kernel (sysrq c); with on_crash="preserve" Xen keeps the
#                      domain in the crashed state
#   xvlab.role=poweroff say ready, then power off; with on_poweroff="preserve" the domain stays shut down
#   xvlab.role=selfballoon  publish /proc/meminfo and the swap lines of /proc/vmstat to xenstore every
#                      second (xvlab-publish, as xenballoond did) and balloon itself down to what it
#                      uses plus 32 MiB (never below 64 MiB), through the balloon driver's target_kb
#   xvlab.role=hold    fill 96 MiB of RAM that cannot be given back (files in the initramfs), say
#                      "XVLAB-GUEST-HOLDING": a balloon target below that can never be reached
#   xvlab.role=stubborn like idle, but without /sbin/poweroff: a clean shutdown request (xl shutdown,
#                      xvm-stop) is ignored, as by a guest without a working PV shutdown path
# Every other guest obeys a clean shutdown: Linux's Xen driver runs /sbin/poweroff when dom0 writes
# control/shutdown = "poweroff" in xenstore, and /sbin/poweroff powers off at once.
# "XVLAB-GUEST-READY" on the console (xenconsoled logs it in dom0) tells dom0 the guest is up.
#
# The bench's guests (bench/driver_xen.c writes their command line) say xvb.image= instead:
#   xvb.image=plain    idle, no balloon daemon (it only marks itself ready in xenstore data/xvb-ready)
#   xvb.image=clean    idle, self-ballooning with xvb-balloond (xenballoond's law, 1 s)
#   xvb.image=stress   self-ballooning, and xvb-stress with xvb.threads, xvb.alloc, xvb.chunk, xvb.sleep;
#                      restarted when it ends (an OOM kill), each end logged as XVB-STRESS-END
#   xvb.image=measure  xvb-stress --measure with 1 then 2 threads (the write rate inside a lab guest),
#                      then XVB-MEASURE-DONE
# Self-ballooned guests run with vm.overcommit_memory=1: ballooned down, they must still be allowed to
# map more than their current MemTotal (../shared/FACTS.md).  The guests have no swap device.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# a QEMU/KVM guest's initramfs carries the virtio balloon as modules (the Xen drivers are built in)
for m in $(cat /mods/order 2>/dev/null); do insmod /mods/$m || echo "XVB insmod $m failed"; done
role=idle image= threads=4 alloc=1G chunk=uniform:1:512M sleep=uniform:0:63
for a in $(cat /proc/cmdline); do
	case $a in
	xvlab.role=*) role=${a#*=} ;;
	xvb.image=*) image=${a#*=} ;;
	xvb.threads=*) threads=${a#*=} ;;
	xvb.alloc=*) alloc=${a#*=} ;;
	xvb.chunk=*) chunk=${a#*=} ;;
	xvb.sleep=*) sleep=${a#*=} ;;
	esac
done
[ "$role" = stubborn ] && rm -f /sbin/poweroff
if [ -n "$image" ]; then
	echo "XVB-GUEST image=$image uptime=$(cut -d' ' -f1 /proc/uptime) $(grep -E '^(MemTotal|Committed_AS)' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
	case $image in
	plain)
		xvb-balloond --ready-only
		;;
	clean)
		echo 1 > /proc/sys/vm/overcommit_memory
		xvb-balloond --self --ready --maxmem-file /tmp/xenballoon-maxmem &
		;;
	stress)
		echo 1 > /proc/sys/vm/overcommit_memory
		xvb-balloond --self --ready --stress-file /tmp/xvb-stress --maxmem-file /tmp/xenballoon-maxmem &
		sleep 2
		(while :; do
			xvb-stress -t "$threads" -a "$alloc" -c "$chunk" -s "$sleep" -R 10 -o /tmp/xvb-stress
			echo "XVB-STRESS-END rc=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
			sleep 1
		done) &
		;;
	measure)
		xvb-stress --measure 15 -t 1
		xvb-stress --measure 15 -t 2
		xvb-stress --measure 10 -t 1 -w xorshift
		echo "XVB-MEASURE-DONE"
		;;
	esac
	while :; do sleep 3600; done
fi
echo "XVLAB-GUEST-READY role=$role uptime=$(cut -d' ' -f1 /proc/uptime)"
case $role in
selfballoon)
	echo 1 > /proc/sys/vm/overcommit_memory
	/bin/xvlab-publish &
	XM=/sys/devices/system/xen_memory/xen_memory0
	(while :; do
		a=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
		t=$(( $(cat $XM/info/current_kb) - a + 32768 ))
		[ $t -ge 65536 ] || t=65536
		echo $t > $XM/target_kb
		sleep 1
	done) &
	;;
hold)
	dd if=/dev/zero of=/held bs=1M count=96 2>/dev/null
	echo "XVLAB-GUEST-HOLDING $(ls -l /held | awk '{print $5}') bytes"
	;;
crash)
	sleep 1
	echo c > /proc/sysrq-trigger
	;;
poweroff)
	sleep 1
	poweroff -f
	;;
esac
while :; do sleep 3600; done
