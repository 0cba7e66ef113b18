/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_bench_data.c: the CSV files `xvmon-bench plot` reads never crash the
 * loader or the analysis, whatever they hold; a refusal names its file, and
 * what is accepted is within the bounds of a run.  The input is the three
 * files, samples.csv, guests.csv and events.csv, separated by form feeds. */
#include "fuzz.h"
#include "analysis.h"
#include "data.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_buf text[3];
	struct xv_bench_data d;
	struct xv_error e;
	size_t part = 0;

	for (int i = 0; i < 3; i++)
		xv_buf_init(&text[i]);
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\f' && part < 2)
			part++;
		else
			xv_buf_addch(&text[part], (char)data[i]);
	}
	/* xv_file_read() refuses NUL bytes in a text file before parsing */
	for (int i = 0; i < 3; i++)
		if (memchr(text[i].data, '\0', text[i].len))
			goto out;
	if (xv_bench_data_parse(&d, "run", text, &e)) {
		FUZZ_ASSERT(!strncmp(e.msg, "run/", 4));
		FUZZ_ASSERT(e.code == XV_E_DATA);
	} else {
		struct xv_bench_results res;

		FUZZ_ASSERT(d.nsamples <= XV_BENCH_MAX_HOST_ROWS);
		FUZZ_ASSERT(d.nprofiles <= XV_BENCH_MAX_PROFILES);
		for (size_t i = 0; i < d.nsamples; i++)
			FUZZ_ASSERT(d.samples[i].free_kib <= d.samples[i].total_kib &&
				    d.samples[i].added <= XV_BENCH_MAX_GUESTS);
		for (size_t i = 0; i < d.ngsamples; i++)
			FUZZ_ASSERT(d.gsamples[i].guest < d.nguests &&
				    d.gsamples[i].profile < d.nprofiles);
		xv_bench_analyze(&d, NULL, 0, &res);
		FUZZ_ASSERT(res.nrows <= d.nsamples);
		xv_bench_results_release(&res);
		xv_bench_data_release(&d);
	}
out:
	for (int i = 0; i < 3; i++)
		xv_buf_release(&text[i]);
	return 0;
}
