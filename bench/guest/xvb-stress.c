/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvb-stress: the seed's memory eater (section 2.4.4), parameterised, and a
 * meter of its own speed.  Static, libc only.
 *
 * Each of THREADS threads, forever (or for --duration): malloc()s ALLOC,
 * writes a chunk of random bytes drawn from the chunk distribution into it,
 * frees it, sleeps a time drawn from the sleep distribution.  The seed: 4
 * threads, 1 GB, chunks up to 512 MB, sleeps up to 63 s.
 *
 * It reports what the model needs and nobody had measured: the write rate
 * per thread while writing (KiB/s of wall time, and per CPU-second: what a
 * thread writes when it has a core to itself) and the duty cycle (the share
 * of time a thread spends writing).  Every --report seconds a line
 *   xvb-stress t=S threads=N rounds=R written_kib=W rate_kib_s=X cpu_rate_kib_s=C duty_pct=D
 * goes to stdout and, with --stat-file, replaces that file (the self-balloon
 * daemon publishes it to xenstore memory/stress).  --measure S writes
 * continuously for S seconds (no sleeps) and prints the same line once.
 *
 * Writers: "rand" (default) draws every byte from glibc rand(), as a C eater
 * of the seed's time would; rand() takes a process-wide lock, so threads
 * contend as they did.  "xorshift" writes 8 bytes per step from a private
 * generator: the memory's speed rather than the generator's.
 *
 * Distributions: "fixed:SIZE", "uniform:MIN:MAX" (sizes take K, M, G; times
 * are whole seconds, drawn uniformly as the seed's `sleep $((RANDOM % 64))`). */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct dist {
	uint64_t min, max;
};

struct counters {
	uint64_t written;   /* bytes */
	uint64_t write_ns;  /* time spent writing */
	uint64_t cpu_ns;    /* CPU time the thread used writing */
	uint64_t rounds;
};

static unsigned nthreads = 4;
static uint64_t alloc_bytes = 1ULL << 30;
static struct dist chunk = { 1, 512ULL << 20 };
static struct dist sleep_s = { 0, 63 };
static uint64_t rate_limit; /* bytes/s per thread; 0: none */
static bool use_rand = true;
static unsigned report_s = 10;
static double duration_s, measure_s;
static const char *stat_file;
static struct counters *counters;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t stop;
static uint64_t t0_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t draw(struct dist d, uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return d.max > d.min ? d.min + *x % (d.max - d.min + 1) : d.min;
}

/* Writes n random bytes at p; returns early if asked to stop.  Returns the
 * bytes written. */
static uint64_t fill(unsigned char *p, uint64_t n, uint64_t *x, uint64_t started_ns)
{
	const uint64_t block = 1 << 20;
	uint64_t done;

	for (done = 0; done < n && !stop; done += block) {
		uint64_t len = n - done < block ? n - done : block;
		if (use_rand) {
			for (uint64_t i = 0; i < len; i++)
				p[done + i] = (unsigned char)rand();
		} else {
			uint64_t *q = (uint64_t *)(p + done);
			for (uint64_t i = 0; i < len / 8; i++) {
				*x ^= *x << 13;
				*x ^= *x >> 7;
				*x ^= *x << 17;
				q[i] = *x;
			}
		}
		if (rate_limit) {
			/* keep the average at the limit: sleep until the time
			 * the bytes so far should have taken */
			uint64_t due = started_ns + (done + len) * 1000000000ULL / rate_limit;
			uint64_t t = now_ns();
			if (due > t) {
				struct timespec ts = { (time_t)((due - t) / 1000000000ULL),
						       (long)((due - t) % 1000000000ULL) };
				nanosleep(&ts, NULL);
			}
		}
	}
	return done < n ? done : n;
}

static void *worker(void *arg)
{
	struct counters *c = arg;
	uint64_t x = 0x9e3779b97f4a7c15ULL * (uint64_t)(c - counters + 1) ^ (uint64_t)getpid();

	while (!stop) {
		uint64_t n = measure_s > 0 ? alloc_bytes : draw(chunk, &x);
		unsigned char *p;
		uint64_t t, c0;

		if (n > alloc_bytes)
			n = alloc_bytes;
		p = malloc(alloc_bytes);
		if (!p) {
			fprintf(stderr, "xvb-stress: malloc(%llu): %s\n", (unsigned long long)alloc_bytes,
				strerror(errno));
			sleep(1);
			continue;
		}
		t = now_ns();
		c0 = cpu_ns();
		n = fill(p, n, &x, t);
		t = now_ns() - t;
		c0 = cpu_ns() - c0;
		free(p);
		pthread_mutex_lock(&lock);
		c->written += n;
		c->write_ns += t;
		c->cpu_ns += c0;
		c->rounds++;
		pthread_mutex_unlock(&lock);
		if (measure_s > 0)
			continue;
		for (uint64_t s = draw(sleep_s, &x); s > 0 && !stop; s--)
			sleep(1);
	}
	return NULL;
}

