/*
 * login_key.c: the User API key browser flow's cryptography
 * (include/ambt/login.h): the RSA key pair, the approval URL and opening
 * the payload, with OpenSSL's libcrypto, which libcurl links already.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "ambt/i18n.h"
#include "ambt/login.h"
#include "ambt/util.h"

#define KEY_BITS 2048
#define NONCE_BYTES 16
#define CLIENT_ID_BYTES 16

struct login_key {
	EVP_PKEY *pkey;
	char *public_pem;
	char *client_id;
	char nonce[2 * NONCE_BYTES + 1];
};

/* n random bytes as hex into out (2n + 1 bytes); -1 when there are none. */
static int
random_hex(char *out, size_t n)
{
	unsigned char bytes[32];

	if (n > sizeof bytes || RAND_bytes(bytes, (int)n) != 1)
		return -1;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
	return 0;
}

char *
login_client_id(void)
{
	char id[2 * CLIENT_ID_BYTES + 1];

	if (random_hex(id, CLIENT_ID_BYTES) < 0)
		return NULL;
	return xstrdup(id);
}

static EVP_PKEY *
make_rsa_key(void)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, NULL);
	EVP_PKEY *pkey = NULL;

	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, KEY_BITS) <= 0 ||
	    EVP_PKEY_keygen(ctx, &pkey) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* The public half as a "BEGIN PUBLIC KEY" PEM (newly allocated). */
static char *
public_pem(EVP_PKEY *pkey)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *pem = NULL;
	long len;

	if (bio != NULL && PEM_write_bio_PUBKEY(bio, pkey) == 1) {
		len = BIO_get_mem_data(bio, &data);
		if (len > 0)
			pem = xstrndup(data, (size_t)len);
	}
	BIO_free(bio);
	return pem;
}

struct login_key *
login_key_new(const char *client_id, struct ambt_error *err)
{
	struct login_key *k = xcalloc(1, sizeof *k);

	k->pkey = make_rsa_key();
	k->public_pem = k->pkey ? public_pem(k->pkey) : NULL;
	if (k->public_pem == NULL || random_hex(k->nonce, NONCE_BYTES) < 0) {
		ambt_error_set(err, AMBT_E_IO,
		               _("cannot make an RSA key pair (OpenSSL)"));
		login_key_free(k);
		return NULL;
	}
	k->client_id = xstrdup(client_id);
	return k;
}

void
login_key_free(struct login_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k->public_pem);
	free(k->client_id);
	free(k);
}

char *
login_key_url(const struct login_key *k, const char *server)
{
	char *pem = url_escape(k->public_pem), *id = url_escape(k->client_id);
	size_t n = strlen(server);
	char *url;

	while (n > 0 && server[n - 1] == '/')
		n--;
	url = xasprintf("%.*s/user-api-key/new?application_name=ambt"
	                "&client_id=%s&scopes=read%%2Cwrite&public_key=%s"
	                "&nonce=%s&padding=oaep",
	                (int)n, server, id, pem, k->nonce);
	free(pem);
	free(id);
	return url;
}

/* Base64 with any whitespace (MIME line breaks, the paste's) left out;
 * the bytes into *out, their count, or -1. */
static long
unbase64(const char *text, unsigned char **out)
{
	struct buf clean;
	long len = -1;
	size_t pad = 0;

	buf_init(&clean);
	for (const char *p = text; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			buf_putc(&clean, *p);
	*out = xmalloc(clean.len / 4 * 3 + 3);
	if (clean.len > 0 && clean.len % 4 == 0) {
		len = EVP_DecodeBlock(*out, (unsigned char *)clean.data,
		                      (int)clean.len);
		pad = (clean.data[clean.len - 1] == '=') +
		      (clean.data[clean.len - 2] == '=');
	}
	buf_free(&clean);
	return len < 0 ? -1 : len - (long)pad;
}

/* RSA-decrypt with one padding; the plaintext (NUL-terminated) or NULL. */
static char *
rsa_decrypt(EVP_PKEY *pkey, int padding, const unsigned char *in, size_t len)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
	size_t outlen = 0;
	unsigned char *out = NULL;

	if (ctx == NULL || EVP_PKEY_decrypt_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, padding) <= 0 ||
	    EVP_PKEY_decrypt(ctx, NULL, &outlen, in, len) <= 0)
		goto out;
	out = xmalloc(outlen + 1);
	if (EVP_PKEY_decrypt(ctx, out, &outlen, in, len) <= 0) {
		free(out);
		out = NULL;
		goto out;
	}
	out[outlen] = '\0';
out:
	EVP_PKEY_CTX_free(ctx);
	return (char *)out;
}

/* The key from plaintext, when it is JSON carrying our nonce. */
static char *
key_from_json(const struct login_key *k, const char *plain)
{
	json_t *root = plain ? json_loads(plain, 0, NULL) : NULL;
	const char *nonce = json_string_value(json_object_get(root, "nonce"));
	const char *key = json_string_value(json_object_get(root, "key"));
	char *copy = NULL;

	if (nonce != NULL && key != NULL && key[0] != '\0' &&
	    strcmp(nonce, k->nonce) == 0)
		copy = xstrdup(key);
	json_decref(root);
	return copy;
}

char *
login_key_decrypt(const struct login_key *k, const char *payload,
                  struct ambt_error *err)
{
	/* OpenSSL 3.2+ answers a PKCS#1 v1.5 failure with random bytes,
	 * not an error: OAEP first, and the nonce decides. */
	static const int paddings[] = {RSA_PKCS1_OAEP_PADDING,
	                               RSA_PKCS1_PADDING};
	unsigned char *bytes = NULL;
	long len = unbase64(payload, &bytes);
	char *plain, *key = NULL;

	for (size_t i = 0; len > 0 && key == NULL && i < 2; i++) {
		plain = rsa_decrypt(k->pkey, paddings[i], bytes, (size_t)len);
		key = key_from_json(k, plain);
		if (plain != NULL)
			memset(plain, 0, strlen(plain));
		free(plain);
	}
	free(bytes);
	if (key == NULL)
		ambt_error_set(err, AMBT_E_DECODE,
		               len <= 0 ? _("the pasted text is not base64")
		                        : _("the pasted text is not the answer "
		                            "to this login (it does not open "
		                            "with its key and nonce)"));
	return key;
}

char *
login_key_device_request(const struct login_key *k)
{
	json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "nonce",
	                        k->nonce, "scopes", "read,write", "client_id",
	                        k->client_id, "application_name", "ambt",
	                        "public_key", k->public_pem, "padding", "oaep");
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	char *copy = xstrdup(text);

	free(text);
	json_decref(req);
	return copy;
}
