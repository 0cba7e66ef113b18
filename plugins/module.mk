# SPDX-License-Identifier: GPL-3.0-or-later
# plugins/: the Nagios/Icinga checks.  Thin programs: parse options, take a
# snapshot, evaluate, print once.
PLUGIN_NAMES := check_xen_host check_xen_vm check_xen_vms check_xen_pool check_xen_capacity
PLUGINS := $(addprefix plugins/,$(PLUGIN_NAMES))
PROGRAMS += $(PLUGINS)

# the plugins that evaluate every VM share their options (objects before the
# library, for the linker)
PLUGIN_OBJS_check_xen_vms := plugins/vms_options.o
PLUGIN_OBJS_check_xen_pool := plugins/vms_options.o

.SECONDEXPANSION:
$(PLUGINS): %: %.o plugins/plugin.o $$(PLUGIN_OBJS_$$(notdir $$*)) $(LIB)
	$(LINK) $(CORE_LIBS)

$(call install_files,plugins,$(PLUGINDIR),755,$(PLUGINS))
$(call install_subst,plugins,$(MANDIR)/man1,644,$(addprefix docs/,$(addsuffix .1,$(PLUGIN_NAMES))))
