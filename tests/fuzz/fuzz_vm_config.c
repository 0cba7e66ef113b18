/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_vm_config.c: reading a VM's name from vm.cfg / xl config text. */
#include "fuzz.h"
#include "vm_repository.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = NULL;
	unsigned line = 0;
	struct xv_error err;

	if (xv_repo_parse_config("vm.cfg", (const char *)data, size, &name, &line, &err)) {
		FUZZ_ASSERT(err.code == XV_E_DATA && !strncmp(err.msg, "vm.cfg:", 7) && !name);
		return 0;
	}
	FUZZ_ASSERT(name && name[0] && line >= 1);
	FUZZ_ASSERT(!strchr(name, '\n'));
	/* the name is a substring of the input */
	FUZZ_ASSERT(memmem(data, size, name, strlen(name)) != NULL);
	free(name);
	return 0;
}
