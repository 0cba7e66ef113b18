/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvm-backup: a cron-safe backup of the pool's configuration.
 *
 * The seed's automatic backup tool (1.3.3) without its database: one
 * date-named archive holds the inventory, every VM configuration of the
 * pools' repositories, what each host's source can export (a sim: scenario,
 * xen:'s libxl configurations; XenAPI's pool database, once per pool) and
 * the pool tree as the hosts tell it now.  It is
 * written to a temporary file and renamed (a run killed at any point leaves
 * the previous archives as they were), a lock keeps two runs apart, the
 * oldest archives beyond --keep are removed only after a new one is safely
 * in place, and --list prints an archive's restore listing (where each file
 * came from).  Nothing asks a question; the exit status says what happened.
 *
 * Archives are tar.gz written with libarchive: ustar/pax headers that any
 * tar reads, long names handled, and --list reads an archive of unknown
 * origin through a library built for that rather than a parser of ours. */
#include "atomic_file.h"
#include "clock.h"
#include "file.h"
#include "num.h"
#include "pool_tree.h"
#include "text.h"
#include "tool.h"
#include "util.h"
#include "vm_repository.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "xvmon-backup-"
#define SUFFIX ".tar.gz"
#define LOCK_NAME ".xvm-backup.lock"
#define MAX_FILE_BYTES (64u << 20)

static const char usage_text[] =
	"usage: xvm-backup [-i INVENTORY] -o DIR [-k KEEP] [-t SECONDS] [-P PARALLEL] [-v]\n"
	"       xvm-backup --list ARCHIVE\n";

