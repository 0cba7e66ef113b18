/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvb-balloond: xenballoond (080630) for modern PV guests.  Static, no
 * dependency but libc, so any initramfs can carry it.
 *
 * Every period it reads /proc/meminfo, the balloon's current size and the
 * guest's xenstore memory/ keys, applies xenballoond's law
 * (balloon_law.h: the same function the differential test checks against
 * the 2008 script), writes the target to
 * /sys/devices/system/xen_memory/xen_memory0/target_kb and publishes
 * memory/selftarget, memory/meminfo, memory/vmstat and memory/uptime to
 * xenstore through the xenbus device, as xenballoond did with xenstore-write.
 *
 * Differences from the 2008 script, on purpose:
 *   - the target goes to target_kb (KiB) instead of /proc/xen/balloon
 *     (bytes), which Linux no longer has;
 *   - the hysteresis base is the balloon's current_kb, not MemTotal (see
 *     balloon_law.h for why); the floor's high-water mark is still MemTotal;
 *   - xenstore is reached through /dev/xen/xenbus (the guest has no
 *     xenstore-* tools), relative paths resolving to the guest's home;
 *   - /proc/vmstat is longer than a xenstore value may be (4096 bytes) on a
 *     modern kernel: when it does not fit, the lines that matter for memory
 *     pressure are published (free pages, swap in/out, faults, OOM kills);
 *   - XENBALLOON_SEND_* = 0 means no (the script sent whatever the value).
 *
 * Usage: xvb-balloond [options]; see usage() or docs/bench-lab/README.md. */
#include "balloon_law.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The xenstore wire protocol (xen/io/xs_wire.h): a stable ABI. */
enum { XS_READ = 2, XS_WRITE = 11, XS_ERROR = 16 };
struct xs_msg {
	uint32_t type, req_id, tx_id, len;
};
#define XS_PAYLOAD_MAX 4096

static const char *balloon_path = "/sys/devices/system/xen_memory/xen_memory0/target_kb";
static const char *current_path = "/sys/devices/system/xen_memory/xen_memory0/info/current_kb";
static const char *proc_dir = "/proc";
static const char *maxmem_file = "/run/xenballoon-maxmem";
static const char *xenbus_paths[] = { "/dev/xen/xenbus", "/proc/xen/xenbus" };
static const char *stress_file; /* published as memory/stress when set */
static int xenbus_fd = -1;
static uint32_t req_id;
static bool send_meminfo = true, send_vmstat = true, send_uptime = true, verbose;
static int ready_mode; /* 1: write data/xvb-ready at start; 2: only that */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("xvb-balloond: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int full_write(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int full_read(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One request; the reply's payload (NUL-terminated) in out, its length in
 * *outlen.  0, or -1 with errno (an XS_ERROR reply names it: ENOENT...). */
static int xs_request(uint32_t type, const char *a, const char *b, size_t blen, char *out,
		      size_t outsize, size_t *outlen)
{
	char buf[sizeof(struct xs_msg) + XS_PAYLOAD_MAX];
	struct xs_msg m = { type, ++req_id, 0, 0 };
	size_t alen = strlen(a) + 1;
	struct xs_msg r;

	if (xenbus_fd < 0) {
		errno = ENODEV;
		return -1;
	}
	if (alen + blen > XS_PAYLOAD_MAX) {
		errno = E2BIG;
		return -1;
	}
	m.len = (uint32_t)(alen + blen);
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), a, alen);
	if (blen)
		memcpy(buf + sizeof(m) + alen, b, blen);
	if (full_write(xenbus_fd, buf, sizeof(m) + m.len) || full_read(xenbus_fd, &r, sizeof(r)) ||
	    r.len > XS_PAYLOAD_MAX || full_read(xenbus_fd, buf, r.len)) {
		errno = EIO;
		return -1;
	}
	buf[r.len] = '\0';
	if (r.type == XS_ERROR) {
		static const struct { const char *name; int err; } errs[] = {
			{ "ENOENT", ENOENT }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
			{ "E2BIG", E2BIG }, { "EEXIST", EEXIST }, { "EQUOTA", EDQUOT },
		};
		errno = EIO;
		for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
			if (!strcmp(buf, errs[i].name))
				errno = errs[i].err;
		return -1;
	}
	if (out) {
		size_t n = r.len < outsize - 1 ? r.len : outsize - 1;
		memcpy(out, buf, n);
		out[n] = '\0';
		if (outlen)
			*outlen = n;
	}
	return 0;
}

