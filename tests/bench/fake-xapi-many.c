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
 * A connection holds no buffer of its own unless a request came in pieces
 * or an answer did not fit the socket: requests are read into one buffer
 * and answers built, when due, in another, both the process's.  Ten
 * thousand connections with buffers of their own wrote 120 MB of fresh
 * memory, on the machine the poller under test runs on.
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
#define HEAD_ROOM 96 /* bytes before an answer's body, for its head */

enum method { LOGIN, EVENTS, LOGOUT, UNKNOWN };

struct conn {
	int fd;
	unsigned host;
	struct xv_buf in;  /* a request that came in pieces, else empty */
	struct xv_buf out; /* what the socket had no room for, else empty */
	size_t out_done;
	struct xv_loop_timer timer;
	enum method method; /* of the request whose answer is due */
	bool waiting; /* an answer is due at the timer */
	bool writing; /* an answer waits for room in the socket */
	bool last;    /* the request said Connection: close */
};

static struct xv_loop *loop;
static struct xv_buf answer_buf = XV_BUF_INIT; /* every answer is built here, when due */
static char in_chunk[MAX_REQUEST + 1];
static unsigned n_hosts, n_vms, delay_ms;
static unsigned long served, open_sessions, session_counter;
static volatile sig_atomic_t stop;

static void conn_close(struct conn *c)
{
	xv_loop_timer_cancel(loop, &c->timer);
	xv_loop_forget(loop, c->fd); /* this process never forks */
	close(c->fd);
	xv_buf_release(&c->in);
	xv_buf_release(&c->out);
	free(c);
}

static void on_conn(void *ctx, int fd, unsigned events);

/* The answers are built with plain appends, no printf: the fake must cost
 * the poller's machine as little as it can. */
static void value_string(struct xv_buf *b, const char *name, const char *v)
{
	xv_buf_adds(b, "<member><name>");
	xv_buf_adds(b, name);
	xv_buf_adds(b, "</name><value>");
	xv_buf_adds(b, v);
	xv_buf_adds(b, "</value></member>");
}

static void value_bool(struct xv_buf *b, const char *name, int v)
{
	xv_buf_adds(b, "<member><name>");
	xv_buf_adds(b, name);
	xv_buf_adds(b, v ? "</name><value><boolean>1</boolean></value></member>"
			 : "</name><value><boolean>0</boolean></value></member>");
}

static void event_begin(struct xv_buf *b, const char *cls, const char *ref)
{
	xv_buf_adds(b, "<value><struct><member><name>class</name><value>");
	xv_buf_adds(b, cls);
	xv_buf_adds(b, "</value></member><member><name>operation</name><value>add</value></member>"
		       "<member><name>ref</name><value>");
	xv_buf_adds(b, ref);
	xv_buf_adds(b, "</value></member><member><name>snapshot</name><value><struct>");
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

static enum method method_of(const char *body, size_t len)
{
	const char *m = memmem(body, len, "<methodName>", 12);
	size_t left = m ? len - (size_t)(m + 12 - body) : 0;

	if (!m)
		return UNKNOWN;
	m += 12;
	if (left >= 28 && !memcmp(m, "session.login_with_password<", 28))
		return LOGIN;
	if (left >= 11 && !memcmp(m, "event.from<", 11))
		return EVENTS;
	if (left >= 15 && !memcmp(m, "session.logout<", 15))
		return LOGOUT;
	return UNKNOWN;
}

/* The answer to c's request, in answer_buf from `*start`. */
static void answer(const struct conn *c, size_t *start)
{
	struct xv_buf *out = &answer_buf;
	char head[HEAD_ROOM];
	int n;

	/* the body is written after room for the head, which is put in front
	 * of it once its length is known: no copy */
	xv_buf_reset(out);
	xv_buf_grow(out, HEAD_ROOM + 12000);
	memset(out->data, ' ', HEAD_ROOM);
	out->len = HEAD_ROOM;
	xv_buf_adds(out, "<?xml version=\"1.0\"?><methodResponse><params><param><value>"
			   "<struct><member><name>Status</name><value>");
	switch (c->method) {
	case LOGIN:
		xv_buf_addf(out, "Success</value></member><member><name>Value</name><value>"
				   "OpaqueRef:session-%lu</value></member>",
			    ++session_counter);
		open_sessions++;
		break;
	case EVENTS:
		xv_buf_adds(out, "Success</value></member><member><name>Value</name><value>");
		events(out, c->host);
		xv_buf_adds(out, "</value></member>");
		break;
	case LOGOUT:
		xv_buf_adds(out, "Success</value></member><member><name>Value</name><value>"
				   "</value></member>");
		open_sessions--;
		break;
	default:
		xv_buf_adds(out, "Failure</value></member><member><name>ErrorDescription</name>"
				   "<value><array><data><value>MESSAGE_METHOD_UNKNOWN</value>"
				   "</data></array></value></member>");
	}
	xv_buf_adds(out, "</struct></value></param></params></methodResponse>\n");
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %zu\r\n\r\n",
		     out->len - HEAD_ROOM);
	memcpy(out->data + HEAD_ROOM - n, head, (size_t)n);
	*start = HEAD_ROOM - (size_t)n;
	served++;
}

