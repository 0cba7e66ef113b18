# SPDX-License-Identifier: GPL-3.0-or-later
# bench/: xvmon-bench, the ballooning experiment runner and capacity planner.
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:.c=.o)
# Everything but main(), for the unit tests.
BENCH_LIB_OBJS := $(filter-out bench/main.o,$(BENCH_OBJS))

PROGRAMS += bench/xvmon-bench


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
