/* CRC-64-AVRO (Rabin) fingerprint of a schema's Parsing Canonical Form, as
 * used by Avro single-object encoding. Pure function, thread-safe. */
#ifndef RAMPART_FINGERPRINT_H
#define RAMPART_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

uint64_t schema_fingerprint64(const char *canonical, size_t n);

#endif
