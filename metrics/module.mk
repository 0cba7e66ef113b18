# metrics/: xvmon-metrics, host, VM and pool figures in the Prometheus text
# format for node_exporter's textfile collector (the writer is lib/metrics.c).
PROGRAMS += metrics/xvmon-metrics

metrics/xvmon-metrics: metrics/xvmon-metrics.o $(LIB)
	$(LINK) $(CORE_LIBS)

install-metrics: metrics/xvmon-metrics
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/systemd
	$(INSTALL) -m 755 metrics/xvmon-metrics $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 docs/xvmon-metrics.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 contrib/systemd/xvmon-metrics.service contrib/systemd/xvmon-metrics.timer \
		$(DESTDIR)$(DATADIR)/systemd/
INSTALL_TARGETS += install-metrics
.PHONY: install-metrics
