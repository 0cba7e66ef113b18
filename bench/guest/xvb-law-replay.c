/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvb-law-replay: the C half of the differential test of xvb-balloond's law
 * against the 2008 xenballoond (tests/integration/t5100-bench-balloon-law.sh).
 *
 * Reads traces on stdin and prints, for every step, what xvb_balloon_step()
 * decided, in the form the test's bash half prints for the original script:
 *
 *   T ID SELF SELF_INTERVAL INTERVAL DOWN UP MINMEM XENSTORE MAXMEM
 *       starts trace ID: xenballoon.conf values (SELF and XENSTORE: true or
 *       false), MAXMEM the maxmem file's initial content (-1: no file)
 *   S MEMTOTAL COMMITTED SELFBALLOON TARGET DOWN UP INTERVAL
 *       one period: /proc/meminfo MemTotal and Committed_AS (KiB), then the
 *       xenstore keys under memory/ ("-": the key does not exist)
 *
 * Output per step: "ID STEP BALLOON SELFTARGET INTERVAL MAXMEM" where
 * BALLOON is the bytes written to the balloon and SELFTARGET the KiB
 * published ("-": nothing written), or "ID STEP DIED" when the 2008 loop
 * would have ended there; a trace prints nothing after DIED. */
#include "balloon_law.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int opt_key(const char *s, bool *has, int64_t *v)
{
	char *end;

	*has = strcmp(s, "-") != 0;
	if (!*has)
		return 0;
	*v = strtoll(s, &end, 10);
	return *end ? -1 : 0;
}

int main(void)
{
	struct xvb_balloon_conf conf;
	struct xvb_balloon_state st = { 0 };
	char line[512], id[64] = "?";
	unsigned step = 0;
	bool dead = false;

	xvb_balloon_conf_defaults(&conf);
	while (fgets(line, sizeof(line), stdin)) {
		char self[8], xs[8], a[5][32];
		long long si, iv, dn, up, mm, maxmem, memtotal, committed;

		if (line[0] == 'T') {
			if (sscanf(line, "T %63s %7s %lld %lld %lld %lld %lld %7s %lld", id, self, &si, &iv,
				   &dn, &up, &mm, xs, &maxmem) != 9)
				goto bad;
			conf.self = !strcmp(self, "true");
			conf.self_interval = si;
			conf.interval = iv;
			conf.down = dn;
			conf.up = up;
			conf.minmem_mib = mm;
			conf.xenstore = !strcmp(xs, "true");
			st.maxmem_kib = maxmem < 0 ? 0 : maxmem;
			step = 0;
			dead = false;
		} else if (line[0] == 'S') {
			struct xvb_balloon_input in;
			struct xvb_balloon_decision d;

			memset(&in, 0, sizeof(in));
			if (sscanf(line, "S %lld %lld %31s %31s %31s %31s %31s", &memtotal, &committed, a[0],
				   a[1], a[2], a[3], a[4]) != 7)
				goto bad;
			in.memtotal_kib = memtotal;
			in.cur_kib = memtotal; /* the 2008 base */
			in.committed_kib = committed;
			if (opt_key(a[0], &in.xs.has_selfballoon, &in.xs.selfballoon) ||
			    opt_key(a[1], &in.xs.has_target, &in.xs.target_kib) ||
			    opt_key(a[2], &in.xs.has_down, &in.xs.down) ||
			    opt_key(a[3], &in.xs.has_up, &in.xs.up) ||
			    opt_key(a[4], &in.xs.has_interval, &in.xs.interval))
				goto bad;
			step++;
			if (dead)
				continue;
			xvb_balloon_step(&conf, &in, &st, &d);
			if (d.died) {
				printf("%s %u DIED\n", id, step);
				dead = true;
				continue;
			}
			printf("%s %u ", id, step);
			if (d.write)
				printf("%lld ", (long long)d.target_bytes);
			else
				printf("- ");
			if (d.publish)
				printf("%lld ", (long long)d.selftarget_kib);
			else
				printf("- ");
			printf("%lld %lld\n", (long long)d.interval, (long long)st.maxmem_kib);
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "xvb-law-replay: bad input line: %s", line);
	return 65;
}
