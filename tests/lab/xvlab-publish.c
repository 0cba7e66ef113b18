/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvlab-publish: what a self-ballooning guest publishes, for `make check-xen`.
 *
 * Every second, writes the guest's /proc/meminfo to xenstore memory/meminfo
 * and the swap lines of /proc/vmstat to memory/vmstat, as xenballoond did
 * with xenstore-write (the lab's guests have busybox only, so this talks to
 * /dev/xen/xenbus itself).  Relative paths resolve to the guest's own
 * /local/domain/<id>/.  libxl makes memory/ read-only for the guest: dom0
 * must create the two nodes and give them to the guest first (dom0-init.sh
 * does, with xenstore-chmod).  Static, no dependency but libc. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { XS_WRITE = 11, XS_ERROR = 16 };
#define PAYLOAD_MAX 4096

struct xs_msg {
	uint32_t type, req_id, tx_id, len;
};

static int full_write(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static int full_read(int fd, void *p, size_t n)
{
	char *c = p;

	while (n) {
		ssize_t k = read(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* XS_WRITE path value: 0, or -1 with the reason on stdout (the console). */
static int xs_write(int fd, const char *path, const char *value)
{
	static uint32_t req;
	char buf[sizeof(struct xs_msg) + PAYLOAD_MAX];
	struct xs_msg m = { XS_WRITE, ++req, 0, 0 }, r;
	size_t plen = strlen(path) + 1, vlen = strlen(value);

	if (plen + vlen > PAYLOAD_MAX)
		return -1;
	m.len = (uint32_t)(plen + vlen);
	memcpy(buf, &m, sizeof(m));
	memcpy(buf + sizeof(m), path, plen);
	memcpy(buf + sizeof(m) + plen, value, vlen);
	if (full_write(fd, buf, sizeof(m) + m.len) || full_read(fd, &r, sizeof(r)) ||
	    r.len > PAYLOAD_MAX || full_read(fd, buf, r.len))
		return -1;
	if (r.type == XS_ERROR) {
		buf[r.len < PAYLOAD_MAX ? r.len : PAYLOAD_MAX - 1] = '\0';
		printf("xvlab-publish: xenstore refused %s: %s\n", path, buf);
		return -1;
	}
	return 0;
}

/* The file's text, its last newline dropped (as "$(cat FILE)" has it). */
static int slurp(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = 0, k;

	if (fd < 0)
		return -1;
	while ((size_t)n < size - 1 && (k = read(fd, out + n, size - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	return 0;
}

/* The vmstat lines memory pressure is judged on: the whole file is longer
 * than a xenstore value may be. */
static void vmstat_selection(const char *all, char *out, size_t size)
{
	static const char *const keep[] = { "nr_free_pages ", "pswpin ", "pswpout ", "pgmajfault " };
	size_t n = 0;

	out[0] = '\0';
	for (const char *line = all; *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
			if (!strncmp(line, keep[i], strlen(keep[i])) && n + len + 2 < size) {
				if (n)
					out[n++] = '\n';
				memcpy(out + n, line, len);
				n += len;
				out[n] = '\0';
			}
		}
		line += len + (eol ? 1 : 0);
	}
}

int main(void)
{
	static char meminfo[PAYLOAD_MAX], vmstat[16384], selection[PAYLOAD_MAX];
	int fd = -1, complained = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		if (fd < 0)
			fd = open("/dev/xen/xenbus", O_RDWR);
		if (fd >= 0 && slurp("/proc/meminfo", meminfo, sizeof(meminfo)) == 0 &&
		    slurp("/proc/vmstat", vmstat, sizeof(vmstat)) == 0) {
			vmstat_selection(vmstat, selection, sizeof(selection));
			if (xs_write(fd, "memory/meminfo", meminfo) || xs_write(fd, "memory/vmstat", selection)) {
				if (!complained++)
					printf("xvlab-publish: cannot publish (will retry)\n");
				close(fd);
				fd = -1;
			} else if (complained) {
				printf("xvlab-publish: publishing again\n");
				complained = 0;
			}
		} else if (!complained++) {
			printf("xvlab-publish: no /dev/xen/xenbus or /proc (will retry)\n");
		}
		sleep(1);
	}
}
