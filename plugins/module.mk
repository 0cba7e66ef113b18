# plugins/: the Nagios/Icinga checks.  Thin programs: parse options, take a
# snapshot, evaluate, print once.
PLUGIN_NAMES := check_xen_host check_xen_vm check_xen_pool check_xen_capacity
PLUGINS := $(addprefix plugins/,$(PLUGIN_NAMES))
PROGRAMS += $(PLUGINS)

$(PLUGINS): %: %.o plugins/plugin.o $(LIB)
	$(LINK) $(CORE_LIBS)

install-plugins: $(PLUGINS)
	$(INSTALL) -d $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/
	$(INSTALL) -m 644 $(addprefix docs/,$(addsuffix .1,$(PLUGIN_NAMES))) $(DESTDIR)$(MANDIR)/man1/
INSTALL_TARGETS += install-plugins
.PHONY: install-plugins
