# contrib/: operator tools, monitoring definitions, units and cron examples.
install-contrib:
	$(INSTALL) -d $(DESTDIR)$(DATADIR)/icinga2 $(DESTDIR)$(DATADIR)/nagios
	$(INSTALL) -m 644 contrib/icinga2/xvmon.conf $(DESTDIR)$(DATADIR)/icinga2/
	$(INSTALL) -m 644 contrib/nagios/xvmon.cfg $(DESTDIR)$(DATADIR)/nagios/
INSTALL_TARGETS += install-contrib
.PHONY: install-contrib
