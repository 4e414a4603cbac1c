/*
** vm/sha256.h
** SHA-256 (FIPS 180-4) of a byte string: the fingerprint an export gives
** the model it ran (docs/results.md). None of the libraries deal links
** (Lua, GMP, readline, cJSON) has one, and one function does not justify
** linking libssl or libgcrypt; tests/results checks it against sha256sum.
*/
#ifndef DEAL_SHA256_H
#define DEAL_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct Sha256 {
  uint32_t h[8];
  uint64_t bytes;            /* message length so far */
  unsigned char buf[64];     /* a partial block */
  size_t nbuf;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t n);
void sha256_final(Sha256 *s, unsigned char out[32]);
/* The digest of data[0..n) as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t n, char hex[65]);
#endif
