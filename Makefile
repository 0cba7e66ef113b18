# SPDX-License-Identifier: GPL-3.0-or-later
# xvmon: the one Makefile.
#
# Each directory describes its own programs, tests and install steps in its
# module.mk; this file holds the flags, the build switches and the generic
# rules.  Targets:
#
#   make               build every part whose switch is on (see "Build switches")
#   make check         run every test (unit, integration, fuzz smoke); DEVELOPER=1
#   make asan          make check under ASan + UBSan + LeakSanitizer
#   make bench         print speed figures and ratios (never part of check)
#   make demo          run the suite on the embedded sim: scenarios
#   make deps          install the Debian packages listed in packages.txt
#   make install       honours PREFIX, DESTDIR and the *DIR variables below
#   make uninstall     removes what make install put there
#   make dist          xvmon-VERSION.tar.gz from the committed tree
#   make distcheck     builds, tests and installs that tarball in a temporary directory
#
# docs/packaging.md explains the switches and directories for packagers.

# The version lives in VERSION and nowhere else (NEWS and debian/changelog
# are checked against it by tests/integration/t0010-release.sh).
VERSION := $(shell cat VERSION)

# --- where things go ---------------------------------------------------------
# FHS: PREFIX=/usr for a distribution package, /usr/local (the default) for a
# local install.  Configuration goes to /etc for PREFIX=/usr, else PREFIX/etc.
PREFIX         ?= /usr/local
BINDIR         ?= $(PREFIX)/bin
SBINDIR        ?= $(PREFIX)/sbin
PLUGINDIR      ?= $(PREFIX)/lib/nagios/plugins
DATADIR        ?= $(PREFIX)/share/xvmon
MANDIR         ?= $(PREFIX)/share/man
DOCDIR         ?= $(PREFIX)/share/doc/xvmon
SYSCONFDIR     ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
LOCALSTATEDIR  ?= $(if $(filter /usr,$(PREFIX)),/var,$(PREFIX)/var)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# Icinga 2's template library includes every file of this directory
# (include <plugins-contrib>); Nagios on Debian reads NAGIOS_CFGDIR.
ICINGA2_ITLDIR ?= $(PREFIX)/share/icinga2/include/plugins-contrib.d
NAGIOS_CFGDIR  ?= $(SYSCONFDIR)/nagios-plugins/config
DESTDIR        ?=
INSTALL        ?= install

# --- flags -------------------------------------------------------------------
# -Werror is for developers: `make check`, `make check-xen`, `make asan`,
# `make demo` and `make bench` set DEVELOPER=1 unless told otherwise (and so
# share one set of objects); a plain `make` or
# `make install` (a distribution build, a user's build with a newer compiler)
# does not stop at a new warning.  `make DEVELOPER=1` asks for it anywhere.
ifneq ($(filter check asan demo bench check-xen,$(MAKECMDGOALS)),)
DEVELOPER ?= 1
endif
CFLAGS   ?= -O2 -g
SANITIZE ?=
WARNINGS := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wvla -Wpointer-arith \
	-Wundef -Wwrite-strings -Wno-unused-parameter
WERROR := $(if $(filter 1 yes,$(DEVELOPER)),-Werror)

ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

