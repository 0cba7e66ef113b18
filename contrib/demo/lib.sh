# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh: what the demo parts share (sourced).
set -u
cd "$TOP" || exit 1

# show CMD...: prints the command as typed, runs it, prints its exit status.
show() {
	printf '\n$ %s\n' "$*"
	"$@"
	printf '(exit %d)\n' $?
}
