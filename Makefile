# xvmon: the one Makefile.
#
# Each directory describes its own programs, tests and install steps in its
# module.mk; this file holds the flags, the optional-library detection and the
# generic rules.  Targets:
#
#   make               build everything whose libraries are installed
#   make check         run every test (unit, integration, fuzz smoke)
#   make asan          make check under ASan + UBSan + LeakSanitizer
#   make bench         print speed figures and ratios (never part of check)
#   make demo          run the suite on the embedded sim: scenarios
#   make deps          install the Debian packages listed in packages.txt
#   make install       honours PREFIX and DESTDIR
#
# Developers get -Werror; distribution builds say `make WERROR=`.

VERSION := $(shell cat VERSION)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
PLUGINDIR  ?= $(PREFIX)/lib/nagios/plugins
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/xvmon
SYSCONFDIR ?= $(PREFIX)/etc
DESTDIR    ?=
INSTALL    ?= install

CFLAGS   ?= -O2 -g
WERROR   ?= -Werror
SANITIZE ?=
WARNINGS := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wvla -Wpointer-arith \
	-Wundef -Wwrite-strings -Wno-unused-parameter

ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

ALL_CPPFLAGS = -Ilib -D_GNU_SOURCE -DXV_VERSION='"$(VERSION)"' $(FEATURE_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=gnu11 $(WARNINGS) $(WERROR) $(CFLAGS) $(SAN_FLAGS)
ALL_LDFLAGS  = $(LDFLAGS) $(SAN_FLAGS)

# --- optional libraries ------------------------------------------------------
# Detected once; a part whose library is missing is simply not built.
have = $(shell pkg-config --exists $(1) 2>/dev/null && echo yes)

HAVE_XEN     := $(call have,xenstat xencontrol xenstore)
HAVE_LIBXML2 := $(call have,libxml-2.0)
# --- net-snmp (one place: the snmp:// source in lib/ and snmp/xvmon-agentx) ---
# The client library (pkg-config netsnmp) is opened with dlopen() by the
# snmp:// source, like the Xen libraries, so programs that never read an
# snmp:// URI do not load it (and OpenSSL) at every start; the subagent needs
# the agent library too (netsnmp-agent) and links both.
HAVE_NETSNMP := $(call have,netsnmp netsnmp-agent)

# libinih is linked statically: a plugin runs thousands of times a minute and
# every shared library costs loader time at each start.
HAVE_INIH := $(shell test -f /usr/include/ini.h && echo yes)
ifneq ($(HAVE_INIH),yes)
$(error libinih is required: apt-get install libinih-dev (or make deps))
endif
CORE_LIBS := -l:libinih.a -ldl -lpthread -lm

# The Xen libraries are opened with dlopen() by the xen: source, only when a
# xen: URI is used, so sim: runs do not pay for loading them.  Their sonames are
# read from the development symlinks at build time.
soname = $(shell objdump -p $$(pkg-config --variable=libdir $(1))/lib$(2).so 2>/dev/null | awk '/SONAME/ {print $$2}')
ifeq ($(HAVE_XEN),yes)
FEATURE_CPPFLAGS += -DXV_HAVE_XEN=1 \
	-DXV_SONAME_XENSTAT='"$(call soname,xenstat,xenstat)"' \
	-DXV_SONAME_XENCTRL='"$(call soname,xencontrol,xenctrl)"' \
	-DXV_SONAME_XENSTORE='"$(call soname,xenstore,xenstore)"' \
	$(shell pkg-config --cflags xenstat xencontrol xenstore)
endif

ifeq ($(HAVE_NETSNMP),yes)
FEATURE_CPPFLAGS += -DXV_HAVE_NETSNMP=1 -DXV_SONAME_NETSNMP='"$(call soname,netsnmp,netsnmp)"'
# libnetsnmpmibs (snmpd's own MIB modules) is not needed by a subagent and
# pulls in libsensors, libpci and more.
NETSNMP_AGENT_LIBS := $(filter-out -lnetsnmpmibs,$(shell pkg-config --libs netsnmp-agent))
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

all: build-all

include lib/module.mk
include $(filter-out lib/module.mk,$(sort $(wildcard */module.mk)))

OBJS_ALL := $(sort $(patsubst %.c,%.o,$(wildcard lib/*.c plugins/*.c sls/*.c snmp/*.c bench/*.c bench/*/*.c contrib/*.c tests/unit/*.c tests/fuzz/*.c)))
-include $(OBJS_ALL:.o=.d)

build-all: $(PROGRAMS)

$(FLAGS_STAMP): FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@

# Quiet by default, like git: `make V=1` shows the commands.
ifndef V
QUIET_CC   = @echo '   CC     $@';
QUIET_LINK = @echo '   LINK   $@';
QUIET_AR   = @echo '   AR     $@';
endif

%.o: %.c $(FLAGS_STAMP)
	$(QUIET_CC)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

LINK = $(QUIET_LINK)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^)

tests/unit/t_%: tests/unit/t_%.o $(LIB)
	$(LINK) $(CORE_LIBS)

# --- tests -------------------------------------------------------------------
TEST_ENV = TOP=$(CURDIR) SHARED=$(abspath ../shared) SANITIZE='$(SANITIZE)'

check: $(PROGRAMS) $(UNIT_TESTS) $(FUZZERS)
	@$(TEST_ENV) tests/run-tests.sh $(UNIT_TESTS) $(INTEGRATION_TESTS)

asan:
	$(MAKE) check SANITIZE=address,undefined

bench: $(PROGRAMS)
	@$(TEST_ENV) tests/bench/run-bench.sh

demo: $(PROGRAMS)
	@$(TEST_ENV) contrib/demo.sh

SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
deps:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$(grep -v '^#' packages.txt)

# --- install -----------------------------------------------------------------
install: $(PROGRAMS) $(INSTALL_TARGETS)

clean:
	rm -f $(PROGRAMS) $(UNIT_TESTS) $(FUZZERS) $(LIB) $(FLAGS_STAMP) $(CLEAN_FILES)
	find . -name '*.o' -o -name '*.d' | xargs rm -f
	rm -rf tests/out

.PHONY: all build-all check asan bench demo deps install clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:
