/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool_tree.c: build, draw and store the master -> server -> VM tree. */
#include "pool_tree.h"
#include "json.h"
#include "text.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".xvm-tree"
#define UNKNOWN_MASTER "(unknown master)"

static struct xv_tree_pool *pool_of(struct xv_tree *t, const char *master)
{
	struct xv_tree_pool *p;

	for (size_t i = 0; i < t->n_pools; i++) {
		p = &t->pools[i];
		if ((!master && !p->master) || (master && p->master && !strcmp(master, p->master)))
			return p;
	}
	t->pools = xv_grow(t->pools, sizeof(*t->pools), t->n_pools + 1, &t->alloc_pools);
	p = &t->pools[t->n_pools++];
	memset(p, 0, sizeof(*p));
	p->master = master ? xv_strdup(master) : NULL;
	return p;
}

static const struct xv_poll_result *sort_result;

static int by_domid(const void *a, const void *b)
{
	uint32_t x = sort_result->snap.domains[*(const size_t *)a].id;
	uint32_t y = sort_result->snap.domains[*(const size_t *)b].id;
	return x < y ? -1 : x > y;
}

static int by_server(const void *a, const void *b)
{
	return strcmp(((const struct xv_tree_server *)a)->name,
		      ((const struct xv_tree_server *)b)->name);
}

static int by_master(const void *a, const void *b)
{
	const struct xv_tree_pool *x = a, *y = b;

	if (!x->master || !y->master)
		return !x->master - !y->master;
	return strcmp(x->master, y->master);
}

void xv_tree_build(struct xv_tree *t, const char *const *names,
		   const struct xv_poll_result *results, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->n_hosts = n;
	/* answering hosts first: they name the masters silent hosts may be */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct xv_poll_result *r = &results[i];
			bool answered = r->error.code == XV_E_NONE;
			const char *master = NULL;
			struct xv_tree_pool *p = NULL;

			if (answered != (pass == 0))
				continue;
			if (answered) {
				master = r->snap.host.pool_master ? r->snap.host.pool_master : names[i];
				p = pool_of(t, master);
				t->n_answered++;
			} else {
				for (size_t k = 0; k < t->n_pools && !p; k++)
					if (t->pools[k].master && !strcmp(t->pools[k].master, names[i]))
						p = &t->pools[k];
				if (!p)
					p = pool_of(t, NULL);
			}
			p->servers = xv_grow(p->servers, sizeof(*p->servers), p->n_servers + 1,
					     &p->alloc_servers);
			struct xv_tree_server *s = &p->servers[p->n_servers++];
			memset(s, 0, sizeof(*s));
			s->name = names[i];
			s->result = r;
			s->answered = answered;
			if (!answered)
				continue;
			s->vms = xv_calloc(r->snap.n_domains + 1, sizeof(*s->vms));
			for (size_t d = 0; d < r->snap.n_domains; d++)
				if (r->snap.domains[d].id != 0)
					s->vms[s->n_vms++] = d;
			sort_result = r;
			xv_sort(s->vms, s->n_vms, sizeof(*s->vms), by_domid);
		}
	}
	for (size_t i = 0; i < t->n_pools; i++)
		xv_sort(t->pools[i].servers, t->pools[i].n_servers, sizeof(struct xv_tree_server),
			by_server);
	xv_sort(t->pools, t->n_pools, sizeof(*t->pools), by_master);
}

void xv_tree_release(struct xv_tree *t)
{
	for (size_t i = 0; i < t->n_pools; i++) {
		for (size_t j = 0; j < t->pools[i].n_servers; j++)
			free(t->pools[i].servers[j].vms);
		free(t->pools[i].servers);
		free(t->pools[i].master);
	}
	free(t->pools);
	memset(t, 0, sizeof(*t));
}

static void add_line(struct xv_buf *out, const char *prefix, const char *text)
{
	xv_buf_adds(out, prefix);
	xv_text_clean(out, text, XV_TEXT_PLUGIN_LINE);
	xv_buf_addch(out, '\n');
}

