#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/nagios/xvmon.cfg in the real Nagios 4 configuration check: every
# plugin has a command, and a service uses each command.
. "$TOP/tests/integration/lib.sh"
command -v nagios4 >/dev/null || skip "nagios4 is not installed (Debian package nagios4-core)"
CFG=contrib/nagios/xvmon.cfg

for p in plugins/check_*; do
	case $p in *.c | *.o | *.d) continue ;; esac
	[ -x "$p" ] || continue
	checks=$((checks + 1))
	grep -q "command_line    \$USER1\$/${p#plugins/} " $CFG || fail "${p#plugins/} has no Nagios command in $CFG"
done

N=$WORK/nagios
mkdir -p $N/var $N/spool
cat >$N/resource.cfg <<CONF
\$USER1\$=$TOP/plugins
CONF
cat >$N/objects.cfg <<CONF
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define contact {
    contact_name                  admin
    host_notifications_enabled    0
    service_notifications_enabled 0
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    notify-none
    service_notification_commands notify-none
}
define command {
    command_name notify-none
    command_line /bin/true
}
define host {
    host_name          xen01
    address            127.0.0.1
    max_check_attempts 1
    check_period       24x7
    contacts           admin
}
define service {
    host_name           xen01
    service_description Xen memory
    check_command       check_xen_host!-w 15%: -c 5%:
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description VM web1
    check_command       check_xen_vm!web1!--gap-warning 512M
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Room for 4 GiB guests
    check_command       check_xen_capacity!4G!--image clean -w 2: -c 1:
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description VM cache1
    check_command       check_xen_vm_uuid!4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Pool prod
    check_command       check_xen_pool!$TOP/tests/data/pool/healthy.ini!-p prod -w 99:
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Xen memory by NRPE
    check_command       check_xen_host_nrpe
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description VM web1 by NRPE
    check_command       check_xen_vm_nrpe!web1
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Xen VMs by NRPE
    check_command       check_xen_vms_nrpe
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Xen VMs
    check_command       check_xen_vms!--gap-warning 256M --gap-for 5m --exclude ^test-
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
define service {
    host_name           xen01
    service_description Pool VMs
    check_command       check_xen_pool_vms!$TOP/tests/data/pool/healthy.ini!--gap-warning 256M
    max_check_attempts  1
    check_interval      1
    retry_interval      1
    check_period        24x7
    notification_period 24x7
    contacts            admin
}
CONF
cat >$N/nagios.cfg <<CONF
log_file=$N/var/nagios.log
cfg_file=$TOP/contrib/nagios/xvmon.cfg
cfg_file=$N/objects.cfg
resource_file=$N/resource.cfg
status_file=$N/var/status.dat
temp_file=$N/var/nagios.tmp
temp_path=$N/var
lock_file=$N/var/nagios.lock
check_result_path=$N/spool
object_cache_file=$N/var/objects.cache
precached_object_file=$N/var/objects.precache
command_file=$N/var/nagios.cmd
nagios_user=$(id -un)
nagios_group=$(id -gn)
illegal_macro_output_chars=\`~\$&|'"<>
CONF

run nagios4 -v $N/nagios.cfg
[ "$RC" = 0 ] || fail "nagios4 rejects the configuration: $OUT"
contains "Checked 10 services."
# notify-none and ours, every one used by a service
contains "Checked $(( $(grep -c '^define command' $CFG) + 1 )) commands."
contains "Total Warnings: 0"
contains "Total Errors:   0"

done_testing
