#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_xen_vm on sim: scenarios: exact status line, perfdata and exit code.
. "$TOP/tests/integration/lib.sh"

# OK: an idle (blocked) guest is up.
run $V -s sim:$DATA/healthy.sim -n web2
expect 0 "XEN VM OK - web2 (id 2) on xen01: blocked, 4 GiB of 4 GiB max, at target 4 GiB | mem_current=4294967296B;;;0;4294967296 mem_target=4294967296B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=0B;;;0 vcpus=2;;;0 cpu_time=4890c;;;0"

# OK by uuid, in any case; -v adds the details.
run $V -s sim:$DATA/healthy.sim -u 4F1C0D6E-8B3A-4C51-9A47-0E6B2D9F1A04 -v
expect 0 "XEN VM OK - cache1 (id 4) on xen01: blocked, 1.5 GiB of 2 GiB max, at target 1.5 GiB | mem_current=1610612736B;;;0;2147483648 mem_target=1610612736B;;;0;2147483648 mem_max=2147483648B;;;0 balloon_gap=0B;;;0 vcpus=1;;;0 cpu_time=310c;;;0
uuid 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04, state -b----, 1 vcpus, 310.0 s cpu"

# WARNING: paused.
run $V -s sim:$DATA/paused.sim -n batch1
expect 1 "XEN VM WARNING - batch1 (id 41) on xen05: paused (!), 4 GiB of 4 GiB max, at target 4 GiB | mem_current=4294967296B;;;0;4294967296 mem_target=4294967296B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=0B;;;0 vcpus=2;;;0 cpu_time=600c;;;0"

# WARNING: ballooning, 512 MiB above its 3 GiB target (16.7%), warn above 256M.
run $V -s sim:$DATA/paused.sim -n batch2 --gap-warning 256M --gap-critical 25%
expect 1 "XEN VM WARNING - batch2 (id 42) on xen05: target 3 GiB (512 MiB above) (!), blocked, 3.5 GiB of 4 GiB max | mem_current=3758096384B;;;0;4294967296 mem_target=3221225472B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=536870912B;268435456;805306368;0 vcpus=2;;;0 cpu_time=610c;;;0"

# WARNING: memory thresholds as a percentage of max (87.5% > 80%).
run $V -s sim:$DATA/paused.sim -n batch2 -w 80% -c 95%
expect_first 1 "XEN VM WARNING - batch2 (id 42) on xen05: 3.5 GiB of 4 GiB max (!), blocked, target 3 GiB (512 MiB above) | mem_current=3758096384B;3435973837;4080218931;0;4294967296 mem_target=3221225472B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=536870912B;;;0 vcpus=2;;;0 cpu_time=610c;;;0"

# CRITICAL: crashed, dying, shut down, missing.
run $V -s sim:$DATA/crashed.sim -n broken1
expect_first 2 "XEN VM CRITICAL - broken1 (id 32) on xen04: crashed (!!), 4 GiB of 4 GiB max, at target 4 GiB | mem_current=4294967296B;;;0;4294967296 mem_target=4294967296B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=0B;;;0 vcpus=2;;;0 cpu_time=12.5c;;;0"
run $V -s sim:$DATA/crashed.sim -n old1
expect_first 2 "XEN VM CRITICAL - old1 (id 33) on xen04: dying (!!), 1 GiB of 1 GiB max, at target 1 GiB | mem_current=1073741824B;;;0;1073741824 mem_target=1073741824B;;;0;1073741824 mem_max=1073741824B;;;0 balloon_gap=0B;;;0 vcpus=1;;;0 cpu_time=77c;;;0"
run $V -s sim:$DATA/crashed.sim -n stopped1
expect_first 2 "XEN VM CRITICAL - stopped1 (id 34) on xen04: shutdown (!!), 1 GiB of 1 GiB max, at target 1 GiB | mem_current=1073741824B;;;0;1073741824 mem_target=1073741824B;;;0;1073741824 mem_max=1073741824B;;;0 balloon_gap=0B;;;0 vcpus=1;;;0 cpu_time=80c;;;0"
run $V -s sim:$DATA/crashed.sim -n ghost
expect 2 "XEN VM CRITICAL - xen04: no domain named 'ghost' (5 domains on the host)"

# Each state is overridable.
run $V -s sim:$DATA/crashed.sim -n ghost --missing OK
expect 0 "XEN VM OK - xen04: no domain named 'ghost' (5 domains on the host)"
run $V -s sim:$DATA/crashed.sim -n broken1 --crashed warning
expect_first 1 "XEN VM WARNING - broken1 (id 32) on xen04: crashed (!), 4 GiB of 4 GiB max, at target 4 GiB | mem_current=4294967296B;;;0;4294967296 mem_target=4294967296B;;;0;4294967296 mem_max=4294967296B;;;0 balloon_gap=0B;;;0 vcpus=2;;;0 cpu_time=12.5c;;;0"

# UNKNOWN: no domain named, both named, bad uuid, bad source.
run $V -s sim:$DATA/healthy.sim
expect_first 3 "XEN VM UNKNOWN - name the domain with exactly one of -n NAME and -u UUID"
run $V -s sim:$DATA/healthy.sim -n web1 -u 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01
expect_first 3 "XEN VM UNKNOWN - name the domain with exactly one of -n NAME and -u UUID"
run $V -s sim:$DATA/healthy.sim -u not-a-uuid
expect_first 3 "XEN VM UNKNOWN - invalid uuid 'not-a-uuid': expected 8-4-4-4-12 hex digits"
run $V -s sim:$DATA/nonexistent.sim -n web1
expect 3 "XEN VM UNKNOWN - cannot open 'tests/data/nonexistent.sim': No such file or directory"

done_testing
