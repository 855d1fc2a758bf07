/* test_token.c - random tokens, their hashes, HMAC-SHA-256 and constant-time comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/token.h"

static void
new_tokens_are_well_formed_and_differ(void **state)
{
	(void)state;
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	token_new(b);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strlen(b), 43);
	assert_true(token_well_formed(a));
	assert_true(token_well_formed(b));
	assert_string_not_equal(a, b);
	/* The text decodes back to 32 bytes. */
	unsigned char raw[32];
	size_t rawlen = 0;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), a, strlen(a), NULL, &rawlen, NULL,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			 0);
	assert_int_equal(rawlen, 32);
}

static void
well_formed_means_43_base64url_characters(void **state)
{
	(void)state;
	const char *ok = "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM";
	assert_true(token_well_formed(ok));
	assert_true(token_well_formed("sDRMYdjbOFNcqK_OrwvxK4gdwgDJgz2nJuk3bC4yz_c"));
	assert_true(token_well_formed("-------------------------------------------"));

	char t[64];
	memcpy(t, ok, 42);
	t[42] = '\0';
	assert_false(token_well_formed(t)); /* 42 */
	snprintf(t, sizeof(t), "%sA", ok);
	assert_false(token_well_formed(t)); /* 44 */
	const char bad[] = {'+', '/', '=', ' ', '.', '%', '\n'};
	for (size_t i = 0; i < sizeof(bad); i++) {
		strcpy(t, ok);
		t[10] = bad[i];
		assert_false(token_well_formed(t));
	}
	strcpy(t, ok);
	t[42] = '=';
	assert_false(token_well_formed(t));
	assert_false(token_well_formed(""));
	assert_false(token_well_formed(NULL));
	assert_false(token_well_formed("W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOE\xC3\xA9"));
}

static void
hash_is_blake2b_256_of_the_text(void **state)
{
	(void)state;
	/* Known answer: BLAKE2b-256("abc"). */
	unsigned char h[32];
	char hex[65];
	token_hash("abc", h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(hex,
			    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");

	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	token_new(b);
	unsigned char ha[32], ha2[32], hb[32];
	token_hash(a, ha);
	token_hash(a, ha2);
	token_hash(b, hb);
	assert_memory_equal(ha, ha2, 32);
	assert_memory_not_equal(ha, hb, 32);
}

static void
hmac_matches_rfc_4231(void **state)
{
	(void)state;
	/* HMAC pads a short key with zeros to the block size, so a key of 4 or 20 bytes followed by
	 * zeros up to 32 gives the RFC's answers. Expected values are the RFC's hex in base64url.
	 */
	char out[TOKEN_LEN + 1];
	unsigned char key[32] = {0};

	memcpy(key, "Jefe", 4); /* test case 2 */
	const char *msg = "what do ya want for nothing?";
	token_hmac(key, msg, strlen(msg), out);
	/* 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 */
	assert_string_equal(out, "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");

	memset(key, 0, sizeof(key));
	memset(key, 0x0b, 20); /* test case 1 */
	token_hmac(key, "Hi There", 8, out);
	/* b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 */
	assert_string_equal(out, "sDRMYdjbOFNcqK_OrwvxK4gdwgDJgz2nJuk3bC4yz_c");
	assert_true(token_well_formed(out));

	/* The length is honoured: bytes after len do not count, a NUL inside does. */
	char shorter[TOKEN_LEN + 1];
	token_hmac(key, "Hi There, and more", 8, shorter);
	assert_string_equal(shorter, out);
	token_hmac(key, "Hi\0There", 8, shorter);
	assert_string_not_equal(shorter, out);
}

static void
equal_compares_whole_strings(void **state)
{
	(void)state;
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];
	token_new(a);
	memcpy(b, a, sizeof(a));
	assert_true(token_equal(a, b));
	b[42] = b[42] == 'A' ? 'B' : 'A';
	assert_false(token_equal(a, b));
	memcpy(b, a, sizeof(a));
	b[42] = '\0';
	assert_false(token_equal(a, b)); /* a prefix is not equal */
	assert_false(token_equal(b, a));
	assert_true(token_equal("", ""));
	assert_false(token_equal(a, NULL));
	assert_false(token_equal(NULL, a));
	assert_false(token_equal(NULL, NULL));
}

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_tokens_are_well_formed_and_differ),
		cmocka_unit_test(well_formed_means_43_base64url_characters),
		cmocka_unit_test(hash_is_blake2b_256_of_the_text),
		cmocka_unit_test(hmac_matches_rfc_4231),
		cmocka_unit_test(equal_compares_whole_strings),
	};
	return cmocka_run_group_tests_name("token", tests, setup, NULL);
}
