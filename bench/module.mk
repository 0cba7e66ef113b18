# bench/: xvmon-bench, the ballooning experiment runner and capacity planner.
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:.c=.o)
# Everything but main(), for the unit tests.
BENCH_LIB_OBJS := $(filter-out bench/main.o,$(BENCH_OBJS))

PROGRAMS += bench/xvmon-bench

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

# The plan parser and the CSV loader of `plot` are fuzzed like lib/'s parsers.
tests/fuzz/fuzz_bench_%.o: ALL_CPPFLAGS += -Ibench
tests/fuzz/fuzz_bench_%: tests/fuzz/fuzz_bench_%.o tests/fuzz/driver.o $(BENCH_LIB_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)
FUZZ_EXTRA_fuzz_bench_plan := -Ibench $(filter-out bench/main.c,$(BENCH_SRCS))
FUZZ_EXTRA_fuzz_bench_data := -Ibench $(filter-out bench/main.c,$(BENCH_SRCS))

install-bench: bench/xvmon-bench
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/plans $(DESTDIR)$(DATADIR)/plot
	$(INSTALL) -m 755 bench/xvmon-bench $(DESTDIR)$(BINDIR)/xvmon-bench
	$(INSTALL) -m 644 docs/xvmon-bench.1 $(DESTDIR)$(MANDIR)/man1/xvmon-bench.1
	$(INSTALL) -m 644 bench/plans/*.ini $(DESTDIR)$(DATADIR)/plans
	$(INSTALL) -m 644 bench/plot/*.gp $(DESTDIR)$(DATADIR)/plot

INSTALL_TARGETS += install-bench
.PHONY: install-bench
