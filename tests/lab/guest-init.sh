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
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
role=idle
for a in $(cat /proc/cmdline); do
	case $a in xvlab.role=*) role=${a#*=} ;; esac
done
[ "$role" = stubborn ] && rm -f /sbin/poweroff
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