static void __attribute__((noreturn)) usage(const char *why)
{
	if (why)
		fprintf(stderr, "xvm-backup: %s\n", why);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Writes DIR/" PREFIX "YYYYMMDD-HHMMSSZ" SUFFIX ": the inventory, every VM\n"
	       "configuration of its repositories, each host's exported configuration and\n"
	       "the pool tree, with a MANIFEST saying where each file came from.\n"
	       "\n"
	       "  -i, --inventory=FILE   inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  -o, --output=DIR       where archives go (it must exist)\n"
	       "  -k, --keep=N           keep the N newest archives, remove older ones (default 14)\n"
	       "  -t, --timeout=SECONDS  per-host deadline (default: the inventory's)\n"
	       "  -P, --parallel=N       hosts asked at once\n"
	       "  -v, --verbose          say what each host exported, or why not\n"
	       "  -l, --list=ARCHIVE     print an archive's restore listing\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 written; 69 written, but some hosts did not answer or could not\n"
	       "export (the MANIFEST says which); 64 usage; 65 bad inventory or archive;\n"
	       "66 missing input; 71 local failure; 73 cannot create the archive; 74 write\n"
	       "error; 75 another xvm-backup is running on DIR.\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "keep", required_argument, NULL, 'k' },
	{ "timeout", required_argument, NULL, 't' },
	{ "parallel", required_argument, NULL, 'P' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "list", required_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct backup {
	struct archive *a;
	char *top;                /* directory inside the archive */
	struct xv_buf manifest;   /* "PATH<TAB>FROM<TAB>SIZE" lines */
	time_t when;
	int failed;               /* a file could not be added: XV_E_* */
	size_t missing;           /* hosts not exported */
	size_t missing_local;     /* of those, through this machine's fault */
	/* pool-wide exports archived: one per pool, whichever host gave it */
	struct pool_export {
		char *id, *path, *host, *master, *scheme;
	} *pools;
	size_t n_pools;
};

static int add(struct backup *b, const char *path, const void *data, size_t len,
	       const char *from, struct xv_error *e)
{
	struct archive_entry *ent = archive_entry_new();
	char *full = xv_asprintf("%s/%s", b->top, path);
	int rc = 0;

	archive_entry_set_pathname(ent, full);
	archive_entry_set_size(ent, (la_int64_t)len);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0600);
	archive_entry_set_mtime(ent, b->when, 0);
	if (archive_write_header(b->a, ent) != ARCHIVE_OK ||
	    (len && archive_write_data(b->a, data, len) != (la_ssize_t)len))
		rc = xv_error(e, XV_E_IO, "cannot write '%s' into the archive: %s", full,
			      archive_error_string(b->a));
	archive_entry_free(ent);
	free(full);
	if (!rc && from) {
		xv_buf_addf(&b->manifest, "%s\t", path);
		xv_text_clean(&b->manifest, from, XV_TEXT_PLUGIN_LINE);
		xv_buf_addf(&b->manifest, "\t%zu\n", len);
	}
	return rc;
}

static int add_file(struct backup *b, const char *path, const char *file, struct xv_error *e)
{
	struct xv_buf text = XV_BUF_INIT;
	int rc = xv_file_read(file, MAX_FILE_BYTES, 0, &text, e) ||
		 add(b, path, text.data, text.len, file, e);

	xv_buf_release(&text);
	return rc ? -1 : 0;
}

struct repo_walk {
	struct backup *b;
	const char *pool, *dir;
	size_t n;
};

static int repo_file(void *user, const char *name, const char *file, unsigned line,
		     struct xv_error *e)
{
	struct repo_walk *w = user;
	struct xv_buf path = XV_BUF_INIT;
	size_t dl = strlen(w->dir);
	const char *rel = !strncmp(file, w->dir, dl) && file[dl] == '/' ? file + dl + 1 : file;
	int rc;

	/* one component for the pool, the file's place inside its repository */
	xv_buf_adds(&path, "repositories/");
	xv_tree_path_component(&path, w->pool);
	xv_buf_addf(&path, "/%zu/%s", w->n, rel);
	rc = add_file(w->b, path.data, file, e);
	xv_buf_release(&path);
	return rc;
}

/* Archive members of ours, by name: PREFIX + 15-19 safe characters + SUFFIX. */
static int is_archive_name(const char *s)
{
	size_t n = strlen(s), p = strlen(PREFIX), x = strlen(SUFFIX);

	return n > p + x && !strncmp(s, PREFIX, p) && !strcmp(s + n - x, SUFFIX) &&
	       strspn(s + p, "0123456789-TZ") == n - p - x;
}

/* An archive's temporary file (lib/atomic_file names it
 * ".NAME.PID.XXXXXX.tmp"). */
static int is_stale_temp(const char *s)
{
	pid_t pid;

	return s[0] == '.' && !strncmp(s + 1, PREFIX, strlen(PREFIX)) &&
	       xv_temp_name_parse(s, ".tmp", &pid);
}

/* Oldest first: names without their suffix, so that the second archive of
 * a second ("...Z-2") sorts after the first ("...Z"). */
static int by_age(const struct dirent **a, const struct dirent **b)
{
	const char *x = (*a)->d_name, *y = (*b)->d_name;
	size_t nx = strlen(x), ny = strlen(y), s = strlen(SUFFIX);
	int c;

	if (nx > s && !strcmp(x + nx - s, SUFFIX))
		nx -= s;
	if (ny > s && !strcmp(y + ny - s, SUFFIX))
		ny -= s;
	c = strncmp(x, y, nx < ny ? nx : ny);
	return c ? c : (nx > ny) - (nx < ny);
}

/* The number of the newest archive of the second `stamp` in `dir`: 0 for
 * none, 1 for "...Z", k for "...Z-k". */
static unsigned newest_of_second(const char *dir, const char *stamp)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char *base = xv_asprintf(PREFIX "%s", stamp);
	size_t nb = strlen(base), ns = strlen(SUFFIX);
	unsigned newest = 0;

	while (d && (ent = readdir(d))) {
		const char *name = ent->d_name, *rest = name + nb;
		size_t n = strlen(name);
		unsigned long k;
		char *end;

		if (!is_archive_name(name) || strncmp(name, base, nb))
			continue;
		if (!strcmp(rest, SUFFIX)) {
			k = 1;
		} else if (rest[0] == '-' && rest[1] >= '1' && rest[1] <= '9') {
			k = strtoul(rest + 1, &end, 10);
			if ((size_t)(end - name) != n - ns || k > 1000000)
				continue;
		} else {
			continue;
		}
		if (k > newest)
			newest = (unsigned)k;
	}
	if (d)
		closedir(d);
	free(base);
	return newest;
}

/* Removes what a killed run left (we hold the lock: no run is writing), and
 * with keep > 0 the oldest archives beyond the newest `keep`. */