/* xenstore-read of a whole number; false if missing or not a number. */
static bool xs_read_int(const char *key, int64_t *v)
{
	char buf[64], *end;
	long long x;

	if (xs_request(XS_READ, key, NULL, 0, buf, sizeof(buf), NULL))
		return false;
	errno = 0;
	x = strtoll(buf, &end, 10);
	if (errno || end == buf || *end)
		return false;
	*v = x;
	return true;
}

static void xs_write(const char *key, const char *value, size_t len)
{
	static unsigned warned;

	if (!xs_request(XS_WRITE, key, value, len, NULL, 0, NULL))
		return;
	if (warned++ < 5)
		say("cannot write xenstore %s: %s", key, strerror(errno));
}

/* Reads a small file into buf (NUL-terminated); bytes read or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return -1;
	while (n < size - 1) {
		ssize_t r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

static bool field_kib(const char *text, const char *name, int64_t *v)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, name, n) && p[n] == ':') {
			*v = strtoll(p + n + 1, NULL, 10);
			return true;
		}
	}
	return false;
}

static bool read_int_file(const char *path, int64_t *v)
{
	char buf[64], *end;

	if (slurp(path, buf, sizeof(buf)) <= 0)
		return false;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	return !errno && end != buf;
}

/* The vmstat lines worth keeping when the whole file does not fit. */
static void publish_vmstat(const char *text, size_t len)
{
	static const char *const keep[] = {
		"nr_free_pages ", "nr_anon_pages ", "nr_file_pages ", "pswpin ", "pswpout ",
		"pgfault ", "pgmajfault ", "pgscan_direct ", "pgsteal_direct ", "allocstall_normal ",
		"oom_kill ", "balloon_inflate ", "balloon_deflate ",
	};
	char out[XS_PAYLOAD_MAX];
	size_t n = 0;

	if (len + sizeof("memory/vmstat") <= XS_PAYLOAD_MAX) {
		xs_write("memory/vmstat", text, len);
		return;
	}
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) + 1 : strlen(p);
		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
			if (!strncmp(p, keep[i], strlen(keep[i])) && n + l < sizeof(out) - 64) {
				memcpy(out + n, p, l);
				n += l;
			}
		}
		p += l;
	}
	if (n && out[n - 1] == '\n')
		n--; /* "`cat /proc/vmstat`" drops the last newline */
	xs_write("memory/vmstat", out, n);
}

static void publish_file(const char *key, const char *path)
{
	char buf[XS_PAYLOAD_MAX];
	ssize_t n = slurp(path, buf, sizeof(buf));

	if (n < 0)
		return;
	while (n > 0 && buf[n - 1] == '\n')
		n--; /* as the shell's `cat` in backquotes */
	if (!strcmp(key, "memory/vmstat")) {
		char big[16384];
		ssize_t m = slurp(path, big, sizeof(big));
		while (m > 0 && big[m - 1] == '\n')
			m--;
		big[m > 0 ? m : 0] = '\0';
		publish_vmstat(big, m > 0 ? (size_t)m : 0);
		return;
	}
	xs_write(key, buf, (size_t)n);
}

static void open_xenbus(void)
{
	for (size_t i = 0; i < sizeof(xenbus_paths) / sizeof(xenbus_paths[0]); i++) {
		xenbus_fd = open(xenbus_paths[i], O_RDWR | O_CLOEXEC);
		if (xenbus_fd >= 0)
			return;
	}
}

