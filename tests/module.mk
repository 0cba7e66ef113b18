# tests/: unit tests (one per lib module), integration scripts, fuzz targets.
UNIT_TESTS += $(patsubst %.c,%,$(sort $(wildcard tests/unit/t_*.c)))
INTEGRATION_TESTS += $(sort $(wildcard tests/integration/t[0-9]*.sh))

# Subdirectories with their own targets (tests/lab/: make check-xen).
include $(sort $(wildcard tests/*/module.mk))
