/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver.c: runs a fuzz target without libFuzzer, for make check.
 *
 *   fuzz_x CORPUS_DIR [ITERATIONS]
 *
 * Every corpus file is run as is, then ITERATIONS mutations of them (bit
 * flips, byte changes, inserts, deletes, splices, interesting bytes) from a
 * fixed seed, so a failure reproduces exactly.  A crash or sanitizer report
 * ends the run; the input is written to fuzz-crash-NAME for replay. */
#include "fuzz.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#define FUZZ_MAX_INPUT 4096
#define MAX_CORPUS 256

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	/* xorshift64*: small and good enough to pick mutations */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

struct input {
	uint8_t *data;
	size_t size;
};

static struct input corpus[MAX_CORPUS];
static size_t n_corpus;
static const char *current_name = "mutation";

static void load_corpus(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "cannot open corpus '%s'\n", dir);
		exit(2);
	}
	while ((e = readdir(d)) && n_corpus < MAX_CORPUS) {
		char path[4096];
		FILE *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		corpus[n_corpus].data = malloc(FUZZ_MAX_INPUT);
		corpus[n_corpus].size = fread(corpus[n_corpus].data, 1, FUZZ_MAX_INPUT, f);
		fclose(f);
		n_corpus++;
	}
	closedir(d);
	if (!n_corpus) {
		fprintf(stderr, "corpus '%s' is empty\n", dir);
		exit(2);
	}
}

static const uint8_t interesting[] = { 0, '\n', '\r', ' ', '\t', '=', ':', '[', ']', ';', '#',
				       '"', '@', '~', '%', '-', '.', '0', '9', 'G', 'K', 'x',
				       0x7f, 0x80, 0xc3, 0xff };

static size_t mutate(uint8_t *buf, size_t size)
{
	int rounds = 1 + (int)(next() % 4);

	while (rounds--) {
		size_t pos = size ? next() % size : 0;
		switch (next() % 6) {
		case 0: /* flip a bit */
			if (size)
				buf[pos] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1: /* set an interesting byte */
			if (size)
				buf[pos] = interesting[next() % sizeof(interesting)];
			break;
		case 2: /* insert a byte */
			if (size < FUZZ_MAX_INPUT) {
				memmove(buf + pos + 1, buf + pos, size - pos);
				buf[pos] = interesting[next() % sizeof(interesting)];
				size++;
			}
			break;
		case 3: /* delete a run */
			if (size) {
				size_t n = 1 + next() % 8;
				if (n > size - pos)
					n = size - pos;
				memmove(buf + pos, buf + pos + n, size - pos - n);
				size -= n;
			}
			break;
		case 4: { /* splice in part of another corpus entry */
			struct input *o = &corpus[next() % n_corpus];
			size_t from = o->size ? next() % o->size : 0;
			size_t n = o->size - from;
			if (n > 32)
				n = 1 + next() % 32;
			if (size + n <= FUZZ_MAX_INPUT) {
				memmove(buf + pos + n, buf + pos, size - pos);
				memcpy(buf + pos, o->data + from, n);
				size += n;
			}
			break;
		}
		default: /* duplicate a run */
			if (size && size < FUZZ_MAX_INPUT / 2) {
				size_t n = 1 + next() % 16;
				if (n > size - pos)
					n = size - pos;
				memmove(buf + pos + n, buf + pos, size - pos);
				size += n;
			}
			break;
		}
	}
	return size;
}

static void run_one(const uint8_t *data, size_t size)
{
	/* keep the input where a crash report can find it */
	FILE *f = fopen("fuzz-last-input", "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
	(void)current_name;
	LLVMFuzzerTestOneInput(data, size);
}

int main(int argc, char **argv)
{
	long iterations = argc > 2 ? atol(argv[2]) : 20000;
	uint8_t *buf = malloc(FUZZ_MAX_INPUT);

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS]\n", argv[0]);
		return 2;
	}
	load_corpus(argv[1]);
	for (size_t i = 0; i < n_corpus; i++)
		run_one(corpus[i].data, corpus[i].size);
	for (long i = 0; i < iterations; i++) {
		struct input *base = &corpus[next() % n_corpus];
		memcpy(buf, base->data, base->size);
		run_one(buf, mutate(buf, base->size));
	}
	printf("%zu corpus inputs and %ld mutations ran clean\n", n_corpus, iterations);
	for (size_t i = 0; i < n_corpus; i++)
		free(corpus[i].data);
	free(buf);
	remove("fuzz-last-input");
	return 0;
}
