/* token.c - random tokens for sessions and e-mailed links, their hashes and HMACs. */
#include "token.h"

#include <string.h>

#include <sodium.h>

_Static_assert(sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
		       TOKEN_LEN + 1,
	       "32 bytes are 43 base64url characters and a NUL");
_Static_assert(crypto_auth_hmacsha256_BYTES == 32, "HMAC-SHA-256 is 32 bytes");
_Static_assert(crypto_auth_hmacsha256_KEYBYTES == 32, "token_hmac takes a 32-byte key");

void
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool
token_well_formed(const char *s)
{
	if (s == NULL)
		return false;
	size_t i;
	for (i = 0; i < TOKEN_LEN; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false; /* also stops at a NUL: the string is too short */
	}
	return s[i] == '\0';
}

/*
 * A fast hash is the right tool here, unlike for passwords: a token carries 256 random bits, so
 * nobody holding a copy of the database can find a token from its hash by guessing, however fast
 * each guess is. A slow KDF would protect nothing and cost every request its time. Storing the
 * hash only means a leaked table holds no session or link that can be replayed.
 */
void
token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

void
token_hmac(const unsigned char key[32], const char *msg, size_t len, char out[TOKEN_LEN + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, len, key);
	sodium_bin2base64(out, TOKEN_LEN + 1, mac, sizeof(mac),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
token_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return false;
	size_t alen = strlen(a), blen = strlen(b);
	if (alen != blen)
		return false; /* lengths are not secret: every token has the same one */
	return sodium_memcmp(a, b, alen) == 0;
}
