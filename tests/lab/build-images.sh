#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# build-images.sh: builds (cached) what `make check-xen` boots: Debian's Xen 4.17 hypervisor, the Debian
# kernel (dom0 and PV guests), a dom0 initramfs (debootstrap + xen-utils-4.17) and a busybox guest initramfs.
#
#   build-images.sh CACHE_DIR TEST_LAYER_DIR
#   build-images.sh CACHE_DIR --kvm-guest      only what the libvirt test boots: CACHE_DIR/kvm/{vmlinuz,initrd.gz}
#                                              (the kernel layer, and a guest initramfs with virtio_balloon)
#
# The dom0 initramfs is a concatenation of gzip'ed cpio layers, which Linux unpacks in order:
#   rootfs   debootstrap --variant=minbase + xen-utils-4.17 + snmpd, trimmed  (~60 s cold, ~55 MB)
#   kmods    the dom0 Xen (netback for the tools' guests' vifs) and virtio-blk modules with their dependencies
#   guest    /guest/vmlinux and /guest/initrd.gz for the PV guests (busybox, xvlab-publish, and the bench's
#            static guest programs: GUEST_BIN, the directory with xvb-balloond and xvb-stress, built by make;
#            an uncompressed kernel: five guests start ~5 s sooner than from vmlinux.gz, which dom0 would
#            inflate each time under TCG)
#   test     TEST_LAYER_DIR as given (plugins, dom0 init, helpers): small, packed on every run
# Each cached layer lives in CACHE_DIR/<layer>-<hash>, where the hash covers the function that builds it
# (its text, via `declare -f`) and its inputs (package versions, files); a layer is rebuilt only when that
# hash changes, and older versions of it are deleted.  Results: CACHE_DIR/boot/{xen,vmlinuz,dom0.img}.
#
# Exit 0 when built, 77 (after "# SKIP reason") when this machine cannot build them (not root, no
# debootstrap, no mirror), anything else on a real failure.
set -euo pipefail
CACHE=$(mkdir -p "$1" && cd "$1" && pwd)
KVM_ONLY=
if [ "$2" = --kvm-guest ]; then KVM_ONLY=1; TEST_LAYER=; else TEST_LAYER=$(cd "$2" && pwd); fi
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=bookworm
XEN_PKG=xen-hypervisor-4.17-amd64
# snmpd, snmptrapd and snmp: the subagent's phase; libarchive13: xvm-backup in the tools phase; openssh:
# dom0 logs in to itself over ssh:// (the remote source) and compares the snapshot with xen:'s.
DOM0_PKGS="xen-utils-4.17 xenstore-utils busybox kmod procps snmpd snmptrapd snmp libarchive13 openssh-server openssh-client"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

log() { printf '[%s] build: %s\n' "$(date +%H:%M:%S)" "$*"; }
skip() { printf '# SKIP check-xen: cannot build the Xen images: %s\n' "$*"; exit 77; }
die() { printf 'build: error: %s\n' "$*" >&2; exit 1; }
hash_of() { sha256sum | cut -c1-16; }

# The mirror debootstrap uses: the host's own apt source (so dom0 gets the same Xen build as the host's
# libxen-dev and the hypervisor package), else deb.debian.org.  XVLAB_MIRROR overrides.
mirror() {
	local m=${XVLAB_MIRROR:-}
	[ -n "$m" ] || m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	echo "${m:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror)

# Checked once, and only when a layer must really be built: a warm cache needs neither root nor network.
can_fetch_checked=
need_fetch() {
	[ -z "$can_fetch_checked" ] || return 0
	[ "$(id -u)" = 0 ] || skip "not root (debootstrap and chroot need it); run as root, or reuse a cache built by root in $CACHE"
	command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap, see packages.txt)"
	command -v apt-get >/dev/null || skip "no apt-get: the images are built from Debian packages"
	local why
	why=$(python3 - "$MIRROR/dists/$SUITE/Release" 2>&1 <<-'EOF'
		import sys, urllib.request
		try:
		    urllib.request.urlopen(sys.argv[1], timeout=20).read(64)
		except Exception as e:
		    sys.exit(str(getattr(e, "reason", e)))
	EOF
	) || skip "Debian mirror $MIRROR unreachable ($why); debootstrap needs it (set XVLAB_MIRROR)"
	can_fetch_checked=1
}

# Candidate version of a package in the host's apt lists ("" if unknown).
pkg_version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}'; }

