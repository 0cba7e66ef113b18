/* SPDX-License-Identifier: GPL-3.0-or-later */
/* charts.c: gnuplot as a child process fed a short command script. */
#include "charts.h"
#include "buf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const charts[] = { "free", "used", "ratio", "footprint" };
static const char *const formats[] = { "png", "svg" };

const char *const xv_bench_chart_files[] = {
	"free.png", "free.svg", "used.png", "used.svg",
	"ratio.png", "ratio.svg", "footprint.png", "footprint.svg", NULL,
};

/* A gnuplot single-quoted string: '' stands for one quote. */
static void add_quoted(struct xv_buf *b, const char *s)
{
	xv_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			xv_buf_addch(b, '\'');
		xv_buf_addch(b, *s);
	}
	xv_buf_addch(b, '\'');
}

static bool executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

/* Whether `prog` can be run: a path, or a name found in PATH. */
static bool available(const char *prog)
{
	const char *path = getenv("PATH");
	bool found = false;
	char *copy, *dir, *save = NULL;

	if (strchr(prog, '/'))
		return executable(prog);
	if (!path)
		return false;
	copy = xv_strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *full = xv_asprintf("%s/%s", *dir ? dir : ".", prog);
		found = executable(full);
		free(full);
	}
	free(copy);
	return found;
}

static char *tmp_name(const char *dir, const char *chart, const char *fmt)
{
	return xv_asprintf("%s/.%s.%s.tmp", dir, chart, fmt);
}

static void remove_tmps(const char *dir)
{
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(dir, charts[c], formats[f]);
			unlink(t);
			free(t);
		}
	}
}

/* Runs gnuplot with `script` on its standard input; its standard error is
 * collected into `msgs`.  Returns its exit status, or -1. */
static int run_gnuplot(const char *gnuplot, const struct xv_buf *script, struct xv_buf *msgs,
		       char *err, size_t errlen)
{
	int in[2] = { -1, -1 }, errp[2] = { -1, -1 }, status = 0, rc = -1;
	pid_t pid;
	char chunk[512];
	ssize_t n;

	if (pipe(in) || pipe(errp)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(in[0], 0);
		dup2(errp[1], 2);
		if (devnull >= 0)
			dup2(devnull, 1);
		close(in[0]);
		close(in[1]);
		close(errp[0]);
		close(errp[1]);
		execlp(gnuplot, gnuplot, (char *)NULL);
		dprintf(2, "cannot run '%s': %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(errp[1]);
	in[0] = errp[1] = -1;
	/* A short script fits in the pipe, so writing before reading cannot
	 * block; a gnuplot that died early gives EPIPE, reported below. */
	{
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		if (write(in[1], script->data, script->len) < 0)
			xv_buf_addf(msgs, "writing to gnuplot: %s\n", strerror(errno));
		signal(SIGPIPE, old);
	}
	close(in[1]);
	in[1] = -1;
	while ((n = read(errp[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			xv_buf_add(msgs, chunk, (size_t)n);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			goto out;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	return rc;
}

static int sync_and_rename(const char *from, const char *to)
{
	int fd = open(from, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fsync(fd)) {
		close(fd);
		return -1;
	}
	close(fd);
	return rename(from, to);
}

int xv_bench_render_charts(const char *dir, const char *plotdir, const char *gnuplot,
			   char *err, size_t errlen)
{
	struct xv_buf script = XV_BUF_INIT, msgs = XV_BUF_INIT;
	int rc = -1, status;

	if (!available(gnuplot)) {
		snprintf(err, errlen, "gnuplot not found ('%s'): install gnuplot-nox for charts", gnuplot);
		return 1;
	}
	{
		char *probe = xv_asprintf("%s/common.gp", plotdir);
		int missing = access(probe, R_OK);
		free(probe);
		if (missing) {
			snprintf(err, errlen, "no gnuplot scripts in '%s' (set XVMON_BENCH_PLOT_DIR)", plotdir);
			return -1;
		}
	}
	if (strchr(dir, '\n') || strchr(plotdir, '\n')) {
		snprintf(err, errlen, "a directory name with a line break cannot be passed to gnuplot");
		return -1;
	}
	xv_buf_adds(&script, "dir = ");
	add_quoted(&script, dir);
	xv_buf_adds(&script, "\nplotdir = ");
	add_quoted(&script, plotdir);
	xv_buf_addch(&script, '\n');
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(dir, charts[c], formats[f]);
			xv_buf_addf(&script, "fmt = '%s'\nout = ", formats[f]);
			add_quoted(&script, t);
			xv_buf_addf(&script, "\nload plotdir.'/%s.gp'\n", charts[c]);
			free(t);
		}
	}
	status = run_gnuplot(gnuplot, &script, &msgs, err, errlen);
	if (status < 0)
		goto out;
	if (status != 0) {
		/* the first line of gnuplot's complaint says most */
		char *nl;
		while (msgs.len && msgs.data[msgs.len - 1] == '\n')
			xv_buf_truncate(&msgs, msgs.len - 1);
		nl = strrchr(msgs.data, '\n');
		snprintf(err, errlen, "gnuplot failed (exit %d): %s", status,
			 msgs.len ? (nl ? nl + 1 : msgs.data) : "no message");
		goto out;
	}
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(dir, charts[c], formats[f]);
			char *final = xv_asprintf("%s/%s.%s", dir, charts[c], formats[f]);
			int bad = sync_and_rename(t, final);
			if (bad)
				snprintf(err, errlen, "cannot put '%s' in place: %s", final, strerror(errno));
			free(t);
			free(final);
			if (bad)
				goto out;
		}
	}
	rc = 0;
out:
	remove_tmps(dir);
	xv_buf_release(&script);
	xv_buf_release(&msgs);
	return rc;
}
