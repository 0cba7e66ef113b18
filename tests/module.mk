# SPDX-License-Identifier: GPL-3.0-or-later
# tests/: unit tests (one per lib module), integration scripts, fuzz targets.
# A module whose library is missing lists its tests in UNIT_TESTS_SKIP (and
# its fuzz targets in FUZZERS_SKIP) so they are not built.
# t_xen_libxl reads xl configs through libxlutil (libxen-dev; no Xen needed).
ifneq ($(HAVE_XENLIGHT),yes)
UNIT_TESTS_SKIP += tests/unit/t_xen_libxl
endif
UNIT_TESTS += $(filter-out $(UNIT_TESTS_SKIP),$(patsubst %.c,%,$(sort $(wildcard tests/unit/t_*.c))))
INTEGRATION_TESTS += $(sort $(wildcard tests/integration/t[0-9]*.sh))
include tests/fuzz/module.mk
# make check-xen: the plugins against real Xen under QEMU (tests/lab/README.md).
include tests/lab/module.mk

# One process playing thousands of XenAPI hosts (tests/bench/): make bench
# measures with it, make check (t0535) polls a thousand.
TEST_TOOLS := tests/bench/fake-xapi-many
BENCH_TOOLS := $(TEST_TOOLS)
# b0320's floor: the cheapest client of the same exchanges.
BENCH_TOOLS += tests/bench/xapi-floor
tests/bench/xapi-floor: tests/bench/xapi-floor.o
	$(LINK) -lpthread
tests/bench/fake-xapi-many: tests/bench/fake-xapi-many.o $(LIB)
	$(LINK) $(CORE_LIBS)
# b0500's floor: the cheapest AgentX subagent, measured beside xvmon-agentx.
ifeq ($(HAVE_NETSNMP),yes)
BENCH_TOOLS += tests/bench/agentx-floor
tests/bench/agentx-floor: tests/bench/agentx-floor.o
	$(LINK) $(NETSNMP_AGENT_LIBS)
endif
CLEAN_FILES += $(BENCH_TOOLS)
