/* placeholder, replaced below */
#include "source_impl.h"
const struct xv_source_ops xv_source_ovs_ops = { .scheme = "ovs" };
