/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_state_file.c: a check's state file, read a chunk at a time.  What is
 * accepted is sorted and has each VM once, and reads back the same after
 * being written. */
#include "fuzz.h"
#include "state_file.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char path[64], copy[64];
static int fd = -1;

static void remove_files(void)
{
	unlink(path);
	unlink(copy);
}

static void same(const struct xv_state_file *a, const struct xv_state_file *b)
{
	FUZZ_ASSERT(a->time_ms == b->time_ms && a->n_vms == b->n_vms);
	for (size_t i = 0; i < a->n_vms; i++)
		FUZZ_ASSERT(!memcmp(&a->vms[i], &b->vms[i], sizeof(a->vms[i])));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_state_file s, back;
	struct xv_error err;
	int rc;

	/* the loader reads files: two in the working directory, removed at
	 * exit; the input's is kept open and rewritten in place (a file
	 * truncated and closed 20000 times cost seconds of journal flushes) */
	if (fd < 0) {
		snprintf(path, sizeof(path), "fuzz-state-%ld.state", (long)getpid());
		snprintf(copy, sizeof(copy), "fuzz-state-%ld.copy", (long)getpid());
		atexit(remove_files);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		FUZZ_ASSERT(fd >= 0);
	}
	FUZZ_ASSERT(pwrite(fd, data, size, 0) == (ssize_t)size && !ftruncate(fd, (off_t)size));
	rc = xv_state_file_load(path, &s, &err);
	if (rc < 0) {
		/* refused for what is in it, naming the file, keeping nothing */
		FUZZ_ASSERT(err.code == XV_E_DATA && strstr(err.msg, path) && s.n_vms == 0);
		return 0;
	}
	FUZZ_ASSERT(rc == 1 && s.time_ms >= 1);
	for (size_t i = 0; i < s.n_vms; i++) {
		FUZZ_ASSERT(strlen(s.vms[i].uuid) == 36);
		FUZZ_ASSERT(i == 0 || strcmp(s.vms[i - 1].uuid, s.vms[i].uuid) < 0);
		FUZZ_ASSERT(s.vms[i].time_ms >= 1);
	}
	FUZZ_ASSERT(xv_state_file_save(copy, &s, &err) == 0);
	FUZZ_ASSERT(xv_state_file_load(copy, &back, &err) == 1);
	same(&s, &back);
	xv_state_file_release(&back);
	xv_state_file_release(&s);
	return 0;
}