GEN := build/gen
ALL_CPPFLAGS = -Ilib -I$(GEN) -D_GNU_SOURCE -DXV_VERSION='"$(VERSION)"' $(FEATURE_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=gnu11 $(WARNINGS) $(WERROR) $(CFLAGS) $(SAN_FLAGS)
# --as-needed: a program records only the libraries it calls.  No program
# calls libm (loading it cost every plugin run 0.35 ms: see xv_round() in
# lib/num.h); the unit tests that compare with it do.
ALL_LDFLAGS  = -Wl,--as-needed $(LDFLAGS) $(SAN_FLAGS)

# --- build switches ----------------------------------------------------------
# $(call feature,NAME,PKG-CONFIG MODULES,DEBIAN PACKAGE) declares a part
# that needs an optional library.  WITH_NAME chooses:
#   auto  (default) build the part when pkg-config finds the modules
#   yes   build it; stop with an error naming the package if they are missing
#   no    leave it out even if the library is installed
# and HAVE_NAME is set to yes or empty for the module.mk files to test.  A
# package build says yes or no for every switch, so what it contains does
# not depend on what the build machine happens to have.
# $(call require,NAME,MODULES,PACKAGE) is the same for a library every
# program needs (WITH_NAME is always yes).
pkg_found = $(shell pkg-config --exists $(1) 2>/dev/null && echo yes)
cmd_found = $(shell $(1) >/dev/null 2>&1 && echo yes)

define feature_body
WITH_$(1) ?= auto
ifeq ($$(WITH_$(1)),no)
HAVE_$(1) :=
else ifeq ($$(WITH_$(1)),yes)
HAVE_$(1) := yes
ifneq ($$(call $(4),$(2)),yes)
MISSING_FEATURES += WITH_$(1)=yes but $(if $(filter cmd_found,$(4)),'$(2)' fails,pkg-config cannot find $(2)): install $(3) (make deps).
endif
else ifeq ($$(WITH_$(1)),auto)
HAVE_$(1) := $$(call $(4),$(2))
else
$$(error WITH_$(1) is '$$(WITH_$(1))': say yes, no or auto)
endif
FEATURES += $(1)
endef
feature = $(eval $(call feature_body,$(1),$(2),$(3),pkg_found))
# A library without a pkg-config module is found by a command that succeeds
# when it is there: $(call feature_cmd,XMLRPC,xmlrpc-c-config client --libs,libxmlrpc-core-c3-dev)
feature_cmd = $(eval $(call feature_body,$(1),$(2),$(3),cmd_found))
require = $(eval WITH_$(1) := yes)$(call feature,$(1),$(2),$(3))

$(call feature,XEN,xenstat xencontrol xenstore,libxen-dev)
$(call feature,LIBXML2,libxml-2.0,libxml2-dev)
# net-snmp (one place: the snmp:// source in lib/ and snmp/xvmon-agentx).  The
# client library (pkg-config netsnmp) is opened with dlopen() by the snmp://
# source, like the Xen libraries, so programs that never read an snmp:// URI
# do not load it (and OpenSSL) at every start; the subagent needs the agent
# library too (netsnmp-agent) and links both.
$(call feature,NETSNMP,netsnmp netsnmp-agent,libsnmp-dev)
$(call feature,LIBVIRT,libvirt,libvirt-dev)

# (Every $(shell) below is expanded once, with :=, not at each compile.)
CORE_LIBS := -ldl -lpthread -lm
FEATURE_CPPFLAGS :=

# The Xen libraries are opened with dlopen() by the xen: source, only when a
# xen: URI is used, so sim: runs do not pay for loading them.  Their sonames are
# read from the development symlinks at build time (debian/rules turns them
# into the package's dependencies: dpkg-shlibdeps cannot see a dlopen()).
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1))/lib$(2).so 2>/dev/null | awk '/SONAME/ {print $$2}')
ifeq ($(HAVE_XEN),yes)
SONAME_XENSTAT := $(call soname,xenstat,xenstat)
SONAME_XENCTRL := $(call soname,xencontrol,xenctrl)
SONAME_XENSTORE := $(call soname,xenstore,xenstore)
XEN_SONAMES := $(SONAME_XENSTAT) $(SONAME_XENCTRL) $(SONAME_XENSTORE)
FEATURE_CPPFLAGS += -DXV_HAVE_XEN=1 \
	-DXV_SONAME_XENSTAT='"$(SONAME_XENSTAT)"' \
	-DXV_SONAME_XENCTRL='"$(SONAME_XENCTRL)"' \
	-DXV_SONAME_XENSTORE='"$(SONAME_XENSTORE)"' \
	$(shell pkg-config --cflags xenstat xencontrol xenstore)
# libxenlight and libxlutil: the xen: source's actions (shut down, destroy,
# pause, create from an xl config, console, export), as xl does them.
$(call feature,XENLIGHT,xenlight xlutil,libxen-dev)
ifeq ($(HAVE_XENLIGHT),yes)
SONAME_XENLIGHT := $(call soname,xenlight,xenlight)
SONAME_XLUTIL := $(call soname,xlutil,xlutil)
XEN_SONAMES += $(SONAME_XENLIGHT) $(SONAME_XLUTIL)
FEATURE_CPPFLAGS += -DXV_HAVE_XENLIGHT=1 \
	-DXV_SONAME_XENLIGHT='"$(SONAME_XENLIGHT)"' \
	-DXV_SONAME_XLUTIL='"$(SONAME_XLUTIL)"' \
	$(shell pkg-config --cflags xenlight xlutil)
