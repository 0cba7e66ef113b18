# contrib/: operator tools, monitoring definitions, units and cron examples.
install-contrib:
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/icinga2 $(DESTDIR)$(DATADIR)/nagios
	$(INSTALL) -m 644 contrib/icinga2/xvmon.conf $(DESTDIR)$(DATADIR)/icinga2/
	$(INSTALL) -m 644 contrib/nagios/xvmon.cfg $(DESTDIR)$(DATADIR)/nagios/
INSTALL_TARGETS += install-contrib
.PHONY: install-contrib

CONTRIB_TOOLS := contrib/xvm-search contrib/xvm-tree contrib/xvm-stop contrib/xvm-console \
	contrib/xvm-create
PROGRAMS += $(CONTRIB_TOOLS)

contrib/xvm-search: contrib/xvm-search.o $(LIB)
	$(LINK) $(CORE_LIBS)

# the tools that act share contrib/tool.o (inventory, parallel find, sysexits)
contrib/xvm-tree contrib/xvm-stop contrib/xvm-console: %: %.o contrib/tool.o $(LIB)
	$(LINK) $(CORE_LIBS)

contrib/xvm-create: contrib/xvm-create.o contrib/tool.o contrib/hooks.o $(LIB)
	$(LINK) $(CORE_LIBS)

# xvm-backup writes and reads tar.gz archives with libarchive (libarchive-dev)
HAVE_LIBARCHIVE := $(call have,libarchive)
ifeq ($(HAVE_LIBARCHIVE),yes)
CONTRIB_TOOLS += contrib/xvm-backup
PROGRAMS += contrib/xvm-backup
contrib/xvm-backup: contrib/xvm-backup.o contrib/tool.o $(LIB)
	$(LINK) $(CORE_LIBS) $(shell pkg-config --libs libarchive)
endif

install-contrib-tools: $(CONTRIB_TOOLS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(CONTRIB_TOOLS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(addprefix docs/,$(addsuffix .1,$(notdir $(CONTRIB_TOOLS)))) $(DESTDIR)$(MANDIR)/man1/
INSTALL_TARGETS += install-contrib-tools
.PHONY: install-contrib-tools
