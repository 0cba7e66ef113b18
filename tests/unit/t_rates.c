/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_rates.c: counter differences over time, in integers rounded down. */
#include "harness.h"
#include "rates.h"

/* One domain at a time, its detail here (a snapshot would own it). */
static struct xv_domain_detail detail;

static struct xv_domain dom(void)
{
	struct xv_domain d;

	memset(&d, 0, sizeof(d));
	xv_domain_detail_clear(&detail);
	d.detail = &detail;
	d.id = 5;
	d.vcpus = 4;
	strcpy(d.uuid, "4040ea19-f63d-4d3d-b947-37ed993a397c");
	d.cpu_ns = 1000ULL * 1000000000;
	d.cpu_wait_ns = 10ULL * 1000000000;
	d.detail->guest.swap_in_kib = 100 * 1024;
	d.detail->guest.swap_out_kib = 200 * 1024;
	d.detail->io = (struct xv_domain_io){ 1000, 2000, 1, 1, 3000, 4000, 1, 1 };
	return d;
}

DEF_TEST(rates_from_two_readings)
{
	struct xv_domain d = dom();
	struct xv_state_file prev;
	struct xv_rates r;

	xv_state_file_init(&prev);
	xv_state_file_add(&prev, &d, 1000000);
	xv_state_file_sort(&prev);
	/* 60 s later */
	d.cpu_ns += 216ULL * 1000000000;   /* 216 s / (60 s x 4) = 90.0% */
	d.cpu_wait_ns += 1ULL * 1000000000 + 200000000; /* 1.2 s / 240 s = 0.5% */
	d.detail->guest.swap_in_kib += 30 * 1024;  /* 60 MiB / 60 s = 1 MiB/s */
	d.detail->guest.swap_out_kib += 30 * 1024;
	d.detail->io.disk_read_bytes += 61;        /* 61 B / 60 s = 1.01 -> 1 */
	d.detail->io.net_tx_bytes += 6 * 1048576;  /* 104857.6 -> 104857 */
	EXPECT_EQ_INT(XV_RATES_MEASURED,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 1060000, &r));
	EXPECT_TRUE(r.has[XV_RATE_CPU]);
	EXPECT_EQ_U64(900, r.value[XV_RATE_CPU]);
	EXPECT_EQ_U64(5, r.value[XV_RATE_CPU_WAIT]);
	EXPECT_EQ_U64(1048576, r.value[XV_RATE_SWAP]);
	EXPECT_EQ_U64(1, r.value[XV_RATE_DISK_READ]);
	EXPECT_EQ_U64(0, r.value[XV_RATE_DISK_WRITE]);
	EXPECT_EQ_U64(104857, r.value[XV_RATE_NET_TX]);
	EXPECT_EQ_STR("net_tx", xv_rate_name(XV_RATE_NET_TX));

	/* no previous reading, another domain id, time not forward, a counter
	 * that went down: no rate at all */
	EXPECT_EQ_INT(XV_RATES_NO_PREVIOUS, xv_rates_compute(NULL, &d, 1060000, &r));
	EXPECT_TRUE(!r.has[XV_RATE_CPU]);
	EXPECT_EQ_INT(XV_RATES_NO_INTERVAL,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 1000000, &r));
	d.id = 6;
	EXPECT_EQ_INT(XV_RATES_RESTARTED,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 1060000, &r));
	d.id = 5;
	d.detail->io.net_rx_bytes = 1;
	EXPECT_EQ_INT(XV_RATES_RESTARTED,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 1060000, &r));
	EXPECT_TRUE(!r.has[XV_RATE_CPU]);
	/* unknown counters: those rates only are missing */
	d = dom();
	d.cpu_ns = XV_COUNTER_UNKNOWN;
	d.detail->guest.swap_out_kib = XV_COUNTER_UNKNOWN;
	EXPECT_EQ_INT(XV_RATES_MEASURED,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 1060000, &r));
	EXPECT_TRUE(!r.has[XV_RATE_CPU]);
	EXPECT_TRUE(!r.has[XV_RATE_SWAP]);
	EXPECT_TRUE(r.has[XV_RATE_CPU_WAIT]);
	xv_state_file_release(&prev);
	return 0;
}

DEF_TEST(huge_counters_do_not_overflow)
{
	struct xv_domain d = dom();
	struct xv_state_file prev;
	struct xv_rates r;

	d.cpu_ns = 0;
	xv_state_file_init(&prev);
	xv_state_file_add(&prev, &d, 1);
	xv_state_file_sort(&prev);
	d.cpu_ns = UINT64_MAX - 1; /* 584 years of CPU in 1 ms: exact, not wrapped */
	EXPECT_EQ_INT(XV_RATES_MEASURED,
		      xv_rates_compute(xv_state_file_find(&prev, d.uuid), &d, 2, &r));
	/* (2^64 - 2) ns x 1000 / (1 ms x 10^6 x 4 vcpus), in 128 bits */
	EXPECT_EQ_U64(4611686018427387ULL, r.value[XV_RATE_CPU]);
	xv_state_file_release(&prev);
	return 0;
}

DEF_TEST(host_cpu)
{
	struct xv_snapshot s;
	struct xv_state_file prev;
	unsigned permille;

	xv_snapshot_init(&s);
	s.host.cpus = 8;
	s.time_ms = 1000000;
	struct xv_domain *a = xv_snapshot_add_domain(&s);
	strcpy(a->uuid, "00000000-0000-0000-0000-000000000000");
	a->cpu_ns = 5000ULL * 1000000000;
	struct xv_domain *b = xv_snapshot_add_domain(&s);
	b->id = 1;
	strcpy(b->uuid, "4040ea19-f63d-4d3d-b947-37ed993a397c");
	b->cpu_ns = 100ULL * 1000000000;
	EXPECT_TRUE(!xv_rates_host_cpu(&(struct xv_state_file){ 0 }, &s, &permille));
	xv_rates_reading(&s, &prev);
	s.time_ms += 60000;
	a->cpu_ns += 12ULL * 1000000000;
	b->cpu_ns += 282600000000ULL; /* 12 + 282.6 = 294.6 s / 480 s = 61.375% */
	EXPECT_TRUE(xv_rates_host_cpu(&prev, &s, &permille));
	EXPECT_EQ_INT(613, permille);
	b->id = 9; /* restarted: counts for nothing */
	EXPECT_TRUE(xv_rates_host_cpu(&prev, &s, &permille));
	EXPECT_EQ_INT(25, permille); /* 12 / 480 */
	xv_state_file_release(&prev);
	s.domains[0].name = NULL;
	xv_snapshot_release(&s);
	return 0;
}

int main(void)
{
	RUN_TEST(rates_from_two_readings);
	RUN_TEST(huge_counters_do_not_overflow);
	RUN_TEST(host_cpu);
	END_TEST;
}
