/* The network quarantine, as nftables in the calling process's network
 * namespace (libnftables; the local driver calls these in a child that has
 * entered the container's namespace).
 *
 * The quarantine is the table inet LOCAL_NFT_TABLE with base chains at the
 * input, forward and output filter hooks, no rules, policy drop: nothing
 * enters or leaves, loopback included, and a local connect() fails with
 * EPERM, while the processes keep running. Results are small non-negative
 * numbers so they fit a child's exit status. */
#ifndef RAMPART_ACT_LOCAL_NFT_H
#define RAMPART_ACT_LOCAL_NFT_H

#include <stddef.h>

#define LOCAL_NFT_TABLE "rampart_quarantine"
/* Bounds a helper running these that hangs; they take milliseconds. */
#define LOCAL_NFT_TIMEOUT_MS 5000

enum local_nft_result {
	LOCAL_NFT_CHANGED,   /* quarantine added / removed now */
	LOCAL_NFT_UNCHANGED, /* it was already there / already absent */
	LOCAL_NFT_ERROR,     /* msg says why */
};

/* Puts the quarantine in place. A table of that name that was there is
 * replaced, in the same transaction, so whatever was changed in it is
 * undone: UNCHANGED then. */
int local_nft_quarantine(char *msg, size_t n);

/* Removes the quarantine table. */
int local_nft_release(char *msg, size_t n);

/* 1 when the quarantine table exists here, 0 when not, -1 with msg. */
int local_nft_present(char *msg, size_t n);

#endif