static void report(void)
{
	uint64_t written = 0, ns = 0, cns = 0, rounds = 0, el = now_ns() - t0_ns;
	double rate, cpu_rate, duty;
	char line[256];
	int n;

	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < nthreads; i++) {
		written += counters[i].written;
		ns += counters[i].write_ns;
		cns += counters[i].cpu_ns;
		rounds += counters[i].rounds;
	}
	pthread_mutex_unlock(&lock);
	/* finished rounds only: a write in progress is not counted yet */
	rate = ns ? (double)written / 1024.0 / ((double)ns / 1e9) : 0;
	/* per second of CPU: what the thread would write if it had a core
	 * to itself (the wall rate falls when threads share cores) */
	cpu_rate = cns ? (double)written / 1024.0 / ((double)cns / 1e9) : 0;
	duty = el ? 100.0 * (double)ns / ((double)el * nthreads) : 0;
	n = snprintf(line, sizeof(line),
		     "xvb-stress t=%.0f threads=%u rounds=%llu written_kib=%llu rate_kib_s=%.0f "
		     "cpu_rate_kib_s=%.0f duty_pct=%.1f\n",
		     (double)el / 1e9, nthreads, (unsigned long long)rounds,
		     (unsigned long long)(written / 1024), rate, cpu_rate, duty);
	fputs(line, stdout);
	fflush(stdout);
	if (stat_file) {
		char tmp[512];
		FILE *f;
		snprintf(tmp, sizeof(tmp), "%s.tmp", stat_file);
		f = fopen(tmp, "w");
		if (f) {
			fwrite(line, 1, (size_t)n, f);
			if (!fclose(f))
				rename(tmp, stat_file);
		}
	}
}

static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'G': v <<= 10; /* fall through */
	case 'M': v <<= 10; /* fall through */
	case 'K': v <<= 10; end++; break;
	case '\0': break;
	default: return false;
	}
	if (*end)
		return false;
	*out = v;
	return true;
}

/* "fixed:X" or "uniform:MIN:MAX"; sizes (bytes) or whole seconds. */
static bool parse_dist(const char *s, struct dist *d, bool size)
{
	char a[64], b[64];
	uint64_t x, y;

	if (!strncmp(s, "fixed:", 6)) {
		if (size ? !parse_size(s + 6, &x) : sscanf(s + 6, "%llu", (unsigned long long *)&x) != 1)
			return false;
		d->min = d->max = x;
		return true;
	}
	if (sscanf(s, "uniform:%63[^:]:%63s", a, b) != 2)
		return false;
	if (size ? !parse_size(a, &x) || !parse_size(b, &y)
		 : sscanf(a, "%llu", (unsigned long long *)&x) != 1 ||
			   sscanf(b, "%llu", (unsigned long long *)&y) != 1)
		return false;
	if (x > y)
		return false;
	d->min = x;
	d->max = y;
	return true;
}

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fputs("usage: xvb-stress [-t THREADS] [-a ALLOC] [-c fixed:SIZE|uniform:MIN:MAX]\n"
	      "                  [-s fixed:S|uniform:MIN:MAX] [-w rand|xorshift] [-r RATE/s]\n"
	      "                  [-d SECONDS] [-R SECONDS] [-o STATFILE] [--measure SECONDS]\n"
	      "defaults: the seed's eater: -t 4 -a 1G -c uniform:1:512M -s uniform:0:63 -w rand\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "alloc", required_argument, NULL, 'a' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "sleep", required_argument, NULL, 's' },
		{ "writer", required_argument, NULL, 'w' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "report", required_argument, NULL, 'R' },
		{ "stat-file", required_argument, NULL, 'o' },
		{ "measure", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	pthread_t *tids;
	uint64_t next_report;
	struct sigaction sa;
	int c;

	while ((c = getopt_long(argc, argv, "t:a:c:s:w:r:d:R:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': nthreads = (unsigned)atoi(optarg); if (nthreads < 1 || nthreads > 256) goto bad; break;
		case 'a': if (!parse_size(optarg, &alloc_bytes) || !alloc_bytes) goto bad; break;
		case 'c': if (!parse_dist(optarg, &chunk, true)) goto bad; break;
		case 's': if (!parse_dist(optarg, &sleep_s, false)) goto bad; break;
		case 'w':
			if (!strcmp(optarg, "rand")) use_rand = true;
			else if (!strcmp(optarg, "xorshift")) use_rand = false;
			else goto bad;
			break;
		case 'r': if (!parse_size(optarg, &rate_limit)) goto bad; break;
		case 'd': duration_s = atof(optarg); break;
		case 'R': report_s = (unsigned)atoi(optarg); if (!report_s) goto bad; break;
		case 'o': stat_file = optarg; break;
		case 'm': measure_s = atof(optarg); if (measure_s <= 0) goto bad; break;
		case 'h': usage(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	srand((unsigned)getpid());
	if (measure_s > 0 && alloc_bytes > (64ULL << 20) && chunk.max == 512ULL << 20)
		alloc_bytes = 64ULL << 20; /* a meter needs no gigabyte */
	counters = calloc(nthreads, sizeof(*counters));
	tids = calloc(nthreads, sizeof(*tids));
	if (!counters || !tids)
		return 70;
	t0_ns = now_ns();
	for (unsigned i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, &counters[i])) {
			fprintf(stderr, "xvb-stress: cannot start thread %u\n", i);
			return 70;
		}
	next_report = t0_ns + (uint64_t)report_s * 1000000000ULL;
	for (;;) {
		uint64_t t = now_ns();
		double limit = measure_s > 0 ? measure_s : duration_s;

		if (limit > 0 && (double)(t - t0_ns) / 1e9 >= limit)
			stop = 1;
		if (stop)
			break;
		if (t >= next_report && measure_s <= 0) {
			report();
			next_report += (uint64_t)report_s * 1000000000ULL;
		}
		usleep(100000);
	}
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	report();
	free(tids);
	free(counters);
	return 0;
bad:
	usage(stderr);
	return 64;
}
