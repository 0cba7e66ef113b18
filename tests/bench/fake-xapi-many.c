/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fake-xapi-many: one process playing thousands of XenAPI hosts, for make bench.
 *
 *   fake-xapi-many PORT HOSTS VMS DELAY_MS
 *
 * Host i (0 <= i < HOSTS) is 127.1.(i / 256).(i % 256):PORT, a pool of its
 * own named h%05d with dom0 and VMS guests v%06d (numbered across hosts as
 * gen-pool.py does).  Every request is answered DELAY_MS after it arrived:
 * session.login_with_password, event.from (the pool, the host, its metrics,
 * its VMs and their metrics, with the fields xvmon reads), session.logout;
 * anything else is a XenAPI Failure.  One listening socket on the wildcard
 * address takes every 127.1.x.y (addresses, not ports, tell hosts apart: ten
 * thousand listening sockets would eat the descriptors the clients need);
 * connections from outside the loopback network are refused.
 *
 * It prints "ready" once listening and, at SIGTERM or SIGINT, one line:
 * requests served, sessions still open, its own CPU time, so the bench can
 * show that it was not the bottleneck. */
#include "buf.h"
#include "clock.h"
#include "loop.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST 65536

struct conn {
	int fd;
	unsigned host;
	struct xv_buf in, out;
	size_t out_done;
	struct xv_loop_timer timer;
	bool waiting; /* an answer is due at the timer */
};

static struct xv_loop *loop;
static unsigned n_hosts, n_vms, delay_ms;
static unsigned long served, open_sessions, session_counter;
static volatile sig_atomic_t stop;

static void conn_close(struct conn *c)
{
	xv_loop_timer_cancel(loop, &c->timer);
	xv_loop_unwatch(loop, c->fd);
	close(c->fd);
	xv_buf_release(&c->in);
	xv_buf_release(&c->out);
	free(c);
}

static void on_conn(void *ctx, int fd, unsigned events);

static void value_string(struct xv_buf *b, const char *name, const char *v)
{
	xv_buf_addf(b, "<member><name>%s</name><value>%s</value></member>", name, v);
}

static void value_bool(struct xv_buf *b, const char *name, int v)
{
	xv_buf_addf(b, "<member><name>%s</name><value><boolean>%d</boolean></value></member>",
		    name, v);
}

static void event_begin(struct xv_buf *b, const char *cls, const char *ref)
{
	xv_buf_addf(b, "<value><struct><member><name>class</name><value>%s</value></member>"
		       "<member><name>operation</name><value>add</value></member>"
		       "<member><name>ref</name><value>%s</value></member>"
		       "<member><name>snapshot</name><value><struct>",
		    cls, ref);
}

static void event_end(struct xv_buf *b)
{
	xv_buf_adds(b, "</struct></value></member></struct></value>");
}

