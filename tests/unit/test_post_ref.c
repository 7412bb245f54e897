/* test_post_ref.c: the posts `ambt tui` and a notice's URL name. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tui/post_ref.h"

#define SERVER "https://forum.example.org"

static void
expect_ref(const char *s, const char *server, int64_t topic, int post)
{
	int64_t got_topic = -1;
	int got_post = -1;

	assert_true(post_ref_parse(s, server, &got_topic, &got_post));
	assert_int_equal(got_topic, topic);
	assert_int_equal(got_post, post);
}

static void
expect_none(const char *s, const char *server)
{
	int64_t topic;
	int post;

	assert_false(post_ref_parse(s, server, &topic, &post));
}

static void
test_short_forms(void **state)
{
	(void)state;
	expect_ref("42/7", SERVER, 42, 7);
	expect_ref("42", SERVER, 42, 0); /* no post: the first unread */
	expect_ref("/t/42/7", SERVER, 42, 7);
	expect_ref("/t/studiedag-grimbergen/42/7", NULL, 42, 7);
	expect_ref("/t/studiedag-grimbergen/42", NULL, 42, 0);
}

static void
test_urls(void **state)
{
	(void)state;
	expect_ref(SERVER "/t/studiedag-grimbergen/42/7", SERVER, 42, 7);
	expect_ref(SERVER "/t/42/7?u=annelies", SERVER, 42, 7);
	expect_ref(SERVER "/t/42/7#reply", SERVER, 42, 7);
	/* The server as configured with a trailing slash, the host in
	 * capitals: the same server. */
	expect_ref("HTTPS://Forum.Example.Org/t/x/42/7", SERVER "/", 42, 7);
	/* Any server when none is given (a notice's own URL). */
	expect_ref("http://127.0.0.1:8080/t/42/3", NULL, 42, 3);
}

static void
test_refused(void **state)
{
	(void)state;
	expect_none("https://elders.example/t/x/42/7", SERVER);
	/* A longer host that starts like the server's is another server. */
	expect_none(SERVER ".evil.example/t/x/42/7", SERVER);
	expect_none(SERVER "/latest", SERVER);
	expect_none(SERVER "/u/annelies", SERVER);
	expect_none("", SERVER);
	expect_none("studiedag", SERVER);
	expect_none("42/x", SERVER);
	expect_none("42/7/9", SERVER);
	expect_none("0/1", SERVER);
	expect_none("-4/1", SERVER);
	expect_none("/t/", SERVER);
	expect_none("99999999999999999999/1", SERVER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_short_forms),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
