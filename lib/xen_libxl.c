/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xen_libxl.c: libxenlight and libxlutil, loaded when an action needs them,
 * and xl configurations translated as xl translates them (xen_libxl.h). */
#include "xen_libxl.h"

#if XV_HAVE_XENLIGHT

#include "num.h"
#include "scenario.h"
#include "util.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int xv_libxl_load(struct xv_libxl *api, struct xv_error *e)
{
	memset(api, 0, sizeof(*api));
	api->xl = dlopen(XV_SONAME_XENLIGHT, RTLD_NOW | RTLD_LOCAL);
	if (!api->xl)
		return xv_error(e, XV_E_UNSUPPORTED, "cannot load the Xen library %s: %s (install "
				"Debian's xen-utils or libxenmisc package)", XV_SONAME_XENLIGHT,
				dlerror());
	api->xlu = dlopen(XV_SONAME_XLUTIL, RTLD_NOW | RTLD_LOCAL);
	if (!api->xlu)
		return xv_error(e, XV_E_UNSUPPORTED, "cannot load the Xen library %s: %s (install "
				"Debian's xen-utils or libxenmisc package)", XV_SONAME_XLUTIL,
				dlerror());
#define RESOLVE(lib, name)                                                            \
	api->name = (__typeof__(name) *)dlsym(api->lib, #name);                        \
	if (!api->name)                                                                \
		return xv_error(e, XV_E_UNSUPPORTED, "the Xen library lacks %s: %s", #name,    \
				dlerror());
	XV_LIBXL_SYMBOLS(RESOLVE)
#undef RESOLVE
	return 0;
}

void xv_libxl_unload(struct xv_libxl *api)
{
	if (api->xlu)
		dlclose(api->xlu);
	if (api->xl)
		dlclose(api->xl);
	memset(api, 0, sizeof(*api));
}

/* --- the logger ----------------------------------------------------------- */

static void logger_vmessage(struct xentoollog_logger *base, xentoollog_level level, int errnoval,
			    const char *context, const char *format, va_list al)
{
	struct xv_libxl_logger *lg = (struct xv_libxl_logger *)base;
	size_t len;

	if (level < XTL_ERROR)
		return;
	vsnprintf(lg->last, sizeof(lg->last), format, al);
	len = strlen(lg->last);
	if (errnoval >= 0 && len < sizeof(lg->last))
		snprintf(lg->last + len, sizeof(lg->last) - len, ": %s", strerror(errnoval));
}

static void logger_progress(struct xentoollog_logger *base, const char *context,
			    const char *doing_what, int percent, unsigned long done,
			    unsigned long total)
{
}

static void logger_destroy(struct xentoollog_logger *base)
{
}

void xv_libxl_logger_init(struct xv_libxl_logger *lg)
{
	memset(lg, 0, sizeof(*lg));
	lg->base.vmessage = logger_vmessage;
	lg->base.progress = logger_progress;
	lg->base.destroy = logger_destroy;
}

/* --- configurations --------------------------------------------------------- */

/* The keys translated below; anything else is refused by name. */
static const char *const known_keys[] = {
	"name", "uuid", "type", "builder", "memory", "maxmem", "vcpus", "maxvcpus",
	"kernel", "ramdisk", "extra", "root", "cmdline", "bootloader",
	"on_poweroff", "on_reboot", "on_crash", "vif", "disk",
	"vnc", "vnclisten", "vncdisplay", "vncunused", "vncpasswd", "serial", "boot",
};

struct build {
	const struct xv_libxl *api;
	XLU_Config *cfg;
	FILE *report;
	char *report_text;
	size_t report_len;
	const char *path;
	struct xv_error *e;
};

/* libxlutil's own message, for what it refused (its words: "FILE:LINE:
 * config parsing error near ..."), else `fallback`. */
static int parser_error(struct build *b, const char *fallback)
{
	char *nl, *msg;

	fflush(b->report);
	msg = b->report_text && *b->report_text ? b->report_text : NULL;
	if (!msg)
		return xv_error(b->e, XV_E_DATA, "%s: %s", b->path, fallback);
	if ((nl = strchr(msg, '\n')))
		*nl = '\0';
	/* "FILE:LINE: warning: parameter `x' is not a valid number": it refuses */
	char *w = strstr(msg, ": warning: ");
	if (w)
		memmove(w + 2, w + 11, strlen(w + 11) + 1);
	return xv_error(b->e, XV_E_DATA, "%s", msg);
}

/* An optional string: 0 absent or set (strdup'ed into *out), -1 error. */
static int get_string(struct build *b, const char *key, char **out)
{
	const char *v;
	int rc = b->api->xlu_cfg_get_string(b->cfg, key, &v, 0);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return parser_error(b, "a setting is not a single value");
	free(*out);
	*out = xv_strdup(v);
	return 0;
}

/* An optional whole number in [min, max]: 1 set, 0 absent, -1 error. */
static int get_long(struct build *b, const char *key, long min, long max, long *out)
{
	int rc = b->api->xlu_cfg_get_long(b->cfg, key, out, 0);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return parser_error(b, "a setting is not a number");
	if (*out < min || *out > max)
		return xv_error(b->e, XV_E_DATA, "%s: %s = %ld: expected %ld to %ld", b->path, key,
				*out, min, max);
	return 1;
}

static int get_bool(struct build *b, const char *key, libxl_defbool *out)
{
	long v;
	int rc = get_long(b, key, 0, 1, &v);

	if (rc > 0)
		b->api->libxl_defbool_set(out, v != 0);
	return rc < 0 ? -1 : 0;
}

static int get_action(struct build *b, const char *key, libxl_action_on_shutdown *out)
{
	/* xl's spellings (libxl's own names differ: restart_rename) */
	static const struct {
		const char *name;
		libxl_action_on_shutdown action;
	} actions[] = {
		{ "destroy", LIBXL_ACTION_ON_SHUTDOWN_DESTROY },
		{ "restart", LIBXL_ACTION_ON_SHUTDOWN_RESTART },
		{ "rename-restart", LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME },
		{ "preserve", LIBXL_ACTION_ON_SHUTDOWN_PRESERVE },
		{ "coredump-destroy", LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY },
		{ "coredump-restart", LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART },
		{ "soft-reset", LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET },
	};
	char *v = NULL;
	int rc;

	if (get_string(b, key, &v))
		return -1;
	if (!v)
		return 0;
	for (size_t i = 0; i < XV_ARRAY_SIZE(actions); i++)
		if (!strcmp(v, actions[i].name)) {
			*out = actions[i].action;
			free(v);
			return 0;
		}
	rc = xv_error(b->e, XV_E_DATA, "%s: %s: unknown action '%s' (destroy, restart, "
		      "rename-restart, preserve, coredump-destroy, coredump-restart, soft-reset)",
		      b->path, key, v);
	free(v);
	return rc;
}

static int parse_mac(const char *s, libxl_mac mac)
{
	unsigned v[6];
	char end;

	if (!xv_mac_is_valid(s) ||
	    sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* One vif specification "mac=..,bridge=..", as xl reads it. */
static int vif_spec(struct build *b, const char *spec, libxl_device_nic *nic)
{
	char *copy = xv_strdup(spec), *save = NULL;
	int rc = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *eq, *val, **field = NULL;

		while (*tok == ' ' || *tok == '\t')
			tok++;
		if (!*tok)
			continue;
		eq = strchr(tok, '=');
		if (!eq) {
			rc = xv_error(b->e, XV_E_DATA, "%s: vif '%s': '%s' is not key=value", b->path,
				      spec, tok);
			break;
		}
		*eq = '\0';
		val = eq + 1;
		if (!strcmp(tok, "mac")) {
			if (parse_mac(val, nic->mac))
				rc = xv_error(b->e, XV_E_DATA, "%s: vif '%s': '%s' is not a MAC "
					      "address like 00:16:3e:12:34:56", b->path, spec, val);
		} else if (!strcmp(tok, "bridge")) {
			field = &nic->bridge;
		} else if (!strcmp(tok, "ip")) {
			field = &nic->ip;
		} else if (!strcmp(tok, "script")) {
			field = &nic->script;
		} else if (!strcmp(tok, "vifname")) {
			field = &nic->ifname;
		} else if (!strcmp(tok, "model")) {
			field = &nic->model;
		} else if (!strcmp(tok, "type")) {
			if (!strcmp(val, "ioemu"))
				nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
			else if (!strcmp(val, "vif"))
				nic->nictype = LIBXL_NIC_TYPE_VIF;
			else
				rc = xv_error(b->e, XV_E_DATA, "%s: vif '%s': type must be ioemu or "
					      "vif", b->path, spec);
		} else {
			rc = xv_error(b->e, XV_E_UNSUPPORTED, "%s: vif '%s': xvmon cannot apply "
				      "'%s' (it takes mac, bridge, ip, script, vifname, model, type); "
				      "use xl create", b->path, spec, tok);
		}
		if (field) {
			free(*field);
			*field = xv_strdup(val);
		}
	}
	free(copy);
	return rc;
}

static int build_nics(struct build *b, libxl_domain_config *dc)
{
	XLU_ConfigList *list;
	int n = 0, rc = b->api->xlu_cfg_get_list(b->cfg, "vif", &list, &n, 0);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return parser_error(b, "vif: expected a list like ['bridge=xenbr0']");
	if (n > XV_XL_MAX_VIFS)
		return xv_error(b->e, XV_E_DATA, "%s: vif: more than %d interfaces", b->path,
				XV_XL_MAX_VIFS);
	dc->nics = xv_calloc((size_t)n + 1, sizeof(*dc->nics));
	for (int i = 0; i < n; i++) {
		const char *spec = b->api->xlu_cfg_get_listitem(list, i);
		libxl_device_nic *nic = &dc->nics[i];

		b->api->libxl_device_nic_init(nic);
		dc->num_nics++;
		nic->devid = i;
		if (!spec)
			return xv_error(b->e, XV_E_DATA, "%s: vif: item %d is not a string", b->path,
					i + 1);
		if (vif_spec(b, spec, nic))
			return -1;
	}
	return 0;
}

static int build_disks(struct build *b, libxl_domain_config *dc)
{
	XLU_ConfigList *list;
	int n = 0, rc = b->api->xlu_cfg_get_list(b->cfg, "disk", &list, &n, 0);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return parser_error(b, "disk: expected a list of disk specifications");
	if (n > 256)
		return xv_error(b->e, XV_E_DATA, "%s: disk: more than 256 disks", b->path);
	dc->disks = xv_calloc((size_t)n + 1, sizeof(*dc->disks));
	for (int i = 0; i < n; i++) {
		const char *spec = b->api->xlu_cfg_get_listitem(list, i);
		libxl_device_disk *disk = &dc->disks[i];

		b->api->libxl_device_disk_init(disk);
		dc->num_disks++;
		if (!spec)
			return xv_error(b->e, XV_E_DATA, "%s: disk: item %d is not a string", b->path,
					i + 1);
		/* xl's own disk syntax, by xl's own parser */
		if (b->api->xlu_disk_parse(b->cfg, 1, &spec, disk))
			return parser_error(b, "disk: cannot parse a disk specification");
	}
	return 0;
}

static int build_type(struct build *b, libxl_domain_config *dc)
{
	char *type = NULL, *builder = NULL;
	int rc = -1;

	if (get_string(b, "type", &type) || get_string(b, "builder", &builder))
		goto out;
	dc->c_info.type = LIBXL_DOMAIN_TYPE_PV; /* xl's default */
	if (type) {
		if (!strcmp(type, "pv"))
			dc->c_info.type = LIBXL_DOMAIN_TYPE_PV;
		else if (!strcmp(type, "pvh"))
			dc->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
		else if (!strcmp(type, "hvm"))
			dc->c_info.type = LIBXL_DOMAIN_TYPE_HVM;
		else {
			xv_error(b->e, XV_E_DATA, "%s: type = \"%s\": expected pv, pvh or hvm",
				 b->path, type);
			goto out;
		}
	} else if (builder) {
		if (!strcmp(builder, "hvm"))
			dc->c_info.type = LIBXL_DOMAIN_TYPE_HVM;
		else if (strcmp(builder, "generic")) {
			xv_error(b->e, XV_E_DATA, "%s: builder = \"%s\": expected hvm or generic",
				 b->path, builder);
			goto out;
		}
	}
	b->api->libxl_domain_build_info_init_type(&dc->b_info, dc->c_info.type);
	rc = 0;
out:
	free(type);
	free(builder);
	return rc;
}

static int build_memory_cpus(struct build *b, libxl_domain_config *dc)
{
	const long max_mib = (long)(XV_KIB_MAX / 1024);
	long memory = 128, maxmem, vcpus = 1, maxvcpus;
	int have_maxmem, have_maxvcpus;
	libxl_domain_build_info *bi = &dc->b_info;

	if (get_long(b, "memory", 1, max_mib, &memory) < 0 ||
	    (have_maxmem = get_long(b, "maxmem", 1, max_mib, &maxmem)) < 0 ||
	    get_long(b, "vcpus", 1, 4096, &vcpus) < 0 ||
	    (have_maxvcpus = get_long(b, "maxvcpus", 1, 4096, &maxvcpus)) < 0)
		return -1;
	if (!have_maxmem)
		maxmem = memory;
	if (maxmem < memory)
		return xv_error(b->e, XV_E_DATA, "%s: maxmem is below memory", b->path);
	if (!have_maxvcpus)
		maxvcpus = vcpus;
	if (maxvcpus < vcpus)
		return xv_error(b->e, XV_E_DATA, "%s: maxvcpus is below vcpus", b->path);
	bi->target_memkb = (uint64_t)memory * 1024;
	bi->max_memkb = (uint64_t)maxmem * 1024;
	bi->max_vcpus = (int)maxvcpus;
	if (vcpus < maxvcpus) {
		/* the vcpus online at start; libxl frees the map */
		bi->avail_vcpus.size = (uint32_t)((maxvcpus + 7) / 8);
		bi->avail_vcpus.map = xv_calloc(bi->avail_vcpus.size, 1);
		for (long i = 0; i < vcpus; i++)
			bi->avail_vcpus.map[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	return 0;
}

static int build_boot(struct build *b, libxl_domain_config *dc)
{
	libxl_domain_build_info *bi = &dc->b_info;
	char *root = NULL, *extra = NULL, *cmdline = NULL;
	int rc = -1;

	if (get_string(b, "kernel", &bi->kernel) || get_string(b, "ramdisk", &bi->ramdisk) ||
	    get_string(b, "bootloader", &bi->bootloader) || get_string(b, "root", &root) ||
	    get_string(b, "extra", &extra) || get_string(b, "cmdline", &cmdline))
		goto out;
	if (cmdline && (root || extra)) {
		xv_error(b->e, XV_E_DATA, "%s: cmdline is given with root or extra: give one or "
			 "the others", b->path);
		goto out;
	}
	if (cmdline) {
		bi->cmdline = cmdline;
		cmdline = NULL;
	} else if (root || extra) {
		/* as xl composes it */
		bi->cmdline = root ? xv_asprintf("root=%s%s%s", root, extra ? " " : "",
						 extra ? extra : "")
				   : xv_strdup(extra);
	}
	if (dc->c_info.type == LIBXL_DOMAIN_TYPE_HVM) {
		if (get_bool(b, "vnc", &bi->u.hvm.vnc.enable) ||
		    get_string(b, "vnclisten", &bi->u.hvm.vnc.listen) ||
		    get_string(b, "vncpasswd", &bi->u.hvm.vnc.passwd) ||
		    get_bool(b, "vncunused", &bi->u.hvm.vnc.findunused) ||
		    get_string(b, "serial", &bi->u.hvm.serial) ||
		    get_string(b, "boot", &bi->u.hvm.boot))
			goto out;
		long display;
		int have = get_long(b, "vncdisplay", 0, 65535 - 5900, &display);
		if (have < 0)
			goto out;
		if (have)
			bi->u.hvm.vnc.display = (int)display;
	} else {
		static const char *const hvm_only[] = { "vnc", "vnclisten", "vncdisplay",
							"vncunused", "vncpasswd", "serial", "boot" };
		for (size_t i = 0; i < XV_ARRAY_SIZE(hvm_only); i++) {
			const char *v;
			long l;
			if (b->api->xlu_cfg_get_string(b->cfg, hvm_only[i], &v, 1) != ESRCH ||
			    b->api->xlu_cfg_get_long(b->cfg, hvm_only[i], &l, 1) != ESRCH) {
				xv_error(b->e, XV_E_DATA, "%s: %s is for HVM guests (type = \"hvm\")",
					 b->path, hvm_only[i]);
				goto out;
			}
		}
		if (!bi->kernel && !bi->bootloader) {
			xv_error(b->e, XV_E_DATA, "%s: a %s guest needs kernel = \"...\" or "
				 "bootloader = \"pygrub\"", b->path,
				 dc->c_info.type == LIBXL_DOMAIN_TYPE_PVH ? "PVH" : "PV");
			goto out;
		}
	}
	rc = 0;
out:
	free(root);
	free(extra);
	free(cmdline);
	return rc;
}

static int check_keys(struct build *b, const struct xv_xl_config *keys)
{
	for (size_t i = 0; i < keys->n_keys; i++) {
		size_t k = 0;
		while (k < XV_ARRAY_SIZE(known_keys) && strcmp(known_keys[k], keys->keys[i].key))
			k++;
		if (k == XV_ARRAY_SIZE(known_keys))
			return xv_error_at(b->e, XV_E_UNSUPPORTED, b->path, keys->keys[i].line,
					   "xvmon cannot create a domain with '%s' (it translates "
					   "name, uuid, type, memory, maxmem, vcpus, maxvcpus, kernel, "
					   "ramdisk, extra, root, cmdline, bootloader, on_poweroff, "
					   "on_reboot, on_crash, vif, disk, vnc*, serial, boot); use "
					   "xl create", keys->keys[i].key);
	}
	return 0;
}

int xv_libxl_config_build(const struct xv_libxl *api, const char *path, const char *text,
			  size_t len, const struct xv_xl_config *keys, libxl_domain_config *dc,
			  struct xv_error *e)
{
	struct build b = { .api = api, .path = path, .e = e };
	char *uuid = NULL;
	int rc = -1;

	api->libxl_domain_config_init(dc);
	if (check_keys(&b, keys))
		return -1;
	if (len > INT32_MAX)
		return xv_error(e, XV_E_DATA, "%s: too large for an xl config", path);
	b.report = open_memstream(&b.report_text, &b.report_len);
	if (!b.report)
		return xv_error(e, XV_E_LOCAL, "cannot make a stream for libxlutil's messages: %s",
				strerror(errno));
	b.cfg = api->xlu_cfg_init(b.report, path);
	if (!b.cfg) {
		xv_error(e, XV_E_LOCAL, "libxlutil cannot start: %s", strerror(errno));
		goto out;
	}
	if (api->xlu_cfg_readdata(b.cfg, text, (int)len)) {
		parser_error(&b, "libxlutil cannot read it");
		goto out;
	}
	if (get_string(&b, "name", &dc->c_info.name))
		goto out;
	if (!dc->c_info.name || !*dc->c_info.name) {
		xv_error(e, XV_E_DATA, "%s: no name = \"...\" setting", path);
		goto out;
	}
	for (const unsigned char *c = (const unsigned char *)dc->c_info.name; *c; c++)
		if (*c < 0x20 || *c == 0x7f) {
			xv_error(e, XV_E_DATA, "%s: the name has a control character", path);
			goto out;
		}
	if (get_string(&b, "uuid", &uuid))
		goto out;
	if (uuid && api->libxl_uuid_from_string(&dc->c_info.uuid, uuid)) {
		xv_error(e, XV_E_DATA, "%s: uuid '%s' is not a UUID", path, uuid);
		goto out;
	}
	/* xl's defaults */
	dc->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	dc->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
	dc->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	dc->on_watchdog = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	dc->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
	if (build_type(&b, dc) || build_memory_cpus(&b, dc) || build_boot(&b, dc) ||
	    get_action(&b, "on_poweroff", &dc->on_poweroff) ||
	    get_action(&b, "on_reboot", &dc->on_reboot) ||
	    get_action(&b, "on_crash", &dc->on_crash) || build_nics(&b, dc) ||
	    build_disks(&b, dc))
		goto out;
	rc = 0;
out:
	free(uuid);
	if (b.cfg)
		api->xlu_cfg_destroy(b.cfg);
	fclose(b.report);
	free(b.report_text);
	return rc;
}

#endif
