# snmp/: xvmon-agentx, the AgentX subagent (VM-MIB + XVMON-MIB), and the MIB.
# Built when net-snmp's agent library is installed (HAVE_NETSNMP, detected in
# the Makefile's net-snmp block).  Its pure-C modules (the vmIndex map, VM-MIB
# values, the model, the collector) have unit tests that need no net-snmp.
AGENT_PURE_OBJS := snmp/vm_index.o snmp/vm_mib.o snmp/model.o snmp/collector.o
AGENT_GLUE_OBJS := snmp/table.o snmp/refresh.o snmp/notify.o snmp/vm_hypervisor.o \
	snmp/vm_table.o snmp/vm_cpu_table.o snmp/xvmon_scalars.o snmp/xvmon_vm_table.o \
	snmp/xvmon_pool_table.o snmp/xvmon_pool_host_table.o
AGENT_TESTS := tests/unit/t_vm_index tests/unit/t_vm_mib tests/unit/t_agent_model

$(addsuffix .o,$(AGENT_TESTS)): ALL_CPPFLAGS += -Isnmp

$(AGENT_TESTS): %: %.o $(AGENT_PURE_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS)

ifeq ($(HAVE_NETSNMP),yes)
PROGRAMS += snmp/xvmon-agentx

snmp/xvmon-agentx: snmp/xvmon-agentx.o $(AGENT_GLUE_OBJS) $(AGENT_PURE_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS) $(NETSNMP_AGENT_LIBS)

install-agentx: snmp/xvmon-agentx
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DATADIR)/mibs \
		$(DESTDIR)$(DATADIR)/snmp $(DESTDIR)$(DATADIR)/systemd
	$(INSTALL) -m 755 snmp/xvmon-agentx $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 docs/xvmon-agentx.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 snmp/XVMON-MIB.txt $(DESTDIR)$(DATADIR)/mibs/
	$(INSTALL) -m 644 contrib/snmp/xvmon-agentx.conf contrib/snmp/snmpd-xvmon.conf \
		contrib/snmp/snmptable-example.sh $(DESTDIR)$(DATADIR)/snmp/
	$(INSTALL) -m 644 contrib/systemd/xvmon-agentx.service $(DESTDIR)$(DATADIR)/systemd/
INSTALL_TARGETS += install-agentx
.PHONY: install-agentx
endif
