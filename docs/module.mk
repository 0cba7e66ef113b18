# SPDX-License-Identifier: GPL-3.0-or-later
# docs/: references and guides go to DOCDIR; each module installs its own
# man pages.
$(call install_subst,docs,$(DOCDIR),644,README.md NEWS $(wildcard docs/*.md))