static void sweep(const char *dir, unsigned keep, bool temps)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, by_age);
	size_t archives = 0, seen = 0;

	if (n < 0)
		return;
	for (int i = 0; i < n; i++)
		archives += is_archive_name(list[i]->d_name);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		bool drop = false;
		if (temps && is_stale_temp(name))
			drop = true;
		if (!temps && is_archive_name(name) && archives - seen++ > keep)
			drop = true;
		if (drop) {
			char *p = xv_asprintf("%s/%s", dir, name);
			if (unlink(p) == 0 && !temps)
				printf("removed %s\n", p);
			free(p);
		}
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int list_archive(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	struct xv_buf manifest = XV_BUF_INIT;
	size_t members = 0;
	int r, rc = EX_OK;

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		warnx("cannot read '%s': %s", path, archive_error_string(a));
		rc = access(path, R_OK) ? EX_NOINPUT : EX_DATAERR;
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ent), *slash = strchr(name, '/');
		members++;
		if (slash && !strcmp(slash + 1, "MANIFEST")) {
			char buf[8192];
			la_ssize_t n;
			while ((n = archive_read_data(a, buf, sizeof(buf))) > 0 &&
			       manifest.len < MAX_FILE_BYTES)
				xv_buf_add(&manifest, buf, (size_t)n);
		}
	}
	if (r != ARCHIVE_EOF) {
		warnx("'%s' is damaged: %s", path, archive_error_string(a));
		rc = EX_DATAERR;
		goto out;
	}
	if (!manifest.len) {
		warnx("'%s' has no MANIFEST: not an xvm-backup archive", path);
		rc = EX_DATAERR;
		goto out;
	}
	printf("# %s: %zu files; archive path, where it came from, bytes\n", path, members);
	fwrite(manifest.data, 1, manifest.len, stdout);
out:
	archive_read_free(a);
	xv_buf_release(&manifest);
	return rc;
}

static void manifest_note(struct backup *b, const char *host, const char *what,
			  const char *why)
{
	xv_buf_addf(&b->manifest, "# host %s %s: ", host, what);
	xv_text_clean(&b->manifest, why, XV_TEXT_PLUGIN_LINE);
	xv_buf_addch(&b->manifest, '\n');
}

/* The scheme of `uri`, malloc'ed ("xapi"). */
static char *scheme_of(const char *uri)
{
	const char *colon = strchr(uri, ':');

	return xv_asprintf("%.*s", colon ? (int)(colon - uri) : 0, uri);
}

/* An earlier host of the same scheme and pool master whose export covered
 * its whole pool, or NULL: the pool's export is then not fetched again. */
static const struct pool_export *pool_done(const struct backup *b, const char *scheme,
					   const char *master)
{
	for (size_t k = 0; master && k < b->n_pools; k++)
		if (b->pools[k].master && !strcmp(b->pools[k].master, master) &&
		    !strcmp(b->pools[k].scheme, scheme))
			return &b->pools[k];
	return NULL;
}

static const struct pool_export *pool_by_id(const struct backup *b, const char *scheme,
					    const char *id)
{
	for (size_t k = 0; k < b->n_pools; k++)
		if (!strcmp(b->pools[k].id, id) && !strcmp(b->pools[k].scheme, scheme))
			return &b->pools[k];
	return NULL;
}

static void pools_release(struct backup *b)
{
	for (size_t k = 0; k < b->n_pools; k++) {
		free(b->pools[k].id);
		free(b->pools[k].path);
		free(b->pools[k].host);
		free(b->pools[k].master);
		free(b->pools[k].scheme);
	}
	free(b->pools);
}

static void note_again(struct backup *b, const char *name, const struct pool_export *done,
		       bool verbose)
{
	char *why = xv_asprintf("its pool's export is %s (from %s)", done->path, done->host);

	manifest_note(b, name, "not exported again", why);
	if (verbose)
		printf("host %s: %s\n", name, why);
	free(why);
}

/* Adds what host `i` exports: hosts/HOST/FILE for a host's own export,
 * SCHEME/POOL/FILE for its pool's (once per pool).  Only a failure to write
 * the archive is returned; a host that cannot export is noted in the
 * MANIFEST (and counted when it failed rather than had nothing). */
