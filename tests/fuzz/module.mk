# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/: fuzz targets.  `make check` runs each through driver.c, a
# fixed-seed mutation loop; `make fuzz` builds them with clang's libFuzzer and
# runs each for FUZZ_SECONDS (not part of check).
FUZZ_TARGETS := $(filter-out $(notdir $(FUZZERS_SKIP)),\
	$(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c))))
FUZZERS += $(addprefix tests/fuzz/,$(FUZZ_TARGETS))
INTEGRATION_TESTS += tests/fuzz/run-smoke.sh
FUZZ_SECONDS ?= 60

tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.o tests/fuzz/driver.o $(LIB)
	$(LINK) $(CORE_LIBS)

# libFuzzer builds live apart from the normal objects (other flags).  A
# target that needs more than lib/ names its extra sources, flags and
# libraries in FUZZ_EXTRA_<target> (see bench/module.mk, sls/module.mk).
FUZZ_CC ?= clang
fuzz: $(addprefix fuzz-run-,$(FUZZ_TARGETS))

fuzz-run-%:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs clang"; exit 1; }
	@mkdir -p build/fuzz/corpus-$*
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(ALL_CPPFLAGS) -std=gnu11 -o build/fuzz/$* tests/fuzz/$*.c $(LIB_SRCS) \
		$(FUZZ_EXTRA_$*) $(CORE_LIBS)
	@echo "== $* ($(FUZZ_SECONDS) s)"
	build/fuzz/$* -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		build/fuzz/corpus-$* tests/fuzz/corpus/$(patsubst fuzz_%,%,$*)
.PHONY: fuzz
