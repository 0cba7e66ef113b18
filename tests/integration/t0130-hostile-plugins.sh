#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile inputs to the plugins: scenario files, inventories, VM repositories
# and options, each refused (or accepted) with its exact exit code and
# message, and data that can never break a status line.  The cases are in
# hostile.py.
. "$TOP/tests/integration/lib.sh"
command -v python3 >/dev/null || skip "python3 is needed to run the hostile cases"
python3 "$TOP/tests/integration/hostile.py" || fail "hostile cases failed"
