# tests/: unit tests (one per lib module), integration scripts, fuzz targets.
UNIT_TESTS += $(patsubst %.c,%,$(sort $(wildcard tests/unit/t_*.c)))
INTEGRATION_TESTS += $(sort $(wildcard tests/integration/t[0-9]*.sh))
include tests/fuzz/module.mk
# make check-xen: the plugins against real Xen under QEMU (tests/lab/README.md).
include tests/lab/module.mk