static int export_host(struct backup *b, const struct tool_hosts *h, size_t i,
		       unsigned timeout_ms, bool verbose, struct xv_error *e)
{
	const char *name = h->names[i], *uri = h->uris[i];
	const char *master = h->results[i].snap.host.pool_master;
	const struct pool_export *done;
	struct xv_source *src = NULL;
	struct xv_export x = { .data = XV_BUF_INIT };
	struct xv_error xe;
	struct xv_buf where = XV_BUF_INIT;
	char *scheme = scheme_of(uri);
	int rc = 0;

	if (h->results[i].error.code != XV_E_NONE) {
		b->missing++;
		manifest_note(b, name, "not exported", h->results[i].error.msg);
		goto out;
	}
	if ((done = pool_done(b, scheme, master))) {
		note_again(b, name, done, verbose);
		goto out;
	}
	src = xv_source_new(uri);
	if (timeout_ms)
		xv_source_set_deadline(src, xv_monotonic_ms() + timeout_ms);
	if (xv_source_export(src, &x, &xe)) {
		if (xe.code == XV_E_UNSUPPORTED) {
			/* nothing to export is not a failure */
			manifest_note(b, name, "has nothing to export", xe.msg);
			if (verbose)
				printf("host %s: nothing to export: %s\n", name, xe.msg);
		} else {
			b->missing++;
			b->missing_local += xv_error_is_local(xe.code) != 0;
			warnx("host %s: %s", name, xe.msg);
			manifest_note(b, name, "not exported", xe.msg);
		}
		goto out;
	}
	if (x.scope) {
		/* the same pool reached through a host that names its master
		 * otherwise: one copy is enough */
		if ((done = pool_by_id(b, scheme, x.scope_id))) {
			note_again(b, name, done, verbose);
			goto out;
		}
		xv_buf_adds(&where, scheme);
		xv_buf_addch(&where, '/');
		xv_tree_path_component(&where, x.scope);
		for (size_t k = 0; k < b->n_pools; k++)
			if (!strncmp(b->pools[k].path, where.data, where.len) &&
			    b->pools[k].path[where.len] == '/') {
				/* two pools of one name: the second by its uuid */
				xv_buf_addch(&where, '-');
				xv_tree_path_component(&where, x.scope_id);
				break;
			}
	} else {
		xv_buf_adds(&where, "hosts/");
		xv_tree_path_component(&where, name);
	}
	xv_buf_addch(&where, '/');
	xv_tree_path_component(&where, x.file_name);
	rc = add(b, where.data, x.data.data, x.data.len, uri, e);
	if (!rc && x.scope) {
		b->pools = xv_realloc(b->pools, (b->n_pools + 1) * sizeof(*b->pools));
		b->pools[b->n_pools++] = (struct pool_export){
			.id = xv_strdup(x.scope_id), .path = xv_strdup(where.data),
			.host = xv_strdup(name), .master = master ? xv_strdup(master) : NULL,
			.scheme = xv_strdup(scheme) };
	}
	if (!rc && verbose)
		printf("host %s: %s (%zu bytes)\n", name, where.data, x.data.len);
out:
	xv_export_release(&x);
	xv_buf_release(&where);
	xv_source_free(src);
	free(scheme);
	return rc;
}

