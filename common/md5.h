/* md5.h: MD5 (RFC 1321) of a byte buffer, for content identity of MIDI files (duplicates,
 * label matching). Not for security. Written here because the project links no crypto library. */
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct { uint32_t a, b, c, d; uint64_t len; uint8_t buf[64]; size_t nbuf; } emg_md5_ctx;

void emg_md5_init(emg_md5_ctx *c);
void emg_md5_update(emg_md5_ctx *c, const void *data, size_t n);
void emg_md5_final(emg_md5_ctx *c, uint8_t digest[16]);
/* one call: digest of data[0..n) */
void emg_md5(const void *data, size_t n, uint8_t digest[16]);
/* digests of n independent buffers (data[i], len[i]) into digest[i], eight at a time in vector
 * lanes: about 4x the throughput of n emg_md5 calls when there are many (md5_many.c; bench_md5) */
void emg_md5_many(const uint8_t *const *data, const size_t *len, size_t n, uint8_t (*digest)[16]);
/* 32 lowercase hex characters + NUL */
void emg_md5_hex(const uint8_t digest[16], char out[33]);
