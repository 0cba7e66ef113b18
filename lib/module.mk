# SPDX-License-Identifier: GPL-3.0-or-later
# lib/: the core, a static library every program links.  Modules that need an
# optional library guard themselves with XV_HAVE_* and report "not compiled in".
LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB := lib/libxvmon.a

$(LIB): $(LIB_SRCS:.c=.o)
	$(QUIET_AR)rm -f $@ && $(AR) rcs $@ $^

# The sim: scenarios are data every tool can read: installed for demos and for
# trying the plugins and tools on a machine without Xen (the example
# inventory, contrib/inventory.ini, names the pool ones).
$(call install_files,scenarios,$(DATADIR)/scenarios,644,$(wildcard tests/data/*.sim))
$(call install_files,scenarios,$(DATADIR)/scenarios/pool,644,$(wildcard tests/data/pool/*.sim))
