/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xapi-floor: the cheapest client of b0320's exchanges, measured beside
 * xvm-search so the bench shows what the machine itself costs.
 *
 *   xapi-floor PORT HOSTS
 *
 * For each host of fake-xapi-many (127.1.(i / 256).(i % 256):PORT) it
 * connects, sends the three requests xvmon sends (login, event.from,
 * logout), each after the previous answer has come whole, and closes.  It
 * reads an answer's Content-Length and nothing else: no HTTP library, no
 * XML, no snapshot, no inventory.  As many threads as the poller would use
 * (one per processor), each with its own epoll set and its share of the
 * hosts.  Prints "N answered, WALL s wall, CPU USER+SYSTEM s, T threads"
 * and fails (exit 1) if a host did not answer within 20 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX 512

/* An answer is read into its thread's scratch buffer and counted; only its
 * head is kept, until its Content-Length is known: no memory of a host's
 * own beyond this (fresh memory is what costs most on a virtual machine). */
struct host {
	int fd;
	int step; /* -1 connecting, then the request whose answer is awaited */
	size_t got, need, head_len;
	char head[HEAD_MAX];
};

struct shard {
	unsigned first, step; /* hosts first, first + step, ... */
	unsigned answered;
	pthread_t thread;
};

static unsigned port, n_hosts;
static char *requests[3];
static size_t request_len[3];

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *request(const char *body)
{
	char *s;

	if (asprintf(&s,
		     "POST / HTTP/1.1\r\nHost: 127.1.0.0:%u\r\nUser-Agent: xvmon\r\n"
		     "Accept: */*\r\nAccept-Encoding: deflate, gzip\r\n"
		     "Content-Type: text/xml\r\nContent-Length: %zu\r\n\r\n%s",
		     port, strlen(body), body) < 0)
		exit(71);
	return s;
}

static void send_step(struct host *h)
{
	if (write(h->fd, requests[h->step], request_len[h->step]) != (ssize_t)request_len[h->step]) {
		perror("xapi-floor: write");
		exit(1);
	}
	h->got = h->need = h->head_len = 0;
}

/* 1: the host is done (its third answer came whole), -1: it failed. */
static int on_readable(struct host *h, char *scratch, size_t size)
{
	for (;;) {
		ssize_t n = read(h->fd, scratch, size);
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;
		h->got += (size_t)n;
		if (!h->need) {
			size_t take = (size_t)n < HEAD_MAX - 1 - h->head_len ? (size_t)n
									    : HEAD_MAX - 1 - h->head_len;
			const char *end, *cl;
			memcpy(h->head + h->head_len, scratch, take);
			h->head_len += take;
			h->head[h->head_len] = 0;
			end = strstr(h->head, "\r\n\r\n");
			cl = strstr(h->head, "Content-Length: ");
			if (!end || !cl)
				continue;
			h->need = (size_t)(end - h->head) + 4 + strtoul(cl + 16, NULL, 10);
		}
		if (h->got < h->need)
			continue;
		if (++h->step == 3)
			return 1;
		send_step(h);
	}
}

static void *run(void *arg)
{
	struct shard *s = arg;
	int ep = epoll_create1(0), left = 0, one = 1;
	struct epoll_event evs[256];
	struct host *hosts = calloc(n_hosts / s->step + 1, sizeof(*hosts));
	static __thread char scratch[65536];

	if (ep < 0 || !hosts)
		exit(71);
	for (unsigned i = s->first, k = 0; i < n_hosts; i += s->step, k++) {
		struct host *h = &hosts[k];
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = h };
		sa.sin_addr.s_addr = htonl(0x7f010000u | i);
		h->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (h->fd < 0) {
			perror("xapi-floor: socket");
			exit(71);
		}
		setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(h->fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS) {
			perror("xapi-floor: connect");
			exit(1);
		}
		h->step = -1;
		epoll_ctl(ep, EPOLL_CTL_ADD, h->fd, &ev);
		left++;
	}
	while (left) {
		int n = epoll_wait(ep, evs, 256, 20000);
		if (n <= 0) {
			fprintf(stderr, "xapi-floor: %d hosts did not answer within 20 s\n", left);
			exit(1);
		}
		for (int j = 0; j < n; j++) {
			struct host *h = evs[j].data.ptr;
			int rc;
			if (h->step < 0) {
				struct epoll_event ev = { .events = EPOLLIN, .data.ptr = h };
				h->step = 0;
				epoll_ctl(ep, EPOLL_CTL_MOD, h->fd, &ev);
				send_step(h);
				continue;
			}
			rc = on_readable(h, scratch, sizeof(scratch));
			if (rc < 0) {
				fprintf(stderr, "xapi-floor: host %u failed\n",
					s->first + (unsigned)(h - hosts) * s->step);
				exit(1);
			}
			if (rc) {
				close(h->fd);
				s->answered++;
				left--;
			}
		}
	}
	free(hosts);
	close(ep);
	return NULL;
}

int main(int argc, char **argv)
{
	struct shard shards[64];
	unsigned n_shards = 1, answered = 0;
	struct rlimit rl;
	struct rusage ru;
	cpu_set_t cpus;
	double t0;

	if (argc != 3) {
		fprintf(stderr, "usage: xapi-floor PORT HOSTS\n");
		return 64;
	}
	port = (unsigned)atoi(argv[1]);
	n_hosts = (unsigned)atoi(argv[2]);
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* the poller's rule: a thread per processor, 256 hosts a thread at least */
	if (!sched_getaffinity(0, sizeof(cpus), &cpus))
		n_shards = (unsigned)CPU_COUNT(&cpus);
	if (n_shards > n_hosts / 256)
		n_shards = n_hosts / 256;
	if (n_shards > 64)
		n_shards = 64;
	if (!n_shards)
		n_shards = 1;
	requests[0] = request("<?xml version=\"1.0\"?>\n<methodCall><methodName>"
			      "session.login_with_password</methodName><params>"
			      "<param><value><string>root</string></value></param>"
			      "<param><value><string>bench</string></value></param>"
			      "<param><value><string>1.0</string></value></param>"
			      "<param><value><string>xvmon</string></value></param>"
			      "</params></methodCall>\n");
	requests[1] = request("<?xml version=\"1.0\"?>\n<methodCall><methodName>event.from"
			      "</methodName><params><param><value><string>OpaqueRef:session-1"
			      "</string></value></param><param><value><array><data>"
			      "<value><string>pool</string></value><value><string>host</string>"
			      "</value><value><string>host_metrics</string></value><value>"
			      "<string>VM</string></value><value><string>VM_metrics</string>"
			      "</value></data></array></value></param><param><value><string>"
			      "</string></value></param><param><value><double>0</double></value>"
			      "</param></params></methodCall>\n");
	requests[2] = request("<?xml version=\"1.0\"?>\n<methodCall><methodName>session.logout"
			      "</methodName><params><param><value><string>OpaqueRef:session-1"
			      "</string></value></param></params></methodCall>\n");
	for (int i = 0; i < 3; i++)
		request_len[i] = strlen(requests[i]);
	t0 = now_s();
	for (unsigned k = 0; k < n_shards; k++) {
		shards[k] = (struct shard){ .first = k, .step = n_shards };
		if (pthread_create(&shards[k].thread, NULL, run, &shards[k]))
			return 71;
	}
	for (unsigned k = 0; k < n_shards; k++) {
		pthread_join(shards[k].thread, NULL);
		answered += shards[k].answered;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%u answered, %.2f s wall, CPU %.2f+%.2f s, %u threads\n", answered, now_s() - t0,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, n_shards);
	return answered == n_hosts ? 0 : 1;
}
