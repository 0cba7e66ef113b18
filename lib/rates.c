/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rates.c: counter differences over time, in integers. */
#include "rates.h"

#include <stdlib.h>
#include <string.h>

/* floor(delta * scale / div) without overflow (both factors up to 2^64). */
static uint64_t scaled(uint64_t delta, uint64_t scale, unsigned __int128 div)
{
	unsigned __int128 v = (unsigned __int128)delta * scale / div;

	return v > UINT64_MAX - 1 ? UINT64_MAX - 1 : (uint64_t)v;
}

/* The difference of a counter, false if either end is unknown or it went down. */
static bool delta(const struct xv_state_vm *prev, const struct xv_domain *d, enum xv_counter c,
		  uint64_t *out, bool *went_down)
{
	uint64_t a = prev->counter[c], b = xv_domain_counter(d, c);

	if (a == XV_COUNTER_UNKNOWN || b == XV_COUNTER_UNKNOWN)
		return false;
	if (b < a) {
		*went_down = true;
		return false;
	}
	*out = b - a;
	return true;
}

enum xv_rates_status xv_rates_compute(const struct xv_state_vm *prev, const struct xv_domain *d,
				      uint64_t now_ms, struct xv_rates *out)
{
	static const struct {
		enum xv_rate rate;
		enum xv_counter counter;
	} traffic[] = {
		{ XV_RATE_DISK_READ, XV_CTR_DISK_READ_BYTES },
		{ XV_RATE_DISK_WRITE, XV_CTR_DISK_WRITE_BYTES },
		{ XV_RATE_NET_RX, XV_CTR_NET_RX_BYTES },
		{ XV_RATE_NET_TX, XV_CTR_NET_TX_BYTES },
	};
	uint64_t dt_ms, v, in, out_kib;
	bool down = false;

	memset(out, 0, sizeof(*out));
	if (!prev)
		return XV_RATES_NO_PREVIOUS;
	if (prev->domid != d->id)
		return XV_RATES_RESTARTED;
	if (now_ms <= prev->time_ms)
		return XV_RATES_NO_INTERVAL;
	dt_ms = now_ms - prev->time_ms;
	if (d->vcpus) {
		/* ns over (ms * 1e6 * vcpus), in tenths of a percent */
		if (delta(prev, d, XV_CTR_CPU_NS, &v, &down)) {
			out->has[XV_RATE_CPU] = true;
			out->value[XV_RATE_CPU] = scaled(v, 1000, (unsigned __int128)dt_ms * 1000000 * d->vcpus);
		}
		if (delta(prev, d, XV_CTR_CPU_WAIT_NS, &v, &down)) {
			out->has[XV_RATE_CPU_WAIT] = true;
			out->value[XV_RATE_CPU_WAIT] = scaled(v, 1000, (unsigned __int128)dt_ms * 1000000 * d->vcpus);
		}
	}
	if (delta(prev, d, XV_CTR_SWAP_IN_KIB, &in, &down) &&
	    delta(prev, d, XV_CTR_SWAP_OUT_KIB, &out_kib, &down)) {
		out->has[XV_RATE_SWAP] = true;
		/* each counter is at most 2^53 KiB: the sum in bytes fits */
		out->value[XV_RATE_SWAP] = scaled((in + out_kib) * 1024, 1000, dt_ms);
	}
	for (size_t i = 0; i < sizeof(traffic) / sizeof(traffic[0]); i++) {
		if (delta(prev, d, traffic[i].counter, &v, &down)) {
			out->has[traffic[i].rate] = true;
			out->value[traffic[i].rate] = scaled(v, 1000, dt_ms);
		}
	}
	if (down) {
		memset(out, 0, sizeof(*out));
		return XV_RATES_RESTARTED;
	}
	return XV_RATES_MEASURED;
}

bool xv_rates_host_cpu(const struct xv_state_file *prev, const struct xv_snapshot *snap,
		       unsigned *permille)
{
	unsigned __int128 used_ns = 0;
	uint64_t dt_ms;

	if (!prev->time_ms || snap->time_ms <= prev->time_ms || !snap->host.cpus)
		return false;
	dt_ms = snap->time_ms - prev->time_ms;
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		const struct xv_state_vm *p = xv_state_file_find(prev, d->uuid);
		if (p && p->domid == d->id && p->counter[XV_CTR_CPU_NS] != XV_COUNTER_UNKNOWN &&
		    d->cpu_ns != XV_COUNTER_UNKNOWN && d->cpu_ns >= p->counter[XV_CTR_CPU_NS])
			used_ns += d->cpu_ns - p->counter[XV_CTR_CPU_NS];
	}
	used_ns = used_ns * 1000 / ((unsigned __int128)dt_ms * 1000000 * snap->host.cpus);
	*permille = used_ns > 1000000 ? 1000000 : (unsigned)used_ns;
	return true;
}

void xv_rates_reading(const struct xv_snapshot *snap, struct xv_state_file *out)
{
	xv_state_file_init(out);
	out->time_ms = snap->time_ms;
	for (size_t i = 0; i < snap->n_domains; i++)
		xv_state_file_add(out, &snap->domains[i], snap->time_ms);
	xv_state_file_sort(out);
}

const char *xv_rate_name(enum xv_rate r)
{
	static const char *const names[XV_RATE_COUNT] = {
		"cpu", "cpu_wait", "swap", "disk_read", "disk_write", "net_rx", "net_tx",
	};

	return (unsigned)r < XV_RATE_COUNT ? names[r] : "unknown";
}
