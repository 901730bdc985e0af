/* The collector pipeline: ring buffer -> decode -> identity -> publish,
 * until *stop is set; then the counters. */
#ifndef RAMPART_COLLECTOR_RUN_H
#define RAMPART_COLLECTOR_RUN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "collector_config.h"

struct collector_counters {
	uint64_t read;            /* records read from the ring buffer */
	uint64_t decode_failed;   /* malformed records (never expected) */
	uint64_t published;       /* accepted by the producer */
	uint64_t send_failed;     /* producer refused: queue full past the timeout, fatal error */
	uint64_t ringbuf_drops;   /* kernel reservation failures, summed over CPUs */
	uint64_t delivered, delivery_failed; /* producer acknowledgements */
};

enum collector_exit {
	COLLECTOR_OK = 0,
	COLLECTOR_ERR_RUNTIME = 1,
	COLLECTOR_ERR_USAGE = 2,      /* bad arguments or configuration */
	COLLECTOR_ERR_CAPTURE = 3,    /* BTF, privileges or a required hook missing */
	COLLECTOR_ERR_TRANSPORT = 4,  /* the producer could not be opened */
};

/* Runs until *stop; fills *out. Returns an enum collector_exit. */
int collector_run(const struct collector_config *cc, volatile sig_atomic_t *stop, struct collector_counters *out,
		  FILE *log);
void collector_counters_print(const struct collector_counters *c, FILE *f);

#endif
