/* secret.c - the instance secret (the key of CSRF tokens), shared by every process on a database.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "db/db.h"
#include "db/meta.h"
#include "base/token.h"

int
auth_secret_load(struct db *db, unsigned char key[32])
{
	char hex[65];
	int have = meta_store_get(db, "auth.secret", hex, sizeof(hex));
	if (have < 0)
		return -1;
	if (have == 0) {
		/* First start: make it. Another process doing the same at the same moment is
		 * harmless: both read back whichever was written last before serving. */
		unsigned char fresh[32];
		randombytes_buf(fresh, sizeof(fresh));
		sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
		sodium_memzero(fresh, sizeof(fresh));
		if (db_begin(db) != 0)
			return -1;
		char again[65];
		int now_have = meta_store_get(db, "auth.secret", again, sizeof(again));
		if (now_have == 1)
			memcpy(hex, again, sizeof(hex));
		else if (now_have < 0 || meta_store_set(db, "auth.secret", hex) != 0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db) != 0)
			return -1;
	}
	size_t len = 0;
	if (sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &len, NULL) != 0 || len != 32)
		return -1;
	return 0;
}