endif
endif
# libvirt too is opened with dlopen() by the libvirt: source, only when used;
# debian/rules names its package in Suggests (a dom0 under xl does not need it).
ifeq ($(HAVE_LIBVIRT),yes)
SONAME_LIBVIRT := $(call soname,libvirt,virt)
LIBVIRT_SONAMES := $(SONAME_LIBVIRT)
FEATURE_CPPFLAGS += -DXV_HAVE_LIBVIRT=1 \
	-DXV_SONAME_LIBVIRT='"$(SONAME_LIBVIRT)"' \
	$(shell pkg-config --cflags libvirt)
# AddressSanitizer binds its xdr_* interceptors when the program starts; the
# libtirpc that libvirt brings in later would then be called through a null
# pointer (a known limit of the sanitizers with dlopen()).  A sanitized build
# therefore loads libtirpc from the start.
ifneq ($(SANITIZE),)
ALL_LDFLAGS += -Wl,--no-as-needed -l:libtirpc.so.3 -Wl,--as-needed
endif
endif

ifeq ($(HAVE_NETSNMP),yes)
SONAME_NETSNMP := $(call soname,netsnmp,netsnmp)
FEATURE_CPPFLAGS += -DXV_HAVE_NETSNMP=1 -DXV_SONAME_NETSNMP='"$(SONAME_NETSNMP)"'
# libnetsnmpmibs (snmpd's own MIB modules) is not needed by a subagent and
# pulls in libsensors, libpci and more.
NETSNMP_AGENT_LIBS := $(filter-out -lnetsnmpmibs,$(shell pkg-config --libs netsnmp-agent))
endif

# libcurl: the transport of the xapi:// and ovs:// sources (lib/http.c, its
# multi interface).  Only its headers are needed to build: it is opened with
# dlopen() when an xapi:// or ovs:// host is first asked, because it brings
# some thirty libraries that every plugin start would otherwise pay for.
# Without it those two schemes say "not compiled in".  debian/rules reads
# CURL_SONAMES for the package's dependencies, as XEN_SONAMES.
$(call feature,CURL,libcurl,libcurl4-openssl-dev)
ifeq ($(HAVE_CURL),yes)
SONAME_CURL := $(call soname,libcurl,curl)
CURL_SONAMES := $(SONAME_CURL)
FEATURE_CPPFLAGS += -DXV_HAVE_CURL=1 -DXV_SONAME_CURL='"$(SONAME_CURL)"' \
	$(shell pkg-config --cflags libcurl)
endif

# --- bookkeeping -------------------------------------------------------------
# Objects are rebuilt when the flags change (e.g. SANITIZE on or off), so a
# sanitized and a plain build never mix.
FLAGS_STAMP := .build-flags
BUILD_FLAGS := $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS)

PROGRAMS :=
UNIT_TESTS :=
INTEGRATION_TESTS :=
FUZZERS :=
CLEAN_FILES :=
INSTALL_TARGETS :=
UNINSTALL_TARGETS :=
# directories that belong to xvmon alone: make uninstall removes them once empty
OWN_DIRS = $(DATADIR) $(DOCDIR) $(SYSCONFDIR)/xvmon

all: build-all

