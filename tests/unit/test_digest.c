/* test_digest.c: the digest's pure parts: whole-word matching, --since,
 * --format, and each format's escaping of what a server sent. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ambt/digest.h"

#define T_2026_11_25_0900Z INT64_C(1795597200)
#define T_2026_11_01_0000Z INT64_C(1793491200)
#define DAY INT64_C(86400)

static char hostile_title[] = "<b>SELOR</b> & *co* [x](y) \"q\" 'a'";
static char *post_words[] = {"SELOR"};
static char *report_words[] = {"SELOR", "open data"};

/* One topic with one post whose every field a server could fill with
 * markup. */
static struct digest
sample(struct digest_post *p, struct digest_topic *t)
{
	*p = (struct digest_post){
	    .id = 8,
	    .post_number = 3,
	    .username = "koen",
	    .name = "Koen <De Smet>",
	    .excerpt = "bij SELOR & <i>co</i> `code` #tag",
	    .created_at = T_2026_11_25_0900Z,
	    .url = "http://127.0.0.1:1/t/selor/4/3",
	    .words = post_words,
	    .n_words = 1,
	};
	*t = (struct digest_topic){
	    .id = 4,
	    .title = hostile_title,
	    .url = "http://127.0.0.1:1/t/selor/4",
	    .posts = p,
	    .n_posts = 1,
	};
	return (struct digest){
	    .since = T_2026_11_01_0000Z,
	    .until = T_2026_11_25_0900Z + DAY,
	    .words = report_words,
	    .n_words = 2,
	    .topics = t,
	    .n_topics = 1,
	    .n_posts = 1,
	};
}

static void
test_word_in(void **state)
{
	(void)state;
	assert_true(digest_word_in("bij SELOR vandaag", "selor"));
	assert_true(digest_word_in("SELOR.", "SELOR"));
	assert_true(digest_word_in("(Selor)", "SELOR"));
	assert_true(digest_word_in("over open data en meer", "Open Data"));
	assert_false(digest_word_in("SELORs", "SELOR"));
	assert_false(digest_word_in("preSELOR", "SELOR"));
	assert_false(digest_word_in("SELOR_x", "SELOR"));
	/* A letter beyond ASCII continues the word. */
	assert_false(digest_word_in("SELORé", "SELOR"));
	assert_false(digest_word_in("anything", ""));
	assert_true(digest_word_in("aSELOR SELOR", "SELOR"));
}