void xv_tree_text(const struct xv_tree *t, struct xv_buf *out)
{
	struct xv_buf line = XV_BUF_INIT;

	xv_buf_adds(out, ".\n");
	for (size_t i = 0; i < t->n_pools; i++) {
		const struct xv_tree_pool *p = &t->pools[i];
		add_line(out, "|-", p->master ? p->master : UNKNOWN_MASTER);
		for (size_t j = 0; j < p->n_servers; j++) {
			const struct xv_tree_server *s = &p->servers[j];
			xv_buf_reset(&line);
			if (s->answered)
				xv_buf_adds(&line, s->name);
			else
				xv_buf_addf(&line, "%s (no answer: %s)", s->name, s->result->error.msg);
			add_line(out, "|---", line.data);
			for (size_t k = 0; k < s->n_vms; k++) {
				const struct xv_domain *d = &s->result->snap.domains[s->vms[k]];
				xv_buf_reset(&line);
				xv_buf_addf(&line, "%u_%s", d->id, d->name);
				add_line(out, "|-----", line.data);
			}
		}
	}
	xv_buf_release(&line);
}

void xv_tree_json(const struct xv_tree *t, struct xv_buf *out)
{
	struct xv_json j;

	xv_json_init(&j, out);
	xv_json_object_begin(&j, NULL);
	xv_json_u64(&j, "hosts", t->n_hosts);
	xv_json_u64(&j, "answered", t->n_answered);
	xv_json_array_begin(&j, "pools");
	for (size_t i = 0; i < t->n_pools; i++) {
		const struct xv_tree_pool *p = &t->pools[i];
		xv_json_object_begin(&j, NULL);
		xv_json_string(&j, "master", p->master);
		xv_json_array_begin(&j, "servers");
		for (size_t k = 0; k < p->n_servers; k++) {
			const struct xv_tree_server *s = &p->servers[k];
			xv_json_object_begin(&j, NULL);
			xv_json_string(&j, "name", s->name);
			xv_json_bool(&j, "answered", s->answered);
			if (!s->answered) {
				xv_json_string(&j, "error", s->result->error.msg);
			} else {
				xv_json_array_begin(&j, "vms");
				for (size_t v = 0; v < s->n_vms; v++) {
					const struct xv_domain *d = &s->result->snap.domains[s->vms[v]];
					xv_json_object_begin(&j, NULL);
					xv_json_u64(&j, "id", d->id);
					xv_json_string(&j, "name", d->name);
					xv_json_string(&j, "uuid", d->uuid);
					xv_json_string(&j, "state",
						       xv_dom_state_name(xv_domain_state(d)));
					xv_json_object_end(&j);
				}
				xv_json_array_end(&j);
			}
			xv_json_object_end(&j);
		}
		xv_json_array_end(&j);
		xv_json_object_end(&j);
	}
	xv_json_array_end(&j);
	xv_json_object_end(&j);
}

void xv_tree_path_component(struct xv_buf *out, const char *name)
{
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if (*c == '/' || *c == '%' || *c < 0x20 || *c == 0x7f ||
		    (*c == '.' && c == (const unsigned char *)name))
			xv_buf_addf(out, "%%%02X", *c);
		else
			xv_buf_addch(out, (char)*c);
	}
	if (!*name)
		xv_buf_adds(out, "%00");
}

/* --- the directory hierarchy ------------------------------------------- */

static int make_dir(const char *path, struct xv_error *e)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return xv_error(e, XV_E_CANTCREAT, "cannot create '%s': %s", path, strerror(errno));
	return 0;
}

static int write_small(const char *path, const char *text, struct xv_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	size_t len = strlen(text);

	if (fd < 0)
		return xv_error(e, XV_E_CANTCREAT, "cannot create '%s': %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		int err = errno;
		close(fd);
		return xv_error(e, XV_E_IO, "cannot write '%s': %s", path, strerror(err));
	}
	close(fd);
	return 0;
}

/* path + "/" + component(name) into `out` */
static const char *child(struct xv_buf *out, const char *path, const char *name)
{
	xv_buf_reset(out);
	xv_buf_addf(out, "%s/", path);
	xv_tree_path_component(out, name);
	return out->data;
}

