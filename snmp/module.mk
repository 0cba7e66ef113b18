# SPDX-License-Identifier: GPL-3.0-or-later
# snmp/: xvmon-agentx, the AgentX subagent (VM-MIB + XVMON-MIB), and the MIB.
# Built when net-snmp's agent library is installed (WITH_NETSNMP, the
# Makefile's build switch).  Its pure-C modules (the vmIndex map, VM-MIB
# values, the model, the collector) have unit tests that need no net-snmp.
AGENT_PURE_OBJS := snmp/vm_index.o snmp/vm_mib.o snmp/agent_model.o snmp/collector.o
AGENT_GLUE_OBJS := snmp/table.o snmp/refresh.o snmp/notify.o snmp/vm_hypervisor.o \
	snmp/vm_table.o snmp/vm_cpu_table.o snmp/xvmon_scalars.o snmp/xvmon_vm_table.o \
	snmp/xvmon_pool_table.o snmp/xvmon_pool_host_table.o snmp/agentx_output.o
AGENT_TESTS := tests/unit/t_vm_index tests/unit/t_vm_mib tests/unit/t_agent_model

$(addsuffix .o,$(AGENT_TESTS)): ALL_CPPFLAGS += -Isnmp

$(AGENT_TESTS): %: %.o $(AGENT_PURE_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

ifeq ($(HAVE_NETSNMP),yes)
PROGRAMS += snmp/xvmon-agentx

snmp/xvmon-agentx: snmp/xvmon-agentx.o $(AGENT_GLUE_OBJS) $(AGENT_PURE_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS) $(NETSNMP_AGENT_LIBS)

# the daemon, its page, the MIB where net-snmp's tools look for MIBs, the
# snmpd snippet and the snmptable example (examples: snmpd's view is the
# administrator's decision), the configuration and the unit (installed, not
# enabled: snmpd must be set up first)
$(call install_files,snmp,$(SBINDIR),755,snmp/xvmon-agentx)
$(call install_subst,snmp,$(MANDIR)/man8,644,docs/xvmon-agentx.8)
$(call install_files,snmp,$(PREFIX)/share/snmp/mibs,644,snmp/XVMON-MIB.txt)
$(call install_subst,snmp,$(DATADIR)/snmp,644,contrib/snmp/snmpd-xvmon.conf)
$(call install_subst,snmp,$(DATADIR)/snmp,755,contrib/snmp/snmptable-example.sh)
$(call install_config,snmp,$(SYSCONFDIR)/xvmon,contrib/snmp/agentx.conf)
$(call install_subst,snmp,$(SYSTEMDUNITDIR),644,contrib/systemd/xvmon-agentx.service)
endif
