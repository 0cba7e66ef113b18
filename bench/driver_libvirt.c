/* driver_libvirt.c: placeholder until written */
#include "driver.h"
