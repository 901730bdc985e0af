/* The in-process message bus behind the `local` transport: one bounded FIFO
 * per topic (created on first use by a producer or a consumer), shared by
 * every thread of one process. Consumers of the same topic share its queue,
 * so each message goes to exactly one of them.
 *
 * Lifecycle: local_bus_new() before opening any producer/consumer with
 * cfg->bus set; local_bus_close() makes every later or blocked
 * producer_send() fail while consumers drain what is queued and then get -2;
 * local_bus_free() only after every producer and consumer on it is closed
 * (messages still queued then are freed: that is the only way the bus loses
 * anything, and it is the owner's explicit choice). */
#ifndef RAMPART_LOCAL_BUS_H
#define RAMPART_LOCAL_BUS_H

#include <stddef.h>

struct local_bus;

/* Used when transport_config.send_timeout_ms is 0: producers block for queue
 * space this long and then fail. A negative send_timeout_ms waits forever. */
#define LOCAL_BUS_DEFAULT_SEND_TIMEOUT_MS 30000

/* capacity_per_topic: maximum queued (not yet polled) messages per topic;
 * must be > 0. NULL on allocation failure or a zero capacity. */
struct local_bus *local_bus_new(size_t capacity_per_topic);
/* Idempotent; wakes every blocked producer (which then fails) and consumer. */
void local_bus_close(struct local_bus *bus);
void local_bus_free(struct local_bus *bus);

#endif
