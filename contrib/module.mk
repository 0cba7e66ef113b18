# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/: operator tools, monitoring definitions, units and cron examples.

# Icinga 2: the CheckCommands go where the template library picks them up
# (include <plugins-contrib>); the zones example is documentation.
$(call install_files,monitoring,$(ICINGA2_ITLDIR),644,contrib/icinga2/xvmon.conf)
$(call install_files,monitoring,$(DOCDIR)/examples/icinga2,644,$(wildcard contrib/icinga2/zones/*.conf))
# Nagios: command definitions where Debian's nagios4 reads the plugins' ones.
$(call install_config,monitoring,$(NAGIOS_CFGDIR),contrib/nagios/xvmon.cfg)
# Examples that grant something (root for xen:, remote commands) are not
# active until an administrator copies them: docs/icinga.md.
$(call install_subst,monitoring,$(DATADIR)/sudoers,644,contrib/sudoers/xvmon)
$(call install_subst,monitoring,$(DATADIR)/nrpe,644,contrib/nrpe/xvmon.cfg)
# The example inventory: a pool on the installed sim: scenarios, so every
# tool answers before the first edit.
$(call install_config,inventory,$(SYSCONFDIR)/xvmon,contrib/inventory.ini)

# xvmon-snapshot is also the program the ssh:// source runs on remote hosts:
# install it on every dom0 watched over ssh.
CONTRIB_TOOLS := contrib/xvm-search contrib/xvm-tree contrib/xvm-stop contrib/xvm-console \
	contrib/xvm-create contrib/xvmon-snapshot
PROGRAMS += $(CONTRIB_TOOLS)

contrib/xvm-search: contrib/xvm-search.o $(LIB)
	$(LINK) $(CORE_LIBS)

contrib/xvmon-snapshot: contrib/xvmon-snapshot.o $(LIB)
	$(LINK) $(CORE_LIBS)

# the tools that act share contrib/tool.o (inventory, parallel find, sysexits)
contrib/xvm-tree contrib/xvm-stop contrib/xvm-console: %: %.o contrib/tool.o $(LIB)
	$(LINK) $(CORE_LIBS)

contrib/xvm-create: contrib/xvm-create.o contrib/tool.o contrib/hooks.o $(LIB)
	$(LINK) $(CORE_LIBS)

# xvm-backup writes and reads tar.gz archives with libarchive (libarchive-dev)
$(call feature,LIBARCHIVE,libarchive,libarchive-dev)
ifeq ($(HAVE_LIBARCHIVE),yes)
LIBARCHIVE_LIBS := $(shell pkg-config --libs libarchive)
CONTRIB_TOOLS += contrib/xvm-backup
PROGRAMS += contrib/xvm-backup
contrib/xvm-backup: contrib/xvm-backup.o contrib/tool.o $(LIB)
	$(LINK) $(CORE_LIBS) $(LIBARCHIVE_LIBS)
# its units are installed, not enabled, and its cron line is an example
$(call install_subst,contrib-tools,$(SYSTEMDUNITDIR),644,contrib/systemd/xvm-backup.service contrib/systemd/xvm-backup.timer)
$(call install_subst,contrib-tools,$(DATADIR)/cron,644,contrib/cron/xvm-backup)
endif

$(call install_files,contrib-tools,$(BINDIR),755,$(CONTRIB_TOOLS))
$(call install_subst,contrib-tools,$(MANDIR)/man1,644,$(addprefix docs/,$(addsuffix .1,$(notdir $(CONTRIB_TOOLS)))))