/* The event.from answer of host `h`. */
static void events(struct xv_buf *b, unsigned h)
{
	char ref[64], mref[64], num[64], name[32];

	xv_buf_adds(b, "<struct><member><name>events</name><value><array><data>");
	snprintf(ref, sizeof(ref), "OpaqueRef:host-%u", h);
	event_begin(b, "pool", "OpaqueRef:pool");
	value_string(b, "name_label", "bench");
	value_string(b, "master", ref);
	event_end(b);
	snprintf(mref, sizeof(mref), "OpaqueRef:hm-%u", h);
	snprintf(name, sizeof(name), "h%05u", h);
	event_begin(b, "host", ref);
	value_string(b, "name_label", name);
	value_string(b, "hostname", name);
	value_string(b, "metrics", mref);
	xv_buf_adds(b, "<member><name>software_version</name><value><struct>");
	value_string(b, "xen", "4.17.3");
	xv_buf_adds(b, "</struct></value></member><member><name>cpu_info</name><value><struct>");
	value_string(b, "cpu_count", "32");
	xv_buf_adds(b, "</struct></value></member>");
	event_end(b);
	event_begin(b, "host_metrics", mref);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)(n_vms + 8) << 30);
	value_string(b, "memory_total", num);
	value_string(b, "memory_free", "4294967296");
	value_bool(b, "live", 1);
	event_end(b);
	for (unsigned i = 0; i <= n_vms; i++) {
		unsigned long vm = (unsigned long)h * n_vms + i; /* as gen-pool.py numbers them */
		char vref[64], vmref[64], uuid[40], domid[16];
		snprintf(vref, sizeof(vref), "OpaqueRef:vm-%u-%u", h, i);
		snprintf(vmref, sizeof(vmref), "OpaqueRef:vmm-%u-%u", h, i);
		snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-%012lx", h, (unsigned long)i);
		snprintf(domid, sizeof(domid), "%u", i);
		if (i)
			snprintf(name, sizeof(name), "v%06lu", vm);
		else
			snprintf(name, sizeof(name), "Domain-0");
		event_begin(b, "vm", vref);
		value_string(b, "name_label", name);
		value_string(b, "uuid", uuid);
		value_string(b, "power_state", "Running");
		value_string(b, "domid", domid);
		value_bool(b, "is_a_template", 0);
		value_bool(b, "is_a_snapshot", 0);
		value_bool(b, "is_control_domain", i == 0);
		value_string(b, "resident_on", ref);
		value_string(b, "memory_static_max", i ? "1073741824" : "2147483648");
		value_string(b, "memory_target", i ? "1073741824" : "2147483648");
		value_string(b, "VCPUs_at_startup", "1");
		value_string(b, "metrics", vmref);
		event_end(b);
		event_begin(b, "vm_metrics", vmref);
		value_string(b, "memory_actual", i ? "1073741824" : "2147483648");
		value_string(b, "VCPUs_number", "1");
		event_end(b);
	}
	xv_buf_adds(b, "</data></array></value></member>"
		       "<member><name>token</name><value>1</value></member></struct>");
}

static void answer(struct conn *c, const char *body_start, size_t body_len)
{
	struct xv_buf body = XV_BUF_INIT;
	const char *m = memmem(body_start, body_len, "<methodName>", 12);
	const char *method = m ? m + 12 : "";

	xv_buf_adds(&body, "<?xml version=\"1.0\"?><methodResponse><params><param><value>"
			   "<struct><member><name>Status</name><value>");
	if (!strncmp(method, "session.login_with_password<", 28)) {
		xv_buf_addf(&body, "Success</value></member><member><name>Value</name><value>"
				   "OpaqueRef:session-%lu</value></member>",
			    ++session_counter);
		open_sessions++;
	} else if (!strncmp(method, "event.from<", 11)) {
		xv_buf_adds(&body, "Success</value></member><member><name>Value</name><value>");
		events(&body, c->host);
		xv_buf_adds(&body, "</value></member>");
	} else if (!strncmp(method, "session.logout<", 15)) {
		xv_buf_adds(&body, "Success</value></member><member><name>Value</name><value>"
				   "</value></member>");
		open_sessions--;
	} else {
		xv_buf_adds(&body, "Failure</value></member><member><name>ErrorDescription</name>"
				   "<value><array><data><value>MESSAGE_METHOD_UNKNOWN</value>"
				   "</data></array></value></member>");
	}
	xv_buf_adds(&body, "</struct></value></param></params></methodResponse>\n");
	xv_buf_reset(&c->out);
	xv_buf_addf(&c->out, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %zu\r\n\r\n",
		    body.len);
	xv_buf_add(&c->out, body.data, body.len);
	xv_buf_release(&body);
	c->out_done = 0;
	served++;
}

/* A whole request in c->in?  Then prepare its answer and consume it. */
static bool take_request(struct conn *c)
{
	const char *end = memmem(c->in.data, c->in.len, "\r\n\r\n", 4);
	const char *cl;
	size_t head, len = 0;

	if (!end)
		return false;
	head = (size_t)(end - c->in.data) + 4;
	cl = memmem(c->in.data, head, "Content-Length:", 15);
	if (cl)
		len = strtoul(cl + 15, NULL, 10);
	if (c->in.len < head + len)
		return false;
	answer(c, c->in.data + head, len);
	memmove(c->in.data, c->in.data + head + len, c->in.len - head - len);
	xv_buf_truncate(&c->in, c->in.len - head - len);
	return true;
}

