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

CONTRIB_TOOLS := contrib/xvm-search
PROGRAMS += $(CONTRIB_TOOLS)

contrib/xvm-search: contrib/xvm-search.o $(LIB)
	$(LINK) $(CORE_LIBS)

$(call install_files,contrib-tools,$(BINDIR),755,$(CONTRIB_TOOLS))
$(call install_subst,contrib-tools,$(MANDIR)/man1,644,$(addprefix docs/,$(addsuffix .1,$(notdir $(CONTRIB_TOOLS)))))
