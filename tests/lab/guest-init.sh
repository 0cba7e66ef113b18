#!/bin/busybox sh
# SPDX-License-Identifier: GPL-3.0-or-later
# guest-init.sh: /init of the PV guests `make check-xen` starts (busybox only).  The role comes from the
# kernel command line (xl's extra=):
#   xvlab.role=idle    say ready, then sleep: the domain is blocked nearly all the time
#   xvlab.role=crash   say ready, then panic the kernel (sysrq c); with on_crash="preserve" Xen keeps the
#                      domain in the crashed state
#   xvlab.role=poweroff say ready, then power off; with on_poweroff="preserve" the domain stays shut down
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
