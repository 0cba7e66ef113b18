# SPDX-License-Identifier: GPL-3.0-or-later
# sls/: xvmon-sls, the Service Level Status exporter.  Built only when
# libxml2 is installed (its XML is written with xmlTextWriter); the unit
# tests and the fuzz target that need it are dropped otherwise.
SLS_OBJS := sls/feed.o sls/sls_text.o sls/write_xml.o sls/write_json.o
SLS_TESTS := tests/unit/t_sls_feed tests/unit/t_sls_write
SLS_FUZZERS := tests/fuzz/fuzz_sls_text

ifeq ($(HAVE_LIBXML2),yes)
XML2_CFLAGS := $(shell pkg-config --cflags libxml-2.0)
XML2_LIBS := $(shell pkg-config --libs libxml-2.0)

PROGRAMS += sls/xvmon-sls

$(SLS_OBJS) sls/xvmon-sls.o $(addsuffix .o,$(SLS_TESTS) $(SLS_FUZZERS)): ALL_CPPFLAGS += $(XML2_CFLAGS) -Isls

sls/xvmon-sls: sls/xvmon-sls.o $(SLS_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS) $(XML2_LIBS)

$(SLS_TESTS): %: %.o $(SLS_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS) $(XML2_LIBS)

$(SLS_FUZZERS): %: %.o tests/fuzz/driver.o $(SLS_OBJS) $(LIB)
	$(LINK) $(CORE_LIBS) $(XML2_LIBS)

# make fuzz (libFuzzer) compiles these sources into the target as well
FUZZ_EXTRA_fuzz_sls_text := $(SLS_OBJS:.o=.c) $(XML2_CFLAGS) -Isls $(XML2_LIBS)

$(call install_files,sls,$(BINDIR),755,sls/xvmon-sls)
$(call install_subst,sls,$(MANDIR)/man1,644,docs/xvmon-sls.1)
$(call install_files,sls,$(DATADIR)/sls,644,sls/xsls-legacy.xsd)
# the units are installed, not enabled: xvmon-sls(1) says how
$(call install_subst,sls,$(SYSTEMDUNITDIR),644,contrib/systemd/xvmon-sls.service contrib/systemd/xvmon-sls.timer)
$(call install_subst,sls,$(DATADIR)/cron,644,contrib/cron/xvmon-sls)
else
# the tests and fuzzers below are found by wildcard; without libxml2 they
# cannot be built
UNIT_TESTS_SKIP += $(SLS_TESTS)
FUZZERS_SKIP += $(SLS_FUZZERS)
endif
