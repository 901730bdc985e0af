#include "fingerprint.h"

#define CRC64_AVRO_EMPTY UINT64_C(0xc15d213aa4d7a795)

/* Computed bit by bit rather than from a 256-entry table: schemas are
 * fingerprinted once at start-up, and this keeps the code free of global
 * state and initialisation order questions. */
uint64_t schema_fingerprint64(const char *canonical, size_t n)
{
	uint64_t fp = CRC64_AVRO_EMPTY;

	for (size_t i = 0; i < n; i++) {
		fp ^= (uint8_t)canonical[i];
		for (int k = 0; k < 8; k++)
			fp = (fp >> 1) ^ (CRC64_AVRO_EMPTY & (0 - (fp & 1)));
	}
	return fp;
}