# fetch_deb PKG DIR: downloads PKG's .deb with the host's apt and unpacks it into DIR.
fetch_deb() {
	local tmp; tmp=$(mktemp -d "$CACHE/deb.XXXXXX")
	chmod 777 "$tmp"  # apt's _apt sandbox user writes the download here
	(cd "$tmp" && timeout 600 apt-get download -q "$1" >/dev/null) || { rm -rf "$tmp"; die "apt-get download $1 failed"; }
	dpkg -x "$tmp"/*.deb "$2"
	rm -rf "$tmp"
}

# pack_cpio DIR OUT: a gzip'ed newc cpio of DIR, entries owned by root.
pack_cpio() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 -n) > "$2"; }

# unmount_under DIR: a build interrupted inside debootstrap or the chroot leaves proc/sys mounted there;
# they must go before the directory can be removed.
unmount_under() {
	awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" || true
	done
}

# layer NAME HASH: leaves the layer's directory in $L, building it with build_NAME when missing.
layer() {
	local name=$1 h=$2 d=$CACHE/$1-$2
	if [ ! -f "$d/.done" ]; then
		local t0=$SECONDS
		log "$name: building ($d)"
		unmount_under "$d.tmp"
		rm -rf "$d.tmp" && mkdir -p "$d.tmp"
		BUILDING=$d.tmp
		"build_$name" "$d.tmp"
		BUILDING=
		touch "$d.tmp/.done"
		rm -rf "$d" && mv "$d.tmp" "$d"
		find "$CACHE" -maxdepth 1 -name "$name-*" ! -name "$name-$h" -exec rm -rf {} +
		log "$name: built in $((SECONDS - t0)) s"
	fi
	L=$d
}

# --- kernel: Debian's stock kernel, as bzImage (dom0) and gzip'ed ELF (PV guests load it ~30% faster
# under TCG than the xz bzImage), plus the dom0 modules and their dependencies as a cpio layer.
DOM0_MODULES="xen-evtchn xenfs xen-privcmd xen-gntdev xen-gntalloc xen-netback virtio_pci virtio_blk"
# A QEMU/KVM guest's balloon: virtio_balloon and what it needs, kept in load order (guestmods/order).
GUEST_MODULES="virtio_pci virtio_balloon"
build_kernel() {
	local out=$1 kpkg=$KERNEL_PKG kver=${KERNEL_PKG#linux-image-} m f
	fetch_deb "$kpkg" "$out/pkg"
	cp "$out/pkg/boot/vmlinuz-$kver" "$out/vmlinuz"
	python3 - "$out/vmlinuz" "$out/vmlinux" <<-'EOF'
		import lzma, sys
		d = open(sys.argv[1], 'rb').read()
		i = d.find(b'\xfd7zXZ\x00')
		open(sys.argv[2], 'wb').write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(d[i:]))
	EOF
	gzip -1 -n "$out/vmlinux"
	depmod -b "$out/pkg" "$kver"
	mkdir -p "$out/mods/lib/modules/$kver"
	for m in $DOM0_MODULES; do
		modprobe -S "$kver" -d "$out/pkg" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
	done | sort -u | while read -r f; do
		mkdir -p "$out/mods/$(dirname "${f#"$out/pkg/"}")"
		cp "$f" "$out/mods/${f#"$out/pkg/"}"
	done
	cp "$out/pkg/lib/modules/$kver"/modules.{builtin,builtin.modinfo,order} "$out/mods/lib/modules/$kver/"
	depmod -b "$out/mods" "$kver"
	# Under /usr: a later cpio layer's directory replaces an earlier layer's symlink of the same name, and
	# bookworm's /lib is a symlink to usr/lib.
	mkdir -p "$out/mods/usr" && mv "$out/mods/lib" "$out/mods/usr/"
	pack_cpio "$out/mods" "$out/kmods.cpio.gz"
	mkdir -p "$out/guestmods"
	for m in $GUEST_MODULES; do
		modprobe -S "$kver" -d "$out/pkg" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
	done | awk '!seen[$0]++' | while read -r f; do
		cp "$f" "$out/guestmods/"
		basename "$f" >> "$out/guestmods/order"
	done
	echo "$kver" > "$out/kver"
	rm -rf "$out/pkg" "$out/mods"
}

# --- xen: Debian's hypervisor, decompressed (QEMU's -kernel boots the 32-bit multiboot ELF).
build_xen() {
	fetch_deb "$XEN_PKG" "$1/pkg"
	zcat "$1"/pkg/boot/xen-4.17-amd64.gz > "$1/xen"
	rm -rf "$1/pkg"
}

# --- rootfs: the dom0 userland.  The chroot gets the host's apt sources (with bookworm-security, i.e. the
# same Xen build as the hypervisor package); docs, locales, apt lists and the udev hwdb are dropped.
build_rootfs() {
	local r=$1/root
	timeout 900 debootstrap --variant=minbase "$SUITE" "$r" "$MIRROR" > "$1/debootstrap.log" 2>&1 ||
		{ tail -20 "$1/debootstrap.log"; die "debootstrap failed (log above)"; }
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		cp /etc/apt/sources.list.d/debian.sources "$r/etc/apt/sources.list.d/"
		rm -f "$r/etc/apt/sources.list"
	fi
	mount -t proc proc "$r/proc"
	timeout 900 chroot "$r" /bin/sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $DOM0_PKGS" \
		> "$1/apt.log" 2>&1 || { umount "$r/proc"; tail -20 "$1/apt.log"; die "apt-get install in the dom0 chroot failed (log above)"; }
	umount "$r/proc"
	chroot "$r" dpkg-query -W -f '${Package} ${Version}\n' > "$1/packages.txt"
	rm -rf "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/usr/share/{doc,man,locale,info} \
		"$r"/usr/lib/udev/hwdb.bin "$r"/usr/lib/udev/hwdb.d
	# Linux unpacks the initramfs into a tmpfs of half dom0's memory (384 of 768 MiB), which the
	# unpacked layers must fit: dropped too are Python (only Xen's pygrub and helper scripts use it,
	# the lab boots its guests' kernels directly) and perl's modules (snmpd links libperl for its
	# embedded perl, which the lab's snmpd.conf turns off).  ~70 MB of 237 MB.
	rm -rf "$r"/usr/lib/python3* "$r"/usr/bin/python3* "$r"/usr/share/perl "$r"/usr/lib/x86_64-linux-gnu/perl
	pack_cpio "$r" "$1/rootfs.cpio.gz"
	rm -rf "$r"
}

# --- guest: the PV guests' busybox initramfs, and the dom0 layer that carries it with the guest kernel.
build_guest() {
	local g=$1/initrd d=$1/dom0
	mkdir -p "$g"/{bin,sbin,proc,sys,dev,tmp} "$d/guest"
	cp "$BUSYBOX" "$g/bin/busybox"
	cp "$PUBLISH" "$g/bin/xvlab-publish"
	# what Linux's Xen shutdown driver runs (orderly_poweroff) when dom0 asks for a clean shutdown
	printf '#!/bin/busybox sh\nexec /bin/busybox poweroff -f\n' > "$g/sbin/poweroff"
	chmod 755 "$g/sbin/poweroff"
	cp "$GUEST_BIN/xvb-balloond" "$GUEST_BIN/xvb-stress" "$g/bin/"
	cp "$HERE/guest-init.sh" "$g/init" && chmod 755 "$g/init"
	pack_cpio "$g" "$d/guest/initrd.gz"
	zcat "$KERNEL_DIR/vmlinux.gz" > "$d/guest/vmlinux"
	pack_cpio "$d" "$1/guest.cpio.gz"
	rm -rf "$g" "$d"
}

BUILDING=
trap '[ -z "$BUILDING" ] || unmount_under "$BUILDING"' EXIT
mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock -w 1800 9 || die "timed out waiting for another build in $CACHE"

command -v cpio >/dev/null || skip "cpio is not installed (see packages.txt)"
command -v depmod >/dev/null || skip "kmod (depmod, modprobe) is not installed (see packages.txt)"
BUSYBOX=/bin/busybox
file_is_static() { ! LC_ALL=C ldd "$1" >/dev/null 2>&1; }
[ -x "$BUSYBOX" ] && file_is_static "$BUSYBOX" || skip "no static busybox at $BUSYBOX (apt-get install busybox-static)"

KERNEL_PKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$KERNEL_PKG" ] || skip "apt does not know linux-image-amd64 (not a Debian host, or no apt lists: apt-get update)"
XEN_VERSION=$(pkg_version "$XEN_PKG")
[ -n "$XEN_VERSION" ] && [ "$XEN_VERSION" != "(none)" ] || skip "apt does not know $XEN_PKG (no Debian bookworm apt lists: apt-get update)"

h=$( { declare -f build_kernel fetch_deb pack_cpio; echo "$KERNEL_PKG $(pkg_version "$KERNEL_PKG") $DOM0_MODULES $GUEST_MODULES"; } | hash_of)
[ -f "$CACHE/kernel-$h/.done" ] || need_fetch
layer kernel "$h"; KERNEL_DIR=$L

GUEST_BIN=${GUEST_BIN:-$(cd "$HERE/../../bench/guest" && pwd)}
for p in xvb-balloond xvb-stress; do
	[ -x "$GUEST_BIN/$p" ] && file_is_static "$GUEST_BIN/$p" || die "$GUEST_BIN/$p is not built or not static (run make)"
done

# --- kvmguest: the libvirt test's guest: busybox, the bench's guest programs, virtio_balloon.
build_kvmguest() {
	local g=$1/initrd
	mkdir -p "$g"/{bin,proc,sys,dev,tmp,mods}
	cp "$BUSYBOX" "$g/bin/busybox"
	cp "$GUEST_BIN/xvb-balloond" "$GUEST_BIN/xvb-stress" "$g/bin/"
	cp "$HERE/guest-init.sh" "$g/init" && chmod 755 "$g/init"
	cp "$KERNEL_DIR"/guestmods/* "$g/mods/"
	pack_cpio "$g" "$1/initrd.gz"
	cp "$KERNEL_DIR/vmlinuz" "$1/vmlinuz"
	rm -rf "$g"
}
if [ -n "$KVM_ONLY" ]; then
	h=$( { declare -f build_kvmguest pack_cpio; cat "$HERE/guest-init.sh"; echo "$KERNEL_DIR"; sha256sum "$BUSYBOX" "$GUEST_BIN/xvb-balloond" "$GUEST_BIN/xvb-stress"; } | hash_of)
	layer kvmguest "$h"
	rm -rf "$CACHE/kvm.tmp" && mkdir -p "$CACHE/kvm.tmp" && cp "$L/vmlinuz" "$L/initrd.gz" "$CACHE/kvm.tmp/"
	rm -rf "$CACHE/kvm" && mv "$CACHE/kvm.tmp" "$CACHE/kvm"
	log "kvm guest ready in $CACHE/kvm"
	exit 0
fi

h=$( { declare -f build_xen fetch_deb; echo "$XEN_PKG $XEN_VERSION"; } | hash_of)
[ -f "$CACHE/xen-$h/.done" ] || need_fetch
layer xen "$h"; XEN_DIR=$L

h=$( { declare -f build_rootfs pack_cpio; echo "$SUITE $MIRROR $DOM0_PKGS $XEN_VERSION"; cat /etc/apt/sources.list.d/debian.sources 2>/dev/null || true; } | hash_of)
[ -f "$CACHE/rootfs-$h/.done" ] || need_fetch
layer rootfs "$h"; ROOTFS_DIR=$L

# the guests' xenstore publisher: static, built from tests/lab/xvlab-publish.c by make (module.mk)
PUBLISH=$HERE/xvlab-publish
[ -x "$PUBLISH" ] || die "$PUBLISH is not built (make check-xen builds it)"
h=$( { declare -f build_guest pack_cpio; cat "$HERE/guest-init.sh"; echo "$KERNEL_DIR"; sha256sum "$BUSYBOX" "$PUBLISH" "$GUEST_BIN/xvb-balloond" "$GUEST_BIN/xvb-stress"; } | hash_of)
layer guest "$h"; GUEST_DIR=$L

# The boot set: always re-assembled (cheap), so it can never mix layers from different runs.
B=$CACHE/boot
rm -rf "$B.tmp" && mkdir -p "$B.tmp"
cp "$XEN_DIR/xen" "$KERNEL_DIR/vmlinuz" "$B.tmp/"
pack_cpio "$TEST_LAYER" "$B.tmp/test.cpio.gz"
cat "$ROOTFS_DIR/rootfs.cpio.gz" "$KERNEL_DIR/kmods.cpio.gz" "$GUEST_DIR/guest.cpio.gz" "$B.tmp/test.cpio.gz" > "$B.tmp/dom0.img"
rm "$B.tmp/test.cpio.gz"
rm -rf "$B" && mv "$B.tmp" "$B"
log "boot set ready: $(du -sh "$B" | cut -f1) in $B"
