/* Path text from kernel records: leaf-first component lists (what the
 * kernel's dentry walk emits) turned into absolute paths, and relative user
 * paths resolved lexically against their base directory. */
#ifndef RAMPART_CAPTURE_PATHS_H
#define RAMPART_CAPTURE_PATHS_H

#include <stddef.h>

/* "sh\0bin\0" (n bytes) -> "/bin/sh"; no components -> "/". Output is
 * NUL-terminated and cut to cap-1 bytes. Returns the length written. */
size_t capture_path_from_comps(const char *comps, size_t n, char *out, size_t cap);

/* path if absolute, else base + "/" + path; then ".", ".." and repeated
 * slashes are folded lexically (symlinks are not followed: the kernel
 * reported base as it resolved it). Returns the length written. */
size_t capture_path_resolve(const char *base, const char *path, char *out, size_t cap);

/* The kernel module name of a module file: the basename without ".ko" or
 * a compressed ".ko.xz/.ko.zst/.ko.gz", '-' written '_' (as the kernel and
 * modprobe name modules): "/lib/modules/6.1.0/kernel/fs/xfs/xfs.ko.xz" ->
 * "xfs". A file without such a suffix keeps its basename. Cut to cap-1
 * bytes; returns the length written. */
size_t capture_module_name(const char *path, char *out, size_t cap);

#endif