/* A whole request at data[0..len)?  Then note what it asks and return its
 * length; 0 while it is not whole. */
static size_t take_request(struct conn *c, const char *data, size_t len)
{
	const char *end = memmem(data, len, "\r\n\r\n", 4);
	const char *cl;
	size_t head, body = 0;

	if (!end)
		return 0;
	head = (size_t)(end - data) + 4;
	cl = memmem(data, head, "Content-Length:", 15);
	if (cl)
		body = strtoul(cl + 15, NULL, 10);
	if (len < head + body)
		return 0;
	/* as HTTP/1.1 servers do, the connection ends with that answer */
	c->last = memmem(data, head, "\r\nConnection: close\r\n", 21) != NULL;
	c->method = method_of(data + head, body);
	return head + body;
}

/* Writes data[0..len), an answer in answer_buf or (`kept`) the rest of
 * one in c->out; keeps what the socket has no room for, and watches for
 * room only then.  false: the connection is gone. */
static bool send_out(struct conn *c, const char *data, size_t len, bool kept)
{
	while (len) {
		ssize_t n = write(c->fd, data, len);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (kept) {
				c->out_done = c->out.len - len;
			} else {
				xv_buf_reset(&c->out);
				xv_buf_add(&c->out, data, len);
				c->out_done = 0;
			}
			xv_loop_watch(loop, c->fd, XV_LOOP_IN | XV_LOOP_OUT, on_conn, c, NULL);
			c->writing = true;
			return true;
		}
		conn_close(c);
		return false;
	}
	if (c->last) {
		conn_close(c);
		return false;
	}
	if (c->writing)
		xv_loop_watch(loop, c->fd, XV_LOOP_IN, on_conn, c, NULL);
	c->writing = false;
	xv_buf_release(&c->out);
	c->out_done = 0;
	return true;
}

/* One request at a time per connection, as clients send them: the next is
 * taken once the answer to this one is written.  `data` is what was just
 * read, when c->in holds nothing (the request is taken from there without
 * a copy); otherwise it has been added to c->in. */
static void next_request(struct conn *c, const char *data, size_t len)
{
	size_t used;

	if (c->waiting || c->writing)
		return;
	if (c->in.len) {
		data = c->in.data;
		len = c->in.len;
	}
	if (!len)
		return;
	used = take_request(c, data, len);
	if (c->in.len) {
		if (used) {
			memmove(c->in.data, c->in.data + used, c->in.len - used);
			xv_buf_truncate(&c->in, c->in.len - used);
		}
	} else if (used < len) {
		xv_buf_add(&c->in, data + used, len - used); /* a piece, or what follows */
	}
	if (!c->in.len)
		xv_buf_release(&c->in);
	if (used) {
		c->waiting = true;
		xv_loop_timer_arm(loop, &c->timer, xv_monotonic_ms() + delay_ms);
	}
}

static void on_due(void *ctx)
{
	struct conn *c = ctx;
	size_t start;

	c->waiting = false;
	answer(c, &start);
	if (send_out(c, answer_buf.data + start, answer_buf.len - start, false))
		next_request(c, NULL, 0);
}

static void on_conn(void *ctx, int fd, unsigned events)
{
	struct conn *c = ctx;
	ssize_t n = 0;

	if (c->writing && (events & XV_LOOP_OUT) &&
	    !send_out(c, c->out.data + c->out_done, c->out.len - c->out_done, true))
		return;
	if (events & (XV_LOOP_IN | XV_LOOP_ERR)) {
		n = read(fd, in_chunk, MAX_REQUEST - c->in.len);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			conn_close(c);
			return;
		}
		/* kept when something is kept already, or the answer before it
		 * is not out yet: a request sent ahead of time */
		if (n > 0 && (c->in.len || c->waiting || c->writing))
			xv_buf_add(&c->in, in_chunk, (size_t)n);
		if (n > 0 && c->in.len >= MAX_REQUEST) {
			conn_close(c); /* no request is that long */
			return;
		}
	}
	next_request(c, in_chunk, n > 0 && !c->in.len ? (size_t)n : 0);
}

static void on_listen(void *ctx, int lfd, unsigned events)
{
	for (;;) {
		struct sockaddr_in local, peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &len,
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
	/* answers go out whole, at once; accepted sockets inherit it */
	setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
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