static void
test_parse_since(void **state)
{
	int64_t now = T_2026_11_25_0900Z, t;

	(void)state;
	assert_int_equal(digest_parse_since("7d", now, &t), 0);
	assert_int_equal(t, now - 7 * DAY);
	assert_int_equal(digest_parse_since("24h", now, &t), 0);
	assert_int_equal(t, now - DAY);
	assert_int_equal(digest_parse_since("2w", now, &t), 0);
	assert_int_equal(t, now - 14 * DAY);
	assert_int_equal(digest_parse_since("30m", now, &t), 0);
	assert_int_equal(t, now - 1800);
	assert_int_equal(digest_parse_since("2026-11-01", now, &t), 0);
	assert_int_equal(t, T_2026_11_01_0000Z);
	assert_int_equal(digest_parse_since("2026-11-25T09:00:00Z", now, &t),
	                 0);
	assert_int_equal(t, T_2026_11_25_0900Z);
	const char *bad[] = {"",    "d",  "7",        "7x",        "7dd",
	                     "-7d", "0d", "gisteren", "2026-13-01"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(digest_parse_since(bad[i], now, &t), -1);
}

static void
test_parse_format(void **state)
{
	enum digest_format f;

	(void)state;
	assert_int_equal(digest_parse_format("markdown", &f), 0);
	assert_int_equal(f, DIGEST_MARKDOWN);
	assert_int_equal(digest_parse_format("json", &f), 0);
	assert_int_equal(f, DIGEST_JSON);
	assert_int_equal(digest_parse_format("HTML", &f), -1);
	assert_int_equal(digest_parse_format("pdf", &f), -1);
}

static void
test_text(void **state)
{
	struct digest_post p;
	struct digest_topic t;
	struct digest d = sample(&p, &t);
	char *out = digest_render(&d, DIGEST_TEXT);

	(void)state;
	assert_non_null(strstr(out, "Digest for SELOR, open data, "
	                            "2026-11-01 00:00 UTC to 2026-11-26 "
	                            "09:00 UTC\n1 post in 1 topic\n"));
	assert_non_null(strstr(out, hostile_title));
	assert_non_null(strstr(out, "  #3  koen (Koen <De Smet>)  "
	                            "2026-11-25 09:00 UTC\n"));
	assert_non_null(strstr(out, "      http://127.0.0.1:1/t/selor/4/3\n"));
	free(out);
}

static void
test_markdown(void **state)
{
	struct digest_post p;
	struct digest_topic t;
	struct digest d = sample(&p, &t);
	char *out = digest_render(&d, DIGEST_MARKDOWN);

	(void)state;
	assert_non_null(strstr(out, "## [\\<b\\>SELOR\\</b\\> \\& \\*co\\* "
	                            "\\[x\\]\\(y\\) \"q\" 'a']("
	                            "http://127.0.0.1:1/t/selor/4)\n"));
	assert_non_null(strstr(out, "- **koen** (Koen \\<De Smet\\>), "
	                            "2026-11-25 09:00 UTC, [#3]("
	                            "http://127.0.0.1:1/t/selor/4/3): bij "
	                            "SELOR \\& \\<i\\>co\\</i\\> \\`code\\` "
	                            "\\#tag\n"));
	free(out);
}

static void
test_html(void **state)
{
	struct digest_post p;
	struct digest_topic t;
	struct digest d = sample(&p, &t);
	char *out = digest_render(&d, DIGEST_HTML);

	(void)state;
	assert_int_equal(strncmp(out, "<!DOCTYPE html>\n<html>\n", 23), 0);
	assert_non_null(strstr(out, "<h2><a href=\"http://127.0.0.1:1/t/selor/"
	                            "4\">&lt;b&gt;SELOR&lt;/b&gt; &amp; *co* "
	                            "[x](y) &quot;q&quot; &#39;a&#39;</a>"
	                            "</h2>"));
	assert_non_null(strstr(out, "(Koen &lt;De Smet&gt;)"));
	assert_non_null(
	    strstr(out, "<time datetime=\"2026-11-25T09:00:00Z\">"));
	assert_null(strstr(out, "<b>"));
	assert_null(strstr(out, "<i>"));
	size_t n = strlen(out);
	assert_true(n > 8 && strcmp(out + n - 8, "</html>\n") == 0);
	free(out);
}

static void
test_json(void **state)
{
	struct digest_post p;
	struct digest_topic t;
	struct digest d = sample(&p, &t);
	char *out = digest_render(&d, DIGEST_JSON);
	json_error_t err;
	json_t *j = json_loads(out, 0, &err);

	(void)state;
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "since")),
	                    "2026-11-01T00:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(j, "post_count")),
	                 1);
	json_t *post = json_array_get(
	    json_object_get(json_array_get(json_object_get(j, "topics"), 0),
	                    "posts"),
	    0);
	assert_string_equal(json_string_value(json_object_get(post, "name")),
	                    "Koen <De Smet>");
	assert_int_equal(json_integer_value(json_object_get(post, "id")), 8);
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(post, "words"), 0)),
	                    "SELOR");
	/* Stable: the same digest gives the same bytes. */
	char *again = digest_render(&d, DIGEST_JSON);
	assert_string_equal(out, again);
	free(again);
	json_decref(j);
	free(out);
}

static void
test_empty(void **state)
{
	struct digest d = {.since = T_2026_11_01_0000Z,
	                   .until = T_2026_11_25_0900Z,
	                   .words = report_words,
	                   .n_words = 1};
	static const enum digest_format formats[] = {
	    DIGEST_TEXT, DIGEST_MARKDOWN, DIGEST_HTML};

	(void)state;
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *out = digest_render(&d, formats[i]);
		assert_non_null(strstr(out, "0 posts in 0 topics"));
		assert_non_null(strstr(out, "No posts name these words"));
		free(out);
	}
	char *out = digest_render(&d, DIGEST_JSON);
	assert_non_null(strstr(out, "\"topics\": []"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_word_in),
	    cmocka_unit_test(test_parse_since),
	    cmocka_unit_test(test_parse_format),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
