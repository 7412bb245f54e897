/* test_login_key.c: the User API key browser flow's cryptography. The
 * test plays the server: it encrypts a payload to the public key in the
 * approval URL, as Discourse does, with either padding. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "ambt/login.h"
#include "ambt/util.h"

/* A query parameter of url, decoded (newly allocated). */
static char *
param(const char *url, const char *name)
{
	char *key = xasprintf("%s=", name), *value, *out;
	const char *p = strstr(url, key);
	int n;

	assert_non_null(p);
	p += strlen(key);
	value = xstrndup(p, strcspn(p, "&"));
	out = curl_easy_unescape(NULL, value, 0, &n);
	assert_non_null(out);
	free(value);
	free(key);
	value = xstrdup(out);
	curl_free(out);
	return value;
}

/* What the server does: RSA-encrypt text to pem, base64 with a line
 * break every 60 characters (Ruby's Base64.encode64). */
static char *
server_payload(const char *pem, const char *text, int padding)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
	unsigned char out[512], b64[1024];
	size_t outlen = sizeof out;
	struct buf mime;
	int n;

	assert_non_null(pkey);
	assert_true(EVP_PKEY_encrypt_init(ctx) > 0);
	assert_true(EVP_PKEY_CTX_set_rsa_padding(ctx, padding) > 0);
	assert_true(EVP_PKEY_encrypt(ctx, out, &outlen,
	                             (const unsigned char *)text,
	                             strlen(text)) > 0);
	n = EVP_EncodeBlock(b64, out, (int)outlen);
	buf_init(&mime);
	for (int i = 0; i < n; i += 60) {
		buf_append(&mime, b64 + i, (size_t)(n - i < 60 ? n - i : 60));
		buf_putc(&mime, '\n');
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	return buf_steal(&mime);
}

struct flow {
	struct login_key *key;
	char *url, *pem, *nonce;
};

static int
setup(void **state)
{
	struct flow *f = xcalloc(1, sizeof *f);
	struct ambt_error err = {0};

	f->key = login_key_new("0123456789abcdef0123456789abcdef", &err);
	assert_non_null(f->key);
	f->url = login_key_url(f->key, "https://forum.example.org/");
	f->pem = param(f->url, "public_key");
	f->nonce = param(f->url, "nonce");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct flow *f = *state;

	login_key_free(f->key);
	free(f->url);
	free(f->pem);
	free(f->nonce);
	free(f);
	return 0;
}

static void
test_url(void **state)
{
	struct flow *f = *state;
	char *v;

	assert_true(strncmp(f->url,
	                    "https://forum.example.org/user-api-key/new?",
	                    43) == 0);
	v = param(f->url, "scopes");
	assert_string_equal(v, "read,write");
	free(v);
	v = param(f->url, "padding");
	assert_string_equal(v, "oaep");
	free(v);
	v = param(f->url, "client_id");
	assert_string_equal(v, "0123456789abcdef0123456789abcdef");
	free(v);
	assert_true(strncmp(f->pem, "-----BEGIN PUBLIC KEY-----", 26) == 0);
	assert_true(strlen(f->nonce) >= 16);
}

static void
open_with(void **state, int padding)
{
	struct flow *f = *state;
	struct ambt_error err = {0};
	char *text = xasprintf("{\"key\":\"3f2a00112233445566778899aabbccdd\","
	                       "\"nonce\":\"%s\",\"push\":false,\"api\":4}",
	                       f->nonce);
	char *payload = server_payload(f->pem, text, padding);
	char *key = login_key_decrypt(f->key, payload, &err);

	assert_non_null(key);
	assert_string_equal(key, "3f2a00112233445566778899aabbccdd");
	free(key);
	free(payload);
	free(text);
}

static void
test_oaep(void **state)
{
	open_with(state, RSA_PKCS1_OAEP_PADDING);
}

/* An older server ignores padding=oaep. */
static void
test_pkcs1(void **state)
{
	open_with(state, RSA_PKCS1_PADDING);
}

static void
test_wrong_nonce_refused(void **state)
{
	struct flow *f = *state;
	struct ambt_error err = {0};
	char *payload =
	    server_payload(f->pem, "{\"key\":\"k\",\"nonce\":\"someone-else\"}",
	                   RSA_PKCS1_OAEP_PADDING);

	assert_null(login_key_decrypt(f->key, payload, &err));
	assert_int_equal(err.kind, AMBT_E_DECODE);
	assert_non_null(strstr(err.msg, "not the answer"));
	free(payload);
}

/* A payload made for another login's key does not open with this one. */
static void
test_other_key_refused(void **state)
{
	struct flow *f = *state;
	struct ambt_error err = {0};
	struct login_key *other = login_key_new("x", &err);
	char *url = login_key_url(other, "https://forum.example.org");
	char *pem = param(url, "public_key");
	char *text = xasprintf("{\"key\":\"k\",\"nonce\":\"%s\"}", f->nonce);
	char *payload = server_payload(pem, text, RSA_PKCS1_OAEP_PADDING);

	assert_null(login_key_decrypt(f->key, payload, &err));
	assert_null(login_key_decrypt(f->key, "not base64!", &err));
	assert_non_null(strstr(err.msg, "not base64"));
	free(payload);
	free(text);
	free(pem);
	free(url);
	login_key_free(other);
}

static void
test_client_ids_differ(void **state)
{
	char *a = login_client_id(), *b = login_client_id();

	(void)state;
	assert_int_equal(strlen(a), 32);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_url, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oaep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pkcs1, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_nonce_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_other_key_refused, setup,
	                                    teardown),
	    cmocka_unit_test(test_client_ids_differ),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
