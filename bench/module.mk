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

install-bench: bench/xvmon-bench
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/plans $(DESTDIR)$(DATADIR)/plot
	$(INSTALL) -m 755 bench/xvmon-bench $(DESTDIR)$(BINDIR)/xvmon-bench
	$(INSTALL) -m 644 docs/xvmon-bench.1 $(DESTDIR)$(MANDIR)/man1/xvmon-bench.1
	$(INSTALL) -m 644 bench/plans/*.ini $(DESTDIR)$(DATADIR)/plans
	$(INSTALL) -m 644 bench/plot/*.gp $(DESTDIR)$(DATADIR)/plot

INSTALL_TARGETS += install-bench
.PHONY: install-bench
