/* SPDX-License-Identifier: GPL-3.0-or-later */
/* charts.c: gnuplot as a child process in the run's directory, fed the
 * chart scripts on its standard input. */
#include "charts.h"
#include "buf.h"
#include "file.h"
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

/* The temporary name of a chart, relative to the run's directory. */
static char *tmp_name(const char *chart, const char *fmt)
{
	return xv_asprintf(".%s.%s.tmp", chart, fmt);
}

static void remove_tmps(const char *dir)
{
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(charts[c], formats[f]);
			char *full = xv_asprintf("%s/%s", dir, t);
			unlink(full);
			free(full);
			free(t);
		}
	}
}

/* Runs gnuplot in `dir` with `script` on its standard input; its standard
 * error is collected into `msgs`.  Returns its exit status, or -1 with e
 * set. */
static int run_gnuplot(const char *gnuplot, const char *dir, const struct xv_buf *script,
		       struct xv_buf *msgs, struct xv_error *e)
{
	int in[2] = { -1, -1 }, errp[2] = { -1, -1 }, status = 0, rc = -1;
	pid_t pid;
	char chunk[512];
	ssize_t n;

	if (pipe(in) || pipe(errp)) {
		xv_error(e, XV_E_LOCAL, "cannot run gnuplot: pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		xv_error(e, XV_E_LOCAL, "cannot run gnuplot: fork: %s", strerror(errno));
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
		if (chdir(dir)) {
			dprintf(2, "cannot enter '%s': %s\n", dir, strerror(errno));
			_exit(126);
		}
		execlp(gnuplot, gnuplot, (char *)NULL);
		dprintf(2, "cannot run '%s': %s\n", gnuplot, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(errp[1]);
	in[0] = errp[1] = -1;
	/* The scripts (a few KiB) fit in the pipe, so writing before reading
	 * cannot block; a gnuplot that died early gives EPIPE, reported below. */
	{
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		size_t done = 0;
		while (done < script->len) {
			ssize_t w = write(in[1], script->data + done, script->len - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				xv_buf_addf(msgs, "writing to gnuplot: %s\n", strerror(errno));
				break;
			}
			done += (size_t)w;
		}
		signal(SIGPIPE, old);
	}
	close(in[1]);
	in[1] = -1;
	while ((n = read(errp[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			xv_buf_add(msgs, chunk, (size_t)n);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			xv_error(e, XV_E_LOCAL, "cannot run gnuplot: waitpid: %s", strerror(errno));
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
	int fd = open(from, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fsync(fd)) {
		close(fd);
		return -1;
	}
	close(fd);
	return rename(from, to);
}

/* The scripts are small; these bound what is read from the plot directory. */
#define SCRIPT_MAX_BYTES (64u << 10)

/* Appends plotdir/name.gp to `script`. */
static int add_script(struct xv_buf *script, const char *plotdir, const char *name,
		      struct xv_error *e)
{
	char *path = xv_asprintf("%s/%s.gp", plotdir, name);
	int rc = xv_file_read(path, SCRIPT_MAX_BYTES, 1, script, e);

	free(path);
	if (rc) {
		xv_error_prefix(e, "no gnuplot scripts (set XVMON_BENCH_PLOT_DIR)");
		return -1;
	}
	xv_buf_addch(script, '\n');
	return 0;
}

/* gnuplot runs in the run's directory: a relative program path must be
 * made absolute first. */
static char *program_path(const char *gnuplot)
{
	char *abs;

	if (!strchr(gnuplot, '/') || gnuplot[0] == '/')
		return xv_strdup(gnuplot);
	abs = realpath(gnuplot, NULL);
	return abs ? abs : xv_strdup(gnuplot);
}

int xv_bench_render_charts(const char *dir, const char *plotdir, const char *gnuplot,
			   struct xv_error *e)
{
	struct xv_buf script = XV_BUF_INIT, msgs = XV_BUF_INIT;
	char *prog = NULL;
	int rc = -1, status;

	if (!available(gnuplot))
		return xv_error(e, XV_E_UNSUPPORTED,
				"gnuplot not found ('%s'): install gnuplot-nox for charts", gnuplot);
	prog = program_path(gnuplot);
	/* every chart: reset, its fixed output name, the common settings, its
	 * own script; names are ours, never a path or data */
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(charts[c], formats[f]);
			xv_buf_addf(&script, "reset\nfmt = '%s'\nout = '%s'\n", formats[f], t);
			free(t);
			if (add_script(&script, plotdir, "common", e) ||
			    add_script(&script, plotdir, charts[c], e))
				goto out;
		}
	}
	/* gnuplot makes its outputs anew: nothing left under their names (a
	 * FIFO, a link) is written through */
	remove_tmps(dir);
	status = run_gnuplot(prog, dir, &script, &msgs, e);
	if (status < 0)
		goto out;
	if (status != 0) {
		/* the last line of gnuplot's complaint says most */
		char *nl;
		while (msgs.len && msgs.data[msgs.len - 1] == '\n')
			xv_buf_truncate(&msgs, msgs.len - 1);
		nl = strrchr(msgs.data, '\n');
		xv_error(e, XV_E_SOFTWARE, "gnuplot failed (exit %d): %s", status,
			 msgs.len ? (nl ? nl + 1 : msgs.data) : "no message");
		goto out;
	}
	for (size_t c = 0; c < XV_ARRAY_SIZE(charts); c++) {
		for (size_t f = 0; f < XV_ARRAY_SIZE(formats); f++) {
			char *t = tmp_name(charts[c], formats[f]);
			char *from = xv_asprintf("%s/%s", dir, t);
			char *final = xv_asprintf("%s/%s.%s", dir, charts[c], formats[f]);
			int bad = sync_and_rename(from, final);
			if (bad)
				xv_error(e, XV_E_IO, "cannot put '%s' in place: %s", final, strerror(errno));
			free(t);
			free(from);
			free(final);
			if (bad)
				goto out;
		}
	}
	rc = 0;
out:
	remove_tmps(dir);
	free(prog);
	xv_buf_release(&script);
	xv_buf_release(&msgs);
	return rc;
}