# --- install helpers, for the module.mk files ---------------------------------
# $(call install_files,GROUP,DIR,MODE,FILES): make install copies FILES into
#   DESTDIR/DIR; make uninstall removes them.
# $(call install_subst,GROUP,DIR,MODE,FILES): the same, and @PREFIX@,
#   @BINDIR@, @SBINDIR@, @PLUGINDIR@, @DATADIR@, @MANDIR@, @DOCDIR@,
#   @SYSCONFDIR@, @LOCALSTATEDIR@, @SYSTEMDUNITDIR@, @ICINGA2_ITLDIR@,
#   @NAGIOS_CFGDIR@ and @VERSION@ in the files become the install paths (man
#   pages, units, examples that name installed files).
# $(call install_config,GROUP,DIR,FILES): configuration, substituted like
#   install_subst, mode 644; an existing file of that name is left alone and
#   uninstall removes only a file nobody changed.
# GROUP names the targets install-GROUP and uninstall-GROUP; a group may be
# given several times (different directories).
SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@PLUGINDIR@|$(PLUGINDIR)|g' \
	-e 's|@DATADIR@|$(DATADIR)|g' -e 's|@MANDIR@|$(MANDIR)|g' \
	-e 's|@DOCDIR@|$(DOCDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	-e 's|@SYSTEMDUNITDIR@|$(SYSTEMDUNITDIR)|g' -e 's|@ICINGA2_ITLDIR@|$(ICINGA2_ITLDIR)|g' \
	-e 's|@NAGIOS_CFGDIR@|$(NAGIOS_CFGDIR)|g'

define install_rule
install-$(1): $(4)
	@$$(INSTALL) -d '$$(DESTDIR)$(2)'
	$(if $(filter subst config,$(5)),@set -e; for f in $(4); do \
		t='$$(DESTDIR)$(2)'/$$$${f##*/}; \
		$(if $(filter config,$(5)),if [ -e "$$$$t" ]; then echo "   KEEP   $$$$t"; continue; fi;) \
		$$(SUBST) "$$$$f" >"$$$$t.tmp"; chmod $(3) "$$$$t.tmp"; mv -f "$$$$t.tmp" "$$$$t"; \
		echo "   INSTALL $$$$t"; done,\
	$$(INSTALL) -m $(3) $(4) '$$(DESTDIR)$(2)/')
uninstall-$(1):
	@set -e; for f in $(4); do t='$$(DESTDIR)$(2)'/$$$${f##*/}; \
		$(if $(filter config,$(5)),if [ -e "$$$$t" ] && ! $$(SUBST) "$$$$f" | cmp -s - "$$$$t"; then \
			echo "   KEEP   $$$$t (changed)"; continue; fi;) \
		rm -f "$$$$t"; done
INSTALL_TARGETS += install-$(1)
UNINSTALL_TARGETS += uninstall-$(1)
.PHONY: install-$(1) uninstall-$(1)
endef
install_counter :=
install_group = $(if $(strip $(4)),$(call install_group_real,$(1),$(2),$(3),$(strip $(4)),$(5)))
install_group_real = $(eval install_counter += x)$(eval $(call install_rule,$(1)-$(words $(install_counter)),$(2),$(3),$(4),$(5)))$(eval install-$(1): install-$(1)-$(words $(install_counter)))$(eval uninstall-$(1): uninstall-$(1)-$(words $(install_counter)))$(eval .PHONY: install-$(1) uninstall-$(1))
install_files  = $(call install_group,$(1),$(2),$(3),$(4),plain)
install_subst  = $(call install_group,$(1),$(2),$(3),$(4),subst)
install_config = $(call install_group,$(1),$(2),644,$(3),config)

include lib/module.mk
include $(filter-out lib/module.mk,$(sort $(wildcard */module.mk)))

OBJS_ALL := $(sort $(patsubst %.c,%.o,$(wildcard lib/*.c plugins/*.c sls/*.c snmp/*.c metrics/*.c bench/*.c bench/*/*.c contrib/*.c tests/unit/*.c tests/fuzz/*.c tests/bench/*.c)))
-include $(OBJS_ALL:.o=.d)

build-all: $(PROGRAMS)

# A switch that says yes to a missing library stops the build here, before
# anything is compiled; `make deps`, `make clean` and `make dist` still work.
ifneq ($(MISSING_FEATURES),)
ifneq ($(filter-out deps clean dist uninstall,$(or $(MAKECMDGOALS),all)),)
$(error $(MISSING_FEATURES))
endif
endif

$(FLAGS_STAMP): FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@

# Paths the programs name (default inventory, installed data) are compiled in
# from the install directories.  The header is rewritten only when a path
# changes, so only the objects that include it are rebuilt (make install
# PREFIX=/usr after make).
PATHS_H := $(GEN)/xv_paths.h
$(PATHS_H): FORCE
	@mkdir -p $(GEN)
	@{ echo '/* Generated by the Makefile from the install directories: do not edit. */'; \
	  echo '#define XV_DATADIR "$(DATADIR)"'; \
	  echo '#define XV_SYSCONFDIR "$(SYSCONFDIR)"'; \
	  echo '#define XV_PLUGINDIR "$(PLUGINDIR)"'; \
	  echo '#define XV_DOCDIR "$(DOCDIR)"'; \
	  echo '#define XV_LOCALSTATEDIR "$(LOCALSTATEDIR)"'; \
	  echo '#define XV_DEFAULT_INVENTORY XV_SYSCONFDIR "/xvmon/inventory.ini"'; \
	} >$@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@; }

# Quiet by default, like git: `make V=1` shows the commands.
ifndef V
QUIET_CC   = @echo '   CC     $@';
QUIET_LINK = @echo '   LINK   $@';
QUIET_AR   = @echo '   AR     $@';
endif

%.o: %.c $(FLAGS_STAMP) | $(PATHS_H)
	$(QUIET_CC)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

LINK = $(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^)

tests/unit/t_%: tests/unit/t_%.o $(LIB)
	$(LINK) $(CORE_LIBS)

# --- tests -------------------------------------------------------------------
# Files outside the repository that some checks use when they are there:
# XSLS_SCHEMA, the public XSLS schema the SLS feeds are validated against,
# and MIBDIRS, the IETF base MIBs Debian does not ship.  Without them those
# checks are skipped, and make check's summary says so.  By default they are
# looked for in ../shared, where the project's developers keep them.
XSLS_SCHEMA ?= $(abspath $(wildcard ../shared/reference/xsls_schema.xsd))
MIBDIRS     ?= $(abspath $(wildcard ../shared/mibs))
TEST_ENV = TOP=$(CURDIR) SHARED=$(abspath ../shared) SANITIZE='$(SANITIZE)' \
	XSLS_SCHEMA='$(XSLS_SCHEMA)' MIBDIRS='$(MIBDIRS)' DEVELOPER='$(DEVELOPER)'

check: $(PROGRAMS) $(UNIT_TESTS) $(FUZZERS) $(TEST_TOOLS)
	@$(TEST_ENV) tests/run-tests.sh $(UNIT_TESTS) $(INTEGRATION_TESTS)

# The unit tests alone (the Debian package build runs these).
check-unit: $(UNIT_TESTS)
	@$(TEST_ENV) tests/run-tests.sh $(UNIT_TESTS)

asan:
	$(MAKE) check SANITIZE=address,undefined

bench: $(PROGRAMS) $(BENCH_TOOLS)
	@$(TEST_ENV) tests/bench/run-bench.sh

demo: $(PROGRAMS)
	@$(TEST_ENV) contrib/demo.sh

SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
deps:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$(grep -v '^#' packages.txt)

# --- install -----------------------------------------------------------------
install: $(PROGRAMS) $(INSTALL_TARGETS)

uninstall: $(UNINSTALL_TARGETS)
	@for d in $(OWN_DIRS); do \
		[ -d '$(DESTDIR)'"$$d" ] && find '$(DESTDIR)'"$$d" -depth -type d -empty -delete || true; done

# --- release -----------------------------------------------------------------
# The tarball holds what git holds (committed files only), under xvmon-VERSION/.
DIST := xvmon-$(VERSION)
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo 'make dist needs a git checkout'; exit 1; }
	git archive --format=tar --prefix=$(DIST)/ HEAD | gzip -9n >$(DIST).tar.gz
	@echo "$(DIST).tar.gz"

# The tarball alone, unpacked elsewhere, builds with the distribution flags,
# passes its unit tests and installs.
distcheck: dist
	@set -e; d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; \
	tar -C "$$d" -xzf $(DIST).tar.gz; \
	$(MAKE) -C "$$d/$(DIST)" DEVELOPER= all; \
	$(MAKE) -C "$$d/$(DIST)" DEVELOPER= check-unit; \
	$(MAKE) -C "$$d/$(DIST)" DEVELOPER= install PREFIX=/usr DESTDIR="$$d/root"; \
	test -x "$$d/root/usr/lib/nagios/plugins/check_xen_host"; \
	"$$d/root/usr/lib/nagios/plugins/check_xen_host" -s sim:"$$d/root/usr/share/xvmon/scenarios/healthy.sim" | head -n 1; \
	echo "$(DIST).tar.gz: builds, passes its unit tests and installs"

# make print-VARIABLE: its value (debian/rules reads XEN_SONAMES this way)
print-%:
	@echo '$($*)'

clean:
	rm -f $(PROGRAMS) $(UNIT_TESTS) $(FUZZERS) $(LIB) $(FLAGS_STAMP) $(CLEAN_FILES)
	find . -name '*.o' -o -name '*.d' | xargs rm -f
	rm -rf tests/out $(GEN)

.PHONY: all build-all check check-unit asan bench demo deps install uninstall dist distcheck clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:
