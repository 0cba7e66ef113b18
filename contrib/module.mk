# contrib/: operator tools, monitoring definitions, units and cron examples.
install-contrib:
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/icinga2 $(DESTDIR)$(DATADIR)/nagios
	$(INSTALL) -m 644 contrib/icinga2/xvmon.conf $(DESTDIR)$(DATADIR)/icinga2/
	$(INSTALL) -m 644 contrib/nagios/xvmon.cfg $(DESTDIR)$(DATADIR)/nagios/
INSTALL_TARGETS += install-contrib
.PHONY: install-contrib

# xvmon-snapshot is also the program the ssh:// source runs on remote hosts:
# install it on every dom0 watched over ssh.
CONTRIB_TOOLS := contrib/xvm-search contrib/xvmon-snapshot
PROGRAMS += $(CONTRIB_TOOLS)

contrib/xvm-search: contrib/xvm-search.o $(LIB)
	$(LINK) $(CORE_LIBS)

contrib/xvmon-snapshot: contrib/xvmon-snapshot.o $(LIB)
	$(LINK) $(CORE_LIBS)

install-contrib-tools: $(CONTRIB_TOOLS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(CONTRIB_TOOLS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(addprefix docs/,$(addsuffix .1,$(notdir $(CONTRIB_TOOLS)))) $(DESTDIR)$(MANDIR)/man1/
INSTALL_TARGETS += install-contrib-tools
.PHONY: install-contrib-tools