static int fill(const struct xv_tree *t, const char *root, struct xv_error *e)
{
	struct xv_buf m = XV_BUF_INIT, s = XV_BUF_INIT, v = XV_BUF_INIT, f = XV_BUF_INIT;
	struct xv_buf text = XV_BUF_INIT;
	int rc = -1;

	for (size_t i = 0; i < t->n_pools; i++) {
		const struct xv_tree_pool *p = &t->pools[i];
		if (make_dir(child(&m, root, p->master ? p->master : UNKNOWN_MASTER), e))
			goto out;
		for (size_t j = 0; j < p->n_servers; j++) {
			const struct xv_tree_server *sv = &p->servers[j];
			if (make_dir(child(&s, m.data, sv->name), e))
				goto out;
			if (!sv->answered) {
				xv_buf_reset(&text);
				xv_buf_addf(&text, "%s\n", sv->result->error.msg);
				if (write_small(child(&f, s.data, "NO-ANSWER"), text.data, e))
					goto out;
				continue;
			}
			for (size_t k = 0; k < sv->n_vms; k++) {
				const struct xv_domain *d = &sv->result->snap.domains[sv->vms[k]];
				xv_buf_reset(&text);
				xv_buf_addf(&text, "%u_%s", d->id, d->name);
				if (make_dir(child(&v, s.data, text.data), e))
					goto out;
				xv_buf_reset(&text);
				xv_buf_addf(&text, "%s\n", d->uuid);
				if (write_small(child(&f, v.data, "uuid"), text.data, e))
					goto out;
				xv_buf_reset(&text);
				xv_buf_addf(&text, "%s\n", xv_dom_state_name(xv_domain_state(d)));
				if (write_small(child(&f, v.data, "state"), text.data, e))
					goto out;
			}
		}
	}
	rc = 0;
out:
	xv_buf_release(&m);
	xv_buf_release(&s);
	xv_buf_release(&v);
	xv_buf_release(&f);
	xv_buf_release(&text);
	return rc;
}

/* Removes a tree this module wrote (no symbolic links followed). */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (d) {
		while ((de = readdir(d))) {
			struct stat st;
			char *p;
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			p = xv_asprintf("%s/%s", path, de->d_name);
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

static void sync_parent(const char *path)
{
	char *copy = xv_strdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

int xv_tree_write_dir(const struct xv_tree *t, const char *dir, struct xv_error *e)
{
	char *tmp = xv_asprintf("%s.tmp.XXXXXX", dir), *marker = NULL;
	struct stat st;
	bool exists;
	int rc = -1;

	if (lstat(dir, &st) == 0) {
		exists = true;
		marker = xv_asprintf("%s/" MARKER, dir);
		if (!S_ISDIR(st.st_mode) || access(marker, F_OK) != 0) {
			xv_error(e, XV_E_CANTCREAT, "'%s' exists and is not a tree xvm-tree wrote "
				 "(no %s in it): refusing to replace it", dir, MARKER);
			goto out_keep;
		}
	} else if (errno == ENOENT) {
		exists = false;
	} else {
		xv_error(e, XV_E_CANTCREAT, "cannot use '%s': %s", dir, strerror(errno));
		goto out_keep;
	}
	if (!mkdtemp(tmp)) {
		xv_error(e, XV_E_CANTCREAT, "cannot create a directory beside '%s': %s", dir,
			 strerror(errno));
		goto out_keep;
	}
	chmod(tmp, 0755);
	free(marker);
	marker = xv_asprintf("%s/" MARKER, tmp);
	if (write_small(marker, "written by xvm-tree; replaced whole at every run\n", e) ||
	    fill(t, tmp, e))
		goto out;
	/* swap the new tree in, in one step, then remove the old one */
	if (exists) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) < 0) {
			xv_error(e, XV_E_IO, "cannot replace '%s': %s", dir, strerror(errno));
			goto out;
		}
	} else if (rename(tmp, dir) < 0) {
		xv_error(e, XV_E_IO, "cannot rename '%s' to '%s': %s", tmp, dir, strerror(errno));
		goto out;
	}
	sync_parent(dir);
	rc = 0;
out:
	/* after the exchange, tmp holds the old tree; on failure, the new one */
	if (rc == 0 && !exists) {
		free(tmp);
		tmp = NULL;
	}
	if (tmp)
		remove_tree(tmp);
out_keep:
	free(tmp);
	free(marker);
	return rc;
}
