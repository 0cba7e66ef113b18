# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lab/: `make check-xen`, the plugins against real Xen 4.17 booted under QEMU (see tests/lab/README.md).
# Not part of `make check`: it needs root, a Debian mirror on the first run, and minutes.
# A skip (the script exits 77 after "# SKIP reason") leaves make successful, as a skipped test does in
# `make check`; XVLAB_REQUIRE=1 turns a skip into a failure.

ifeq ($(HAVE_XEN),yes)
tests/lab/xsmem: tests/lab/xsmem.c $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(shell pkg-config --libs xenstat)

# the lab guests' meminfo publisher: static, it runs in a busybox initramfs
tests/lab/xvlab-publish: tests/lab/xvlab-publish.c $(FLAGS_STAMP)
	$(QUIET_LINK)$(CC) -std=gnu11 $(WARNINGS) $(WERROR) -O2 -static -s -o $@ $<

check-xen: $(PROGRAMS) tests/lab/xsmem tests/lab/xvlab-publish
	@$(TEST_ENV) tests/lab/check-xen.sh; rc=$$?; \
	if [ $$rc = 77 ] && [ -z "$(XVLAB_REQUIRE)" ]; then exit 0; fi; exit $$rc
else
check-xen:
	@echo '# SKIP check-xen: built without Xen support (libxen-dev is missing: make deps)'; \
	test -z "$(XVLAB_REQUIRE)"
endif

CLEAN_FILES += tests/lab/xsmem tests/lab/xvlab-publish
.PHONY: check-xen