static void on_due(void *ctx)
{
	struct conn *c = ctx;

	c->waiting = false;
	xv_loop_watch(loop, c->fd, XV_LOOP_IN | XV_LOOP_OUT, on_conn, c, NULL);
}

static void on_conn(void *ctx, int fd, unsigned events)
{
	struct conn *c = ctx;
	char chunk[16384];

	if (c->out_done < c->out.len && !c->waiting && (events & XV_LOOP_OUT)) {
		ssize_t n = write(fd, c->out.data + c->out_done, c->out.len - c->out_done);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			conn_close(c);
			return;
		}
		if (n > 0)
			c->out_done += (size_t)n;
		if (c->out_done == c->out.len)
			xv_loop_watch(loop, fd, XV_LOOP_IN, on_conn, c, NULL);
	}
	if (events & (XV_LOOP_IN | XV_LOOP_ERR)) {
		for (;;) {
			ssize_t n = read(fd, chunk, sizeof(chunk));
			if (n > 0) {
				xv_buf_add(&c->in, chunk, (size_t)n);
				if (c->in.len > MAX_REQUEST) {
					conn_close(c);
					return;
				}
				continue;
			}
			if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				conn_close(c);
				return;
			}
			break;
		}
	}
	/* one request at a time per connection, as clients send them */
	if (!c->waiting && c->out_done == c->out.len && take_request(c)) {
		c->waiting = true;
		xv_loop_watch(loop, fd, XV_LOOP_IN, on_conn, c, NULL);
		xv_loop_timer_arm(loop, &c->timer, xv_monotonic_ms() + delay_ms);
	}
}

static void on_listen(void *ctx, int lfd, unsigned events)
{
	for (;;) {
		struct sockaddr_in local, peer;
		socklen_t len = sizeof(peer);
		int one = 1, fd = accept4(lfd, (struct sockaddr *)&peer, &len,
					  SOCK_NONBLOCK | SOCK_CLOEXEC);
		uint32_t a;
		struct conn *c;

		if (fd < 0)
			return;
		len = sizeof(local);
		getsockname(fd, (struct sockaddr *)&local, &len);
		a = ntohl(local.sin_addr.s_addr);
		if ((ntohl(peer.sin_addr.s_addr) >> 24) != 127 || (a >> 16) != 0x7f01 ||
		    (a & 0xffff) >= n_hosts) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = xv_calloc(1, sizeof(*c));
		c->fd = fd;
		c->host = a & 0xffff;
		xv_buf_init(&c->in);
		xv_buf_init(&c->out);
		xv_loop_timer_init(&c->timer, on_due, c);
		xv_loop_watch(loop, fd, XV_LOOP_IN, on_conn, c, NULL);
	}
}

static void on_signal(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct rlimit rl;
	struct rusage ru;
	struct xv_error e;
	int lfd, one = 1;

	if (argc != 5) {
		fprintf(stderr, "usage: fake-xapi-many PORT HOSTS VMS DELAY_MS\n");
		return 64;
	}
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	n_hosts = (unsigned)atoi(argv[2]);
	n_vms = (unsigned)atoi(argv[3]);
	delay_ms = (unsigned)atoi(argv[4]);
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 65535)) {
		perror("fake-xapi-many: bind");
		return 71;
	}
	if (xv_loop_new(&loop, &e) || xv_loop_watch(loop, lfd, XV_LOOP_IN, on_listen, NULL, &e)) {
		fprintf(stderr, "fake-xapi-many: %s\n", e.msg);
		return 71;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		xv_loop_run_once(loop, xv_monotonic_ms() + 200);
	getrusage(RUSAGE_SELF, &ru);
	printf("fake server: %lu requests, %lu sessions left open, CPU %.2f s user + %.2f s system\n",
	       served, open_sessions, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
