/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_bench_data.c: run data goes to CSV in a fixed, C-locale form and comes
 * back unchanged; malformed files are reported with FILE:LINE. */
#include "harness.h"
#include "data.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

static const char *dir;
static struct xv_error err;

static char *slurp(const char *name)
{
	static char buf[8192];
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void spit(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Writes run.done for the three CSV files as they are now, as a run would
 * (so a test can feed the loader files of its own). */
static void reseal(void)
{
	static const char *const names[] = { "samples.csv", "guests.csv", "events.csv" };
	char line[256], manifest[1024] = "xvmon-bench run: complete\n";

	for (size_t i = 0; i < 3; i++) {
		const char *text = slurp(names[i]);
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t n = text ? strlen(text) : 0;
		for (size_t k = 0; k < n; k++) {
			h ^= (unsigned char)text[k];
			h *= 0x100000001b3ULL;
		}
		snprintf(line, sizeof(line), "%s %zu %016llx\n", names[i], n, (unsigned long long)h);
		strcat(manifest, line);
	}
	spit("run.done", manifest);
}

static void fill(struct xv_bench_data *d)
{
	struct xv_bench_sample *s;
	struct xv_bench_gsample *g;
	struct xv_bench_rec_event *e;

	xv_bench_data_init(d);
	d->nprofiles = 2;
	strcpy(d->profile_names[0], "plain");
	strcpy(d->profile_names[1], "stress");
	xv_bench_data_add_guest(d, "stress-001");
	s = xv_bench_data_add_sample(d);
	s->time_ms = 12500;
	s->step = 1;
	s->guests = 2;
	s->added = 1;
	s->total_kib = 50331648;
	s->free_kib = 40000000;
	s->xen_kib = 573440;
	s->dom0_kib = 524288;
	s->guests_kib = 9233920;
	s->memory_kib = 5242880;
	s->count[0] = 1;
	s->count[1] = 1;
	s->alloc_kib[0] = 1048576;
	s->alloc_kib[1] = 1603000;
	g = xv_bench_data_add_gsample(d);
	g->time_ms = 12500;
	g->guest = 0;
	g->profile = 1;
	g->memory_kib = 4194304;
	g->alloc_kib = 1603000;
	g->target_kib = 1500000;
	g->committed_kib = 1478656;
	g->ws_kib = 300000;
	e = xv_bench_data_add_event(d);
	e->time_ms = 31000;
	e->kind = XV_EV_CREATE_FAILED;
	e->guest = 0;
	e->profile = 1;
	e->guests = 2;
	e->added = 1;
	e->value_kib = 4194304;
	e->text = xv_strdup("cannot create 'x': \"short\", really");
	e = xv_bench_data_add_event(d);
	e->time_ms = 40000;
	e->kind = XV_EV_DOM0_BALLOON;
	e->value_kib = 524288;
	e->value2_kib = 200704;
}

DEF_TEST(csv_form)
{
	struct xv_bench_data d;

	fill(&d);
	EXPECT_EQ_INT(0, xv_bench_data_write(&d, dir, &err));
	EXPECT_EQ_STR("time_s,step,guests,added,booting,swapping,failures,host_total_kib,host_free_kib,"
		      "host_used_kib,xen_kib,dom0_kib,guest_alloc_kib,guest_memory_kib,swap_kib,"
		      "guests_plain,guests_stress,alloc_plain_kib,alloc_stress_kib\n"
		      "12.5,1,2,1,0,0,0,50331648,40000000,10331648,573440,524288,9233920,5242880,0,"
		      "1,1,1048576,1603000\n",
		      slurp("samples.csv"));
	EXPECT_EQ_STR("time_s,guest,profile,booting,memory_kib,alloc_kib,target_kib,committed_kib,"
		      "ws_kib,swap_kib\n"
		      "12.5,stress-001,stress,0,4194304,1603000,1500000,1478656,300000,0\n",
		      slurp("guests.csv"));
	EXPECT_EQ_STR("time_s,event,guest,profile,guests,added,value_kib,value2_kib,text\n"
		      "31,create_failed,stress-001,stress,2,1,4194304,0,"
		      "\"cannot create 'x': \"\"short\"\", really\"\n"
		      "40,dom0_balloon,,,0,0,524288,200704,\n",
		      slurp("events.csv"));
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(round_trip)
{
	struct xv_bench_data d, back;

	fill(&d);
	EXPECT_EQ_INT(0, xv_bench_data_write(&d, dir, &err));
	if (xv_bench_data_load(&back, dir, &err))
		FAIL_AT("%s", err.msg);
	EXPECT_EQ_INT(2, back.nprofiles);
	EXPECT_EQ_STR("stress", back.profile_names[1]);
	EXPECT_EQ_INT(1, back.nsamples);
	EXPECT_TRUE(!memcmp(&d.samples[0], &back.samples[0], sizeof(d.samples[0])));
	EXPECT_EQ_INT(1, back.ngsamples);
	EXPECT_TRUE(!memcmp(&d.gsamples[0], &back.gsamples[0], sizeof(d.gsamples[0])));
	EXPECT_EQ_INT(2, back.nevents);
	EXPECT_EQ_INT(XV_EV_CREATE_FAILED, back.events[0].kind);
	EXPECT_EQ_STR(d.events[0].text, back.events[0].text);
	EXPECT_EQ_STR("stress-001", back.guest_names[back.events[0].guest]);
	EXPECT_EQ_INT(-1, back.events[1].guest);
	EXPECT_EQ_U64(200704, back.events[1].value2_kib);
	EXPECT_TRUE(!back.interrupted);
	xv_bench_data_release(&back);
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(malformed_files)
{
	struct xv_bench_data d, back;
	char expect[256];

	fill(&d);
	EXPECT_EQ_INT(0, xv_bench_data_write(&d, dir, &err));
	xv_bench_data_release(&d);
	spit("samples.csv", "time_s,step\n1,2\n");
	/* a file that is not the run's */
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	EXPECT_EQ_INT(XV_E_DATA, err.code);
	EXPECT_CONTAINS("/samples.csv' does not match ", err.msg);
	EXPECT_CONTAINS("/run.done (16 bytes, expected ", err.msg);
	reseal();
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	snprintf(expect, sizeof(expect), "%s/samples.csv:1: no column 'guests'", dir);
	EXPECT_EQ_STR(expect, err.msg);

	fill(&d);
	EXPECT_EQ_INT(0, xv_bench_data_write(&d, dir, &err));
	xv_bench_data_release(&d);
	spit("events.csv", "time_s,event,guest,profile,guests,added,value_kib,value2_kib,text\n"
			   "1,create,,,1,1,0,0,\n2,explode,,,1,1,0,0,\n");
	reseal();
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	snprintf(expect, sizeof(expect), "%s/events.csv:3: unknown event 'explode'", dir);
	EXPECT_EQ_STR(expect, err.msg);

	spit("events.csv", "time_s,event,guest,profile,guests,added,value_kib,value2_kib,text\n"
			   "1,create,,,x,1,0,0,\n");
	reseal();
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	snprintf(expect, sizeof(expect), "%s/events.csv:2: field 5: 'x' is not a whole number", dir);
	EXPECT_EQ_STR(expect, err.msg);

	spit("guests.csv", "");
	reseal();
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	snprintf(expect, sizeof(expect), "%s/guests.csv:1: no header row", dir);
	EXPECT_EQ_STR(expect, err.msg);

	unlink(strcat(strcpy(expect, dir), "/guests.csv"));
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	EXPECT_CONTAINS("guests.csv': No such file or directory", err.msg);
	EXPECT_EQ_INT(XV_E_NOINPUT, err.code);

	/* no run.done: not a complete run */
	unlink(strcat(strcpy(expect, dir), "/run.done"));
	EXPECT_EQ_INT(-1, xv_bench_data_load(&back, dir, &err));
	EXPECT_EQ_INT(XV_E_NOINPUT, err.code);
	EXPECT_CONTAINS("' is not a complete xvmon-bench run: cannot open '", err.msg);
	return 0;
}

DEF_TEST(interrupted_flag_survives)
{
	struct xv_bench_data d, back;

	fill(&d);
	xv_bench_data_add_event(&d)->kind = XV_EV_INTERRUPTED;
	EXPECT_EQ_INT(0, xv_bench_data_write(&d, dir, &err));
	EXPECT_EQ_INT(0, xv_bench_data_load(&back, dir, &err));
	EXPECT_TRUE(back.interrupted);
	xv_bench_data_release(&back);
	xv_bench_data_release(&d);
	return 0;
}

int main(void)
{
	dir = harness_temp_dir();
	RUN_TEST(csv_form);
	RUN_TEST(round_trip);
	RUN_TEST(malformed_files);
	RUN_TEST(interrupted_flag_survives);
	END_TEST;
}
