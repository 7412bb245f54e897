/*
 * passwords.c: password hashes, TOTP codes and random tokens.
 *
 * Passwords: PBKDF2-HMAC-SHA256 from libcrypto, as Discourse hashes them
 * (User#hash_password; 64,000 iterations was its default for years and is
 * what the seed can afford for every demo member at start). libcrypto
 * rather than crypt(3)'s yescrypt because ambtd links it anyway for the
 * RSA of User API keys, and the iteration count, stored in each hash,
 * can be raised later without invalidating old ones.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "ambtd/accounts.h"

#define PBKDF2_ITERATIONS 64000
#define SALT_BYTES 16
#define HASH_BYTES 32

static void
to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int
random_hex(char *out, size_t n)
{
	unsigned char buf[64];

	if (n > sizeof buf || RAND_bytes(buf, (int)n) != 1)
		return -1;
	to_hex(buf, n, out);
	return 0;
}

void
sha256_hex(const char *s, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	to_hex(md, sizeof md, out);
}

static int
pbkdf2_hex(const char *password, const char *salt, int iterations,
           char out[2 * HASH_BYTES + 1])
{
	unsigned char key[HASH_BYTES];

	if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password),
	                      (const unsigned char *)salt, (int)strlen(salt),
	                      iterations, EVP_sha256(), sizeof key, key) != 1)
		return -1;
	to_hex(key, sizeof key, out);
	return 0;
}

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	char salt[2 * SALT_BYTES + 1], hash[2 * HASH_BYTES + 1];

	if (random_hex(salt, SALT_BYTES) < 0 ||
	    pbkdf2_hex(password, salt, PBKDF2_ITERATIONS, hash) < 0)
		return -1;
	snprintf(out, PASSWORD_HASH_MAX, "pbkdf2-sha256$%d$%s$%s",
	         PBKDF2_ITERATIONS, salt, hash);
	return 0;
}

bool
password_verify(const char *password, const char *stored)
{
	char salt[2 * SALT_BYTES + 1], want[2 * HASH_BYTES + 1];
	char got[2 * HASH_BYTES + 1];
	int iterations;

	if (!stored ||
	    sscanf(stored, "pbkdf2-sha256$%d$%32[0-9a-f]$%64[0-9a-f]",
	           &iterations, salt, want) != 3 ||
	    iterations < 1 || iterations > 10000000)
		return false;
	if (pbkdf2_hex(password, salt, iterations, got) < 0)
		return false;
	return CRYPTO_memcmp(got, want, sizeof got) == 0;
}

/* RFC 4648 base32 (spaces and case ignored, no padding needed). Returns
 * the byte count, or -1. */
static int
base32_decode(const char *s, unsigned char *out, size_t size)
{
	unsigned buffer = 0, bits = 0;
	size_t n = 0;

	for (; *s && *s != '='; s++) {
		const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		const char *at;

		if (*s == ' ')
			continue;
		at = strchr(alphabet, toupper((unsigned char)*s));
		if (!at || !*at)
			return -1;
		buffer = (buffer << 5) | (unsigned)(at - alphabet);
		bits += 5;
		if (bits >= 8) {
			if (n == size)
				return -1;
			out[n++] = (unsigned char)(buffer >> (bits - 8));
			bits -= 8;
		}
	}
	return (int)n;
}

/* RFC 4226's HOTP: HMAC-SHA1 over the counter, dynamic truncation. */
static unsigned
hotp(const unsigned char *key, int key_len, uint64_t counter)
{
	unsigned char msg[8], md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0, off;

	for (int i = 7; i >= 0; i--, counter >>= 8)
		msg[i] = (unsigned char)(counter & 0xff);
	HMAC(EVP_sha1(), key, key_len, msg, sizeof msg, md, &md_len);
	off = md[md_len - 1] & 0x0f;
	return (((unsigned)(md[off] & 0x7f) << 24) |
	        ((unsigned)md[off + 1] << 16) | ((unsigned)md[off + 2] << 8) |
	        md[off + 3]) %
	       1000000;
}

/* RFC 6238 with Discourse's settings (ROTP: 30 s, 6 digits, SHA-1), and
 * one step of drift either way as ROTP's drift_behind/ahead allow. */
bool
totp_verify(const char *base32_secret, const char *code, int64_t now)
{
	unsigned char key[64];
	int key_len = base32_decode(base32_secret, key, sizeof key);
	int64_t want;

	if (key_len <= 0 || !code || parse_int64(code, &want) < 0 ||
	    strlen(code) != 6)
		return false;
	for (int step = -1; step <= 1; step++)
		if (hotp(key, key_len, (uint64_t)(now / 30 + step)) ==
		    (unsigned)want)
			return true;
	return false;
}
