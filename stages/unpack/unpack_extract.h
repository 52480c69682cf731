/* unpack_extract.h: `--extract-to DIR`: also write the accepted files as plain files under DIR,
 * safely: member names with an absolute path or a ".." component are refused, and every folder is
 * entered with O_NOFOLLOW, so nothing is ever written outside DIR (not even through a symlink that
 * already sits inside DIR). */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* write data to DIR/<prefix>/<member>; returns 0, or -1 with a reason in why */
int unpack_extract_file(const char *dir, const char *prefix, const char *member, const uint8_t *data, size_t len,
                        char *why, size_t whylen);
