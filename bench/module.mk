# bench/: xvmon-bench, the ballooning experiment runner and capacity planner.
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:.c=.o)
# Everything but main(), for the unit tests.
BENCH_LIB_OBJS := $(filter-out bench/main.o,$(BENCH_OBJS))

PROGRAMS += bench/xvmon-bench

# --- real-hypervisor drivers: build detection, the one place ----------------
# A driver is compiled in when its development files are installed; its
# libraries are then opened with dlopen() only when the driver is used (see
# bench/driver_xen.c), so one binary runs the model anywhere.  The packaging
# turns these into WITH_* switches.
BENCH_HAVE_XEN     := $(call have,xenlight xlutil xenstat xencontrol xenstore)
BENCH_HAVE_LIBVIRT := $(call have,libvirt)
ifeq ($(BENCH_HAVE_XEN),yes)
bench/driver.o bench/driver_xen.o: ALL_CPPFLAGS += -DXV_BENCH_XEN=1 \
	-DXV_SONAME_XENLIGHT='"$(call soname,xenlight,xenlight)"' \
	-DXV_SONAME_XLUTIL='"$(call soname,xlutil,xlutil)"' \
	-DXV_SONAME_XENSTAT='"$(call soname,xenstat,xenstat)"' \
	-DXV_SONAME_XENCTRL='"$(call soname,xencontrol,xenctrl)"' \
	-DXV_SONAME_XENSTORE='"$(call soname,xenstore,xenstore)"' \
	$(shell pkg-config --cflags xenlight xlutil xenstat xencontrol xenstore)
endif
ifeq ($(BENCH_HAVE_LIBVIRT),yes)
bench/driver.o bench/driver_libvirt.o: ALL_CPPFLAGS += -DXV_BENCH_LIBVIRT=1 \
	-DXV_SONAME_LIBVIRT='"$(call soname,libvirt,virt)"' $(shell pkg-config --cflags libvirt)
endif

# The installed gnuplot scripts; a build tree uses bench/plot next to the program.
# main.o is rebuilt when DATADIR changes (make install PREFIX=/usr after make).
bench/main.o: ALL_CPPFLAGS += -DXV_BENCH_DATADIR='"$(DATADIR)"'
bench/main.o: bench/.datadir
bench/.datadir: FORCE
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
CLEAN_FILES += bench/.datadir

bench/xvmon-bench: $(BENCH_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

# Unit tests of bench/ include its headers and link its objects (the generic
# rule links only lib/).
tests/unit/t_bench_%.o: ALL_CPPFLAGS += -Ibench
tests/unit/t_bench_%: tests/unit/t_bench_%.o $(BENCH_LIB_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

# The plan parser is fuzzed like lib/'s parsers.
tests/fuzz/fuzz_bench_plan.o: ALL_CPPFLAGS += -Ibench
tests/fuzz/fuzz_bench_plan: tests/fuzz/fuzz_bench_plan.o tests/fuzz/driver.o $(BENCH_LIB_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)
FUZZ_EXTRA_fuzz_bench_plan := -Ibench $(filter-out bench/main.c,$(BENCH_SRCS))

install-bench: bench/xvmon-bench
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/plans $(DESTDIR)$(DATADIR)/plot
	$(INSTALL) -m 755 bench/xvmon-bench $(DESTDIR)$(BINDIR)/xvmon-bench
	$(INSTALL) -m 644 docs/xvmon-bench.1 $(DESTDIR)$(MANDIR)/man1/xvmon-bench.1
	$(INSTALL) -m 644 bench/plans/*.ini $(DESTDIR)$(DATADIR)/plans
	$(INSTALL) -m 644 bench/plot/*.gp $(DESTDIR)$(DATADIR)/plot

INSTALL_TARGETS += install-bench
.PHONY: install-bench

# --- bench/guest/: programs that run inside the guests -----------------------
# Static (libc only), so any initramfs can carry them; built without the
# sanitizers, which have no static runtime.  xvb-law-replay is the C half of
# the differential test against the 2008 xenballoond (tests/integration/
# t5100-bench-balloon-law.sh); it is a host program and gets the sanitizers.
GUEST_PROGRAMS := bench/guest/xvb-balloond bench/guest/xvb-stress
GUEST_CFLAGS = -std=gnu11 $(WARNINGS) $(WERROR) $(CFLAGS) -D_GNU_SOURCE -Ibench/guest
PROGRAMS += $(GUEST_PROGRAMS) bench/guest/xvb-law-replay

bench/guest/xvb-balloond: bench/guest/xvb-balloond.c bench/guest/balloon_law.h $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) -static -o $@ $<
bench/guest/xvb-stress: bench/guest/xvb-stress.c $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) -static -pthread -o $@ $<
bench/guest/xvb-law-replay: bench/guest/xvb-law-replay.c bench/guest/balloon_law.h $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(GUEST_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $<
