# SPDX-License-Identifier: GPL-3.0-or-later
# metrics/: xvmon-metrics, host, VM and pool figures in the Prometheus text
# format for node_exporter's textfile collector (the writer is lib/metrics.c).
PROGRAMS += metrics/xvmon-metrics

metrics/xvmon-metrics: metrics/xvmon-metrics.o $(LIB)
	$(LINK) $(CORE_LIBS)

$(call install_files,metrics,$(BINDIR),755,metrics/xvmon-metrics)
$(call install_subst,metrics,$(MANDIR)/man1,644,docs/xvmon-metrics.1)
# the units are installed, not enabled: xvmon-metrics(1) says how
$(call install_subst,metrics,$(SYSTEMDUNITDIR),644,contrib/systemd/xvmon-metrics.service contrib/systemd/xvmon-metrics.timer)
