/* token.h - random tokens for sessions and e-mailed links, their hashes and HMACs. */
#ifndef COEXIST_TOKEN_H
#define COEXIST_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_LEN 43 /* 32 random bytes as unpadded base64url */

/* Writes a new token of 32 random bytes as TOKEN_LEN base64url characters and a NUL. */
void token_new(char out[TOKEN_LEN + 1]);
/* Returns true when s is exactly TOKEN_LEN characters of the base64url alphabet (A-Z a-z 0-9 - _);
 * use it before looking a token up, so malformed input never reaches the database. */
bool token_well_formed(const char *s);
/* Writes the BLAKE2b-256 hash of the token text: what the database stores instead of the token. */
void token_hash(const char *token, unsigned char out[32]);
/* Writes HMAC-SHA-256 of len bytes of msg under a 32-byte key, as TOKEN_LEN base64url characters
 * and a NUL. */
void token_hmac(const unsigned char key[32], const char *msg, size_t len, char out[TOKEN_LEN + 1]);
/* Compares two strings in time that depends only on their lengths; false when either is NULL or
 * the lengths differ. */
bool token_equal(const char *a, const char *b);

#endif
