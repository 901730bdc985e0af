/* Builds the drivers actuator.<driver>.enabled asks for and hands them to
 * the actuator core. auto: a driver whose credentials are absent is left
 * out (logged); on: its absence is an error. */
#ifndef RAMPART_ACTUATOR_DRIVERS_H
#define RAMPART_ACTUATOR_DRIVERS_H

#include <stddef.h>

#include "actuator_config.h"

struct actuator;

/* 0, or -1 with err (a required driver could not start). */
int actuator_drivers_install(struct actuator *a, const struct actuator_config *ac, char *err, size_t errlen);

#endif
