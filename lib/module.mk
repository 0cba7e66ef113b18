# lib/: the core, a static library every program links.  Modules that need an
# optional library guard themselves with XV_HAVE_* and report "not compiled in".
LIB_SRCS := $(sort $(wildcard lib/*.c))
LIB := lib/libxvmon.a

$(LIB): $(LIB_SRCS:.c=.o)
	$(QUIET_AR)rm -f $@ && $(AR) rcs $@ $^

# The sim: scenarios are data every tool can read: install them for demos
# and for trying plugins on a machine without Xen.
install-scenarios:
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/scenarios
	$(INSTALL) -m 644 $(wildcard tests/data/*.sim) $(DESTDIR)$(DATADIR)/scenarios/
INSTALL_TARGETS += install-scenarios
.PHONY: install-scenarios
