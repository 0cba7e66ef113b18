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

# libFuzzer builds live apart from the normal objects (other flags).
FUZZ_CC ?= clang
# A target that needs more than lib/ names its extra sources, flags and
# libraries in FUZZ_EXTRA_<target> (see sls/module.mk).
fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs clang"; exit 1; }
	@mkdir -p build/fuzz
	@set -e; $(foreach t,$(FUZZ_TARGETS), \
		$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(ALL_CPPFLAGS) -std=gnu11 \
			-o build/fuzz/$(t) tests/fuzz/$(t).c $(LIB_SRCS) $(FUZZ_EXTRA_$(t)) $(CORE_LIBS); \
		mkdir -p build/fuzz/corpus-$(t); \
		echo "== $(t) ($(FUZZ_SECONDS) s)"; \
		build/fuzz/$(t) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			build/fuzz/corpus-$(t) tests/fuzz/corpus/$(t:fuzz_%=%);)
.PHONY: fuzz