int main(int argc, char **argv)
{
	const char *inventory = NULL, *out_dir = NULL, *list = NULL;
	unsigned timeout_ms = 0, parallel = 0, keep = 14;
	struct tool_hosts h;
	struct backup b = { .manifest = XV_BUF_INIT };
	struct xv_atomic_file af = { 0 };
	struct xv_tree tree;
	struct xv_buf text = XV_BUF_INIT;
	struct xv_error e;
	char stamp[32], *path = NULL, *lock_path;
	struct tm tm;
	uint64_t n;
	bool verbose = false;
	int o, lock_fd, rc = EX_OK;

	while ((o = getopt_long(argc, argv, "i:o:k:t:P:l:vhV", options, NULL)) != -1) {
		switch (o) {
		case 'i':
			inventory = optarg;
			break;
		case 'o':
			out_dir = optarg;
			break;
		case 'k':
			if (xv_parse_u64(optarg, 1, 100000, &n))
				usage("-k takes a number from 1 to 100000");
			keep = (unsigned)n;
			break;
		case 't':
			timeout_ms = tool_parse_duration("-t", optarg, 1, 3600000, usage);
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				usage("-P takes a number from 1 to 4096");
			parallel = (unsigned)n;
			break;
		case 'l':
			list = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvm-backup %s (xvmon)\n", XV_VERSION);
			return EX_OK;
		default:
			usage(NULL);
		}
	}
	if (optind != argc)
		usage("unexpected argument");
	if (list) {
		if (out_dir)
			usage("--list takes no -o");
		return list_archive(list);
	}
	if (!out_dir)
		usage("say where archives go with -o DIR");

	/* the inventory first: a bad one must not take the lock or leave files */
	tool_hosts_from_inventory(&h, inventory, NULL, NULL);

	lock_path = xv_asprintf("%s/" LOCK_NAME, out_dir);
	lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock_fd < 0)
		err(errno == ENOENT || errno == EACCES || errno == EROFS ? EX_CANTCREAT : EX_OSERR,
		    "cannot open the lock '%s'", lock_path);
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0)
		errx(EX_TEMPFAIL, "another xvm-backup is running on %s (it holds %s)", out_dir,
		     lock_path);
	sweep(out_dir, 0, true);

	b.when = time(NULL);
	gmtime_r(&b.when, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%SZ", &tm);
	{
		/* several runs in one second: after the newest of that second, even
		 * when rotation has removed its older ones (a freed "...Z" would
		 * sort as the oldest and be rotated away at once) */
		unsigned k = newest_of_second(out_dir, stamp);
		path = k ? xv_asprintf("%s/" PREFIX "%s-%u" SUFFIX, out_dir, stamp, k + 1)
			 : xv_asprintf("%s/" PREFIX "%s" SUFFIX, out_dir, stamp);
	}
	b.top = xv_asprintf(PREFIX "%s", stamp);
	if (xv_atomic_file_open(&af, path, 0600, &e))
		errx(xv_error_exit_code(e.code), "%s", e.msg);
	b.a = archive_write_new();
	archive_write_add_filter_gzip(b.a);
	archive_write_set_format_pax_restricted(b.a);
	if (archive_write_open_FILE(b.a, af.fp) != ARCHIVE_OK) {
		xv_error(&e, XV_E_LOCAL, "cannot start the archive: %s", archive_error_string(b.a));
		goto fail;
	}

	/* what the operator wrote: the inventory and the VM configurations */
	if (add_file(&b, "inventory.ini", h.inv.path, &e))
		goto fail;
	for (size_t p = 0; p < h.inv.n_pools; p++) {
		const struct xv_inv_pool *pool = &h.inv.pools[p];
		for (size_t r = 0; r < pool->n_repositories; r++) {
			struct repo_walk w = { &b, pool->name, pool->repositories[r], r + 1 };
			if (xv_repo_scan(pool->repositories[r], repo_file, &w, &e))
				goto fail;
		}
	}

	/* what the hosts say now: the tree, and each host's own export */
	tool_hosts_poll(&h, timeout_ms, parallel);
	xv_tree_build(&tree, h.names, h.results, h.n);
	xv_tree_text(&tree, &text);
	int bad = add(&b, "tree.txt", text.data, text.len, "(xvm-tree, at backup time)", &e);
	xv_buf_reset(&text);
	xv_tree_json(&tree, &text);
	bad = bad || add(&b, "tree.json", text.data, text.len, "(xvm-tree -j, at backup time)", &e);
	xv_tree_release(&tree);
	if (bad)
		goto fail;
	for (size_t i = 0; i < h.n; i++)
		if (export_host(&b, &h, i, timeout_ms, verbose, &e))
			goto fail;
	if (add(&b, "MANIFEST", b.manifest.data, b.manifest.len, NULL, &e))
		goto fail;
	if (archive_write_close(b.a) != ARCHIVE_OK) {
		xv_error(&e, XV_E_IO, "cannot finish '%s': %s", path, archive_error_string(b.a));
		goto fail;
	}
	if (xv_atomic_file_commit(&af, &e))
		goto fail;
	printf("%s\n", path);
	if (b.missing) {
		/* an archive that lacks hosts does not push complete ones out:
		 * with --keep 1 it would otherwise leave no complete archive */
		warnx("%zu of %zu hosts were not exported (see the MANIFEST); older archives are "
		      "kept", b.missing, h.n);
		rc = h.local || b.missing_local ? EX_OSERR : EX_UNAVAILABLE;
	} else {
		sweep(out_dir, keep, false);
	}
	goto out;
fail:
	rc = xv_error_exit_code(e.code);
	warnx("%s; no archive written, the previous ones are untouched", e.msg);
	archive_write_free(b.a); /* before the file it writes to goes */
	b.a = NULL;
	xv_atomic_file_abort(&af);
out:
	if (b.a)
		archive_write_free(b.a);
	xv_buf_release(&b.manifest);
	pools_release(&b);
	xv_buf_release(&text);
	free(b.top);
	free(path);
	free(lock_path);
	close(lock_fd);
	tool_hosts_release(&h);
	if (fflush(stdout) || ferror(stdout))
		err(EX_IOERR, "standard output");
	return rc;
}
