/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xsmem.c: libxenstat dump used by `make check-xen` as a reference reading in dom0 (copied from
   shared/lab/src/xsmem.c): node total/free memory and per-domain name, cur_mem, max_mem, state flags. */
#include <stdio.h>
#include <inttypes.h>
#include <xenstat.h>
int main(void) {
    xenstat_handle *h = xenstat_init();
    if (!h) { fprintf(stderr, "xenstat_init failed (not dom0 / no privcmd?)\n"); return 2; }
    xenstat_node *n = xenstat_get_node(h, XENSTAT_ALL);
    if (!n) { fprintf(stderr, "xenstat_get_node failed\n"); xenstat_uninit(h); return 3; }
    printf("node: xen %s cpus=%u tot_mem=%llu KiB free_mem=%llu KiB domains=%u\n",
           xenstat_node_xen_version(n), xenstat_node_num_cpus(n),
           (unsigned long long)(xenstat_node_tot_mem(n) / 1024),
           (unsigned long long)(xenstat_node_free_mem(n) / 1024), xenstat_node_num_domains(n));
    for (unsigned i = 0; i < xenstat_node_num_domains(n); i++) {
        xenstat_domain *d = xenstat_node_domain_by_index(n, i);
        char st[8] = "------";
        if (xenstat_domain_dying(d)) st[0] = 'd';
        if (xenstat_domain_crashed(d)) st[1] = 'c';
        if (xenstat_domain_shutdown(d)) st[2] = 's';
        if (xenstat_domain_paused(d)) st[3] = 'p';
        if (xenstat_domain_blocked(d)) st[4] = 'b';
        if (xenstat_domain_running(d)) st[5] = 'r';
        unsigned long long maxm = xenstat_domain_max_mem(d);
        printf("dom %u name=%s cur_mem=%llu KiB max_mem=%s%llu KiB vcpus=%u state=%s\n",
               xenstat_domain_id(d), xenstat_domain_name(d),
               (unsigned long long)(xenstat_domain_cur_mem(d) / 1024),
               maxm == (unsigned long long)-1 ? "unlimited/" : "", maxm == (unsigned long long)-1 ? 0ULL : maxm / 1024,
               xenstat_domain_num_vcpus(d), st);
    }
    xenstat_free_node(n);
    xenstat_uninit(h);
    return 0;
}
