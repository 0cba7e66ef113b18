# SPDX-License-Identifier: GPL-3.0-or-later
# bench/: xvmon-bench, the ballooning experiment runner and capacity planner.
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:.c=.o)
# Everything but main(), for the unit tests.
BENCH_LIB_OBJS := $(filter-out bench/main.o,$(BENCH_OBJS))

PROGRAMS += bench/xvmon-bench

# --- real-hypervisor drivers --------------------------------------------------
# Compiled in with the build switches (the Makefile): xen with WITH_XEN and
# WITH_XENLIGHT, libvirt with WITH_LIBVIRT (bench/driver.h turns them into
# XV_BENCH_XEN, XV_BENCH_LIBVIRT).  Their libraries are opened with dlopen()
# only when the driver is used, so one binary runs the model anywhere.


bench/xvmon-bench: $(BENCH_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

# Unit tests of bench/ include its headers and link its objects (the generic
# rule links only lib/).
tests/unit/t_bench_%.o: ALL_CPPFLAGS += -Ibench
tests/unit/t_bench_%: tests/unit/t_bench_%.o $(BENCH_LIB_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

# The plan parser and the CSV loader of `plot` are fuzzed like lib/'s parsers.
tests/fuzz/fuzz_bench_%.o: ALL_CPPFLAGS += -Ibench
tests/fuzz/fuzz_bench_%: tests/fuzz/fuzz_bench_%.o tests/fuzz/driver.o $(BENCH_LIB_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)
FUZZ_EXTRA_fuzz_bench_plan := -Ibench $(filter-out bench/main.c,$(BENCH_SRCS))
FUZZ_EXTRA_fuzz_bench_data := -Ibench $(filter-out bench/main.c,$(BENCH_SRCS))

$(call install_files,bench,$(BINDIR),755,bench/xvmon-bench)
$(call install_subst,bench,$(MANDIR)/man1,644,docs/xvmon-bench.1)
$(call install_files,bench,$(DATADIR)/plans,644,$(wildcard bench/plans/*.ini))
$(call install_files,bench,$(DATADIR)/plot,644,$(wildcard bench/plot/*.gp))

# --- bench/guest/: programs that run inside the guests -----------------------
# Static (libc only), so any initramfs can carry them (tests/lab/build-images.sh
# puts them in the lab's guest image); built without the sanitizers, which
# have no static runtime.  Not installed: they belong in a guest image, not
# on the host.  xvb-law-replay is the C half of the differential test against
# the 2008 xenballoond (tests/integration/t5100-bench-balloon-law.sh); it is
# a host program and gets the sanitizers.
GUEST_PROGRAMS := bench/guest/xvb-balloond bench/guest/xvb-stress
GUEST_CFLAGS = -std=gnu11 $(WARNINGS) $(WERROR) $(CFLAGS) -D_GNU_SOURCE -Ibench/guest
PROGRAMS += $(GUEST_PROGRAMS) bench/guest/xvb-law-replay

bench/guest/xvb-balloond: bench/guest/xvb-balloond.c bench/guest/balloon_law.h $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) -static -o $@ $<
bench/guest/xvb-stress: bench/guest/xvb-stress.c $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) -static -pthread -o $@ $<
bench/guest/xvb-law-replay: bench/guest/xvb-law-replay.c bench/guest/balloon_law.h $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $<