static int64_t write_target(int64_t target_bytes)
{
	char buf[32];
	int fd = open(balloon_path, O_WRONLY | O_CLOEXEC);
	int n;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%lld\n", (long long)(target_bytes / 1024));
	if (full_write(fd, buf, (size_t)n)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void usage(FILE *f)
{
	fputs("usage: xvb-balloond [--self|--no-self] [--interval S] [--self-interval S]\n"
	      "                    [--down N] [--up N] [--minmem MIB] [--maxmem-file PATH]\n"
	      "                    [--no-xenstore] [--send-meminfo 0|1] [--send-vmstat 0|1]\n"
	      "                    [--send-uptime 0|1] [--stress-file PATH] [--once] [-v]\n"
	      "                    [--ready | --ready-only]\n"
	      "xenballoond's law (080630): self-balloon to max(Committed_AS, floor), 1/down\n"
	      "of the gap per period, writing target_kb and publishing memory/ to xenstore.\n",
	      f);
}

static bool parse_int(const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return !errno && end != s && !*end;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "self", no_argument, NULL, 'S' },
		{ "no-self", no_argument, NULL, 'N' },
		{ "interval", required_argument, NULL, 'i' },
		{ "self-interval", required_argument, NULL, 'I' },
		{ "down", required_argument, NULL, 'd' },
		{ "up", required_argument, NULL, 'u' },
		{ "minmem", required_argument, NULL, 'm' },
		{ "maxmem-file", required_argument, NULL, 'f' },
		{ "no-xenstore", no_argument, NULL, 'X' },
		{ "send-meminfo", required_argument, NULL, '1' },
		{ "send-vmstat", required_argument, NULL, '2' },
		{ "send-uptime", required_argument, NULL, '3' },
		{ "stress-file", required_argument, NULL, 's' },
		{ "once", no_argument, NULL, 'o' },
		{ "ready", no_argument, NULL, 'r' },
		{ "ready-only", no_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xvb_balloon_conf conf;
	struct xvb_balloon_state st = { 0 };
	bool once = false, xenstore_wanted = true;
	char path[512];
	int64_t v;
	int c;

	xvb_balloon_conf_defaults(&conf);
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'S': conf.self = true; break;
		case 'N': conf.self = false; break;
		case 'i': if (!parse_int(optarg, &conf.interval) || conf.interval < 1) goto bad; break;
		case 'I': if (!parse_int(optarg, &conf.self_interval) || conf.self_interval < 1) goto bad; break;
		case 'd': if (!parse_int(optarg, &conf.down) || conf.down < 0) goto bad; break;
		case 'u': if (!parse_int(optarg, &conf.up) || conf.up < 1) goto bad; break;
		case 'm': if (!parse_int(optarg, &conf.minmem_mib) || conf.minmem_mib < 0) goto bad; break;
		case 'f': maxmem_file = optarg; break;
		case 'X': xenstore_wanted = false; break;
		case '1': send_meminfo = strcmp(optarg, "0") != 0; break;
		case '2': send_vmstat = strcmp(optarg, "0") != 0; break;
		case '3': send_uptime = strcmp(optarg, "0") != 0; break;
		case 's': stress_file = optarg; break;
		case 'o': once = true; break;
		case 'r': ready_mode = 1; break;
		case 'R': ready_mode = 2; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 64;
		}
	}
	if (optind != argc)
		goto bad;
	if (ready_mode) {
		/* the bench's sign that the guest is up: data/ is the guest's
		 * own in xenstore, whatever the toolstack */
		char up[64];
		ssize_t n;
		open_xenbus();
		snprintf(path, sizeof(path), "%s/uptime", proc_dir);
		n = slurp(path, up, sizeof(up));
		while (n > 0 && up[n - 1] == '\n')
			up[--n] = '\0';
		xs_write("data/xvb-ready", n > 0 ? up : "", n > 0 ? (size_t)n : 0);
		if (ready_mode == 2)
			return 0;
	}
	if (access(balloon_path, W_OK)) {
		say("no balloon driver: %s: %s", balloon_path, strerror(errno));
		return 0; /* as xenballoond: nothing to do */
	}
	if (xenstore_wanted && xenbus_fd < 0)
		open_xenbus();
	if (!xenstore_wanted && xenbus_fd >= 0) {
		close(xenbus_fd);
		xenbus_fd = -1;
	}
	conf.xenstore = xenbus_fd >= 0;
	if (xenstore_wanted && !conf.xenstore)
		say("no xenbus device: directed ballooning and publishing are off");
	/* The high-water mark survives a restart, as the script's file did. */
	if (read_int_file(maxmem_file, &v))
		st.maxmem_kib = v;
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		struct xvb_balloon_input in;
		struct xvb_balloon_decision d;
		char meminfo[8192];
		int64_t before = st.maxmem_kib;

		memset(&in, 0, sizeof(in));
		snprintf(path, sizeof(path), "%s/meminfo", proc_dir);
		if (slurp(path, meminfo, sizeof(meminfo)) <= 0 ||
		    !field_kib(meminfo, "MemTotal", &in.memtotal_kib) ||
		    !field_kib(meminfo, "Committed_AS", &in.committed_kib)) {
			say("cannot read %s", path);
			return 1;
		}
		if (!read_int_file(current_path, &in.cur_kib))
			in.cur_kib = in.memtotal_kib; /* no info/: as in 2008 */
		if (conf.xenstore) {
			in.xs.has_selfballoon = xs_read_int("memory/selfballoon", &in.xs.selfballoon);
			in.xs.has_target = xs_read_int("memory/target", &in.xs.target_kib);
			in.xs.has_down = xs_read_int("memory/downhysteresis", &in.xs.down);
			in.xs.has_up = xs_read_int("memory/uphysteresis", &in.xs.up);
			in.xs.has_interval = xs_read_int("memory/interval", &in.xs.interval);
		}
		xvb_balloon_step(&conf, &in, &st, &d);
		if (st.maxmem_kib != before) {
			FILE *f = fopen(maxmem_file, "w");
			if (f) {
				fprintf(f, "%lld\n", (long long)st.maxmem_kib);
				fclose(f);
			}
		}
		if (d.died) {
			say("up-hysteresis 0: the 2008 daemon stops here (division by zero)");
			return 1;
		}
		if (d.write && write_target(d.target_bytes))
			say("cannot write %s: %s", balloon_path, strerror(errno));
		if (d.publish) {
			char buf[32];
			int n = snprintf(buf, sizeof(buf), "%lld", (long long)d.selftarget_kib);
			xs_write("memory/selftarget", buf, (size_t)n);
		}
		if (verbose)
			say("memtotal=%lld current=%lld committed=%lld floor=%lldM target=%lld",
			    (long long)in.memtotal_kib, (long long)in.cur_kib,
			    (long long)in.committed_kib, (long long)d.floor_mib,
			    (long long)(d.target_bytes / 1024));
		if (conf.xenstore) {
			if (send_meminfo) {
				snprintf(path, sizeof(path), "%s/meminfo", proc_dir);
				publish_file("memory/meminfo", path);
			}
			if (send_vmstat) {
				snprintf(path, sizeof(path), "%s/vmstat", proc_dir);
				publish_file("memory/vmstat", path);
			}
			if (send_uptime) {
				snprintf(path, sizeof(path), "%s/uptime", proc_dir);
				publish_file("memory/uptime", path);
			}
			if (stress_file)
				publish_file("memory/stress", stress_file);
		}
		if (once)
			return 0;
		{
			struct timespec ts = { d.interval > 0 ? d.interval : 1, 0 };
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
	}
bad:
	usage(stderr);
	return 64;
}
