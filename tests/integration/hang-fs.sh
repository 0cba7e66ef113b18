# SPDX-License-Identifier: GPL-3.0-or-later
# hang-fs.sh: a file system whose reads never answer, for the deadline
# tests (sourced after lib.sh).  hang_fs_start MNT mounts hang-fs.py there
# and returns 1 (saying why) when FUSE cannot be used here; the mount is
# taken down when the test exits.
HANG_FS_PID=
HANG_FS_MNT=

hang_fs_stop() {
	if [ -n "$HANG_FS_PID" ]; then
		kill "$HANG_FS_PID" 2>/dev/null || true
		wait "$HANG_FS_PID" 2>/dev/null || true
		HANG_FS_PID=
	fi
	if [ -n "$HANG_FS_MNT" ]; then
		umount -l "$HANG_FS_MNT" 2>/dev/null || true
		HANG_FS_MNT=
	fi
}

hang_fs_start() {
	command -v python3 >/dev/null || { echo "# python3 not installed: no hung file system"; return 1; }
	[ -c /dev/fuse ] || { echo "# no /dev/fuse: no hung file system"; return 1; }
	mkdir -p "$1"
	python3 "$TOP/tests/integration/hang-fs.py" "$1" >"$1.log" 2>&1 &
	HANG_FS_PID=$!
	trap 'hang_fs_stop; rm -rf "$WORK"' EXIT
	i=0
	while ! grep -q '^ready$' "$1.log"; do
		if ! kill -0 "$HANG_FS_PID" 2>/dev/null; then
			HANG_FS_PID=
			echo "# no hung file system: $(cat "$1.log")"
			return 1
		fi
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "# hang-fs.py did not start"; hang_fs_stop; return 1; }
		sleep 0.1
	done
	HANG_FS_MNT=$1
	return 0
}
