/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: checked, ordered, shell-free hook runs (see hooks.h). */
#include "hooks.h"
#include "clock.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int safe(const char *path, const struct stat *st, const char *what, struct xv_error *e)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return xv_error(e, XV_E_CONFIG, "%s '%s' belongs to uid %u, neither root nor us: "
				"refusing to run hooks from it", what, path, (unsigned)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return xv_error(e, XV_E_CONFIG, "%s '%s' is %s-writable (mode %04o): refusing to "
				"run hooks others can change", what, path,
				st->st_mode & S_IWOTH ? "world" : "group", st->st_mode & 07777);
	return 0;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
		      ('0' <= *s && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int hooks_load(struct hooks *h, const char *dir, int optional, struct xv_error *e)
{
	struct dirent **list = NULL;
	struct stat st;
	int n, rc = -1;

	memset(h, 0, sizeof(*h));
	h->dir = xv_strdup(dir);
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT && optional)
			return 0;
		return xv_error(e, XV_E_NOINPUT, "cannot use hooks directory '%s': %s", dir,
				strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return xv_error(e, XV_E_NOINPUT, "hooks directory '%s' is not a directory", dir);
	if (safe(dir, &st, "hooks directory", e))
		return -1;
	n = scandir(dir, &list, NULL, by_name);
	if (n < 0)
		return xv_error(e, XV_E_NOINPUT, "cannot read hooks directory '%s': %s", dir,
				strerror(errno));
	h->paths = xv_calloc((size_t)n + 1, sizeof(*h->paths));
	for (int i = 0; i < n; i++) {
		char *path = xv_asprintf("%s/%s", dir, list[i]->d_name);
		if (!valid_name(list[i]->d_name) || stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    access(path, X_OK) < 0) {
			free(path);
			continue;
		}
		if (safe(path, &st, "hook", e)) {
			free(path);
			goto out;
		}
		h->paths[h->n++] = path;
	}
	rc = 0;
out:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static int run_one(const char *path, char *const *args, unsigned timeout_ms, struct xv_error *e)
{
	size_t n = 0;
	char **argv;
	pid_t pid;
	int status;
	uint64_t deadline = xv_monotonic_ms() + timeout_ms;

	while (args[n])
		n++;
	argv = xv_calloc(n + 2, sizeof(*argv));
	argv[0] = (char *)path;
	memcpy(argv + 1, args, n * sizeof(*argv));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(argv);
		return xv_error(e, XV_E_LOCAL, "cannot start hook '%s': %s", path, strerror(errno));
	}
	if (pid == 0) {
		execv(path, argv);
		fprintf(stderr, "cannot run hook '%s': %s\n", path, strerror(errno));
		_exit(127);
	}
	free(argv);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return xv_error(e, XV_E_LOCAL, "cannot wait for hook '%s': %s", path,
					strerror(errno));
		if (!xv_ms_left(deadline)) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return xv_error(e, XV_E_TIMEOUT, "hook '%s' did not finish within %u ms (killed)",
					path, timeout_ms);
		}
		xv_sleep_ms(50);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return xv_error(e, XV_E_HOST, "hook '%s' failed (exit %d)", path, WEXITSTATUS(status));
	return xv_error(e, XV_E_HOST, "hook '%s' was killed by signal %d", path, WTERMSIG(status));
}

int hooks_run(const struct hooks *h, char *const *args, unsigned timeout_ms, size_t *done,
	      struct xv_error *e)
{
	*done = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (run_one(h->paths[i], args, timeout_ms, e))
			return -1;
		(*done)++;
	}
	return 0;
}

void hooks_release(struct hooks *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->paths[i]);
	free(h->paths);
	free(h->dir);
	memset(h, 0, sizeof(*h));
}
