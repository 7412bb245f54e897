/* test_cook.c: raw Markdown -> Discourse's cooked HTML (src/ambtd/cook.c). */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambt/util.h"
#include "ambtd/ambtd.h"

static void
expect_cooked(const char *raw, const char *want)
{
	char *got = cook(raw);

	assert_string_equal(got, want);
	free(got);
}

/* Each needle must (want = true) or must not occur in cook(raw). */
static void
expect_parts(const char *raw, bool want, ...)
{
	char *got = cook(raw);
	const char *needle;
	va_list ap;

	va_start(ap, want);
	while ((needle = va_arg(ap, const char *)) != NULL) {
		if ((strstr(got, needle) != NULL) != want)
			fail_msg("%s \"%s\" in:\n%s", want ? "no" : "unwanted",
			         needle, got);
	}
	va_end(ap);
	free(got);
}

/* Occurrences of needle. Not strstr in a loop: ASan's strstr measures the
 * whole haystack on every call. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle), i;

	for (i = 0; hay[i] != '\0'; i++) {
		if (strncmp(hay + i, needle, len) == 0) {
			n++;
			i += len - 1;
		}
	}
	return n;
}

static void
test_markdown(void **state)
{
	(void)state;
	expect_cooked("", "");
	expect_cooked("Hallo *wereld* en **allen**",
	              "<p>Hallo <em>wereld</em> en <strong>allen</strong></p>");
	expect_cooked("een\ntwee", "<p>een<br />\ntwee</p>");
	expect_cooked("alinea 1\n\nalinea 2",
	              "<p>alinea 1</p>\n<p>alinea 2</p>");
	expect_cooked("[site](https://ambtenaar20.nl)",
	              "<p><a href=\"https://ambtenaar20.nl\">site</a></p>");
	expect_cooked("- een\n- twee",
	              "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>");
	expect_cooked("1. een\n2. twee",
	              "<ol>\n<li>een</li>\n<li>twee</li>\n</ol>");
	expect_cooked("`a < b`", "<p><code>a &lt; b</code></p>");
	expect_cooked("```\nif (a < b)\n```",
	              "<pre><code class=\"lang-auto\">if (a &lt; b)\n"
	              "</code></pre>");
	expect_cooked("```ruby extra\nputs 1\n```",
	              "<pre data-code-wrap=\"ruby\"><code class=\"lang-ruby\">"
	              "puts 1\n</code></pre>");
	expect_cooked("```\"><script>\nx\n```",
	              "<pre data-code-wrap=\"&quot;&gt;&lt;script&gt;\">"
	              "<code class=\"lang-&quot;&gt;&lt;script&gt;\">x\n"
	              "</code></pre>");
	expect_cooked("    ingesprongen",
	              "<pre><code>ingesprongen\n</code></pre>");
	expect_cooked("> geciteerd", "<blockquote>\n<p>geciteerd</p>\n"
	                             "</blockquote>");
	expect_cooked("## Kop", "<h2>Kop</h2>");
	expect_cooked("a\r\nb", "<p>a<br />\nb</p>");
}

static void
test_quote(void **state)
{
	char *got;

	(void)state;
	expect_parts(
	    "[quote=\"anna, post:3, topic:7\"]\nZeker *waar*\n"
	    "[/quote]\n\nEens.",
	    true,
	    "<aside class=\"quote no-group\" data-username=\"anna\" "
	    "data-post=\"3\" data-topic=\"7\">\n<div class=\"title\">\n"
	    "<div class=\"quote-controls\"></div>\n"
	    "<img alt=\"\" width=\"24\" height=\"24\" src=\"",
	    "\" class=\"avatar\"> anna:</div>\n<blockquote>\n"
	    "<p>Zeker <em>waar</em></p>\n</blockquote>\n</aside>\n"
	    "<p>Eens.</p>",
	    NULL);
	expect_parts("[quote=\"anna\"]\nhoi\n[/quote]", true,
	             "data-username=\"anna\">", "anna:</div>", NULL);
	expect_parts("[quote=\"anna\"]\nhoi\n[/quote]", false, "data-post",
	             "data-topic", NULL);
	/* A quote without a name has no title; on one line it still works. */
	expect_cooked("[quote]hoi[/quote]",
	              "<aside class=\"quote no-group\">\n<blockquote>\n"
	              "<p>hoi</p>\n</blockquote>\n</aside>");
	/* Not a number: no data-post. */
	expect_parts("[quote=\"anna, post:3\\\" onclick=x, topic:7\"]\nx\n"
	             "[/quote]",
	             false, "onclick=x\"", "data-post", NULL);
	/* Unclosed: literal text, as on Discourse. */
	expect_cooked("[quote=\"anna\"]\nhoi",
	              "<p>[quote=&quot;anna&quot;]<br />\nhoi</p>");
	/* Inside fenced code: literal. */
	expect_cooked("```\n[quote]\nx\n[/quote]\n```",
	              "<pre><code class=\"lang-auto\">[quote]\nx\n[/quote]\n"
	              "</code></pre>");

	got = cook("[quote=\"a, post:1, topic:1\"]\n[quote=\"b, post:2, "
	           "topic:1\"]\ndiep\n[/quote]\nbuiten\n[/quote]");
	assert_int_equal(count(got, "<aside"), 2);
	assert_int_equal(count(got, "</aside>"), 2);
	assert_non_null(strstr(got, "data-username=\"b\""));
	/* the inner quote sits inside the outer one's blockquote */
	assert_true(strstr(got, "data-username=\"b\"") >
	            strstr(got, "data-username=\"a\""));
	assert_true(strstr(got, "<p>buiten</p>") > strstr(got, "</aside>"));
	free(got);
}

static void
test_quote_name_escaped(void **state)
{
	(void)state;
	expect_parts("[quote=\"x\\\"><script>alert(1)</script>, post:1, "
	             "topic:1\"]\nhoi\n[/quote]",
	             false, "<script", "\"><", NULL);
	expect_parts("[quote=\"<b onmouseover='x'>\"]\nhoi\n[/quote]", true,
	             "data-username=\"&lt;b onmouseover=&#39;x&#39;&gt;\"",
	             NULL);
	expect_parts("[quote=\"<b onmouseover='x'>\"]\nhoi\n[/quote]", false,
	             "<b ", NULL);
}

static void
test_mentions(void **state)
{
	(void)state;
	expect_cooked("Dank @Anna_de-Vries.",
	              "<p>Dank <a class=\"mention\" href=\"/u/anna_de-vries\">"
	              "@Anna_de-Vries</a>.</p>");
	expect_cooked("@piet en @klaas",
	              "<p><a class=\"mention\" href=\"/u/piet\">@piet</a> en "
	              "<a class=\"mention\" href=\"/u/klaas\">@klaas</a></p>");
	expect_cooked("mail info@ambtenaar20.nl",
	              "<p>mail info@ambtenaar20.nl</p>");
	expect_parts("`@piet` en\n\n    @klaas in code\n\n```\n@jan\n```",
	             false, "class=\"mention\"", NULL);
	expect_parts("[zie @piet](https://x.nl/@piet)", false,
	             "class=\"mention\"", NULL);
	expect_parts("*@piet*", true,
	             "<em><a class=\"mention\" href=\"/u/piet\">@piet</a></em>",
	             NULL);
	expect_parts("> [quote]\n@piet\n[/quote]", true, "@piet", NULL);
	expect_cooked("@ alleen", "<p>@ alleen</p>");
}

static void
test_event(void **state)
{
	(void)state;
	expect_cooked(
	    "[event start=\"2026-11-25 09:00\" end=\"2026-11-25 "
	    "17:00\" status=\"public\" name=\"Studiedag <Grimbergen>\" "
	    "allowedGroups=\"trust_level_0\"]\nDe *studiedag*\n"
	    "[/event]",
	    "<div class=\"discourse-post-event\" "
	    "data-start=\"2026-11-25 09:00\" "
	    "data-end=\"2026-11-25 17:00\" data-status=\"public\" "
	    "data-name=\"Studiedag &lt;Grimbergen&gt;\" "
	    "data-allowed-groups=\"trust_level_0\">\n"
	    "<p>De <em>studiedag</em></p>\n</div>");
	expect_parts("[event start=\"x\" name=\"a\\\" onload=\\\"b\"]\n"
	             "[/event]",
	             false, " onload=", NULL);
	expect_parts("[event start=\"2026-01-01\" \"x><script>=1]\n[/event]",
	             false, "<script", NULL);
}

static void
test_raw_html_inert(void **state)
{
	(void)state;
	expect_parts("<script>alert(1)</script>\n\nhoi <img src=x "
	             "onerror=alert(1)> <b onclick=\"x\">b</b>",
	             false, "<script", "<img", "onerror", "onclick", NULL);
	expect_parts("[klik](javascript:alert(1)) ![x](javascript:alert(2))",
	             false, "javascript:", NULL);
	expect_parts("<a href=\"javascript:alert(1)\">x</a>", false,
	             "javascript:", "<a", NULL);
	expect_parts("[quote=\"anna\"]\n<iframe src=x></iframe>\n[/quote]",
	             false, "<iframe", NULL);
}

static void
test_invalid_utf8(void **state)
{
	char *got;

	(void)state;
	got = cook("caf\xc3 \xff\xfe [quote=\"\xe2\x82\"]\nx\n[/quote] "
	           "\xed\xa0\x80");
	assert_true(utf8_valid(got, strlen(got)));
	assert_non_null(strstr(got, "\xef\xbf\xbd"));
	free(got);
	expect_cooked("Caf\xc3\xa9 \xe2\x82\xac",
	              "<p>Caf\xc3\xa9 \xe2\x82\xac</p>");
}

static void
test_deep_nesting(void **state)
{
	size_t depth = 10000, i;
	struct buf raw;
	char *got;

	(void)state;
	buf_init(&raw);
	for (i = 0; i < depth; i++)
		buf_putc(&raw, '>');
	buf_puts(&raw, " diep");
	got = cook(raw.data);
	assert_int_equal(count(got, "<blockquote>"), depth);
	assert_non_null(strstr(got, "<p>diep</p>"));
	free(got);

	buf_reset(&raw);
	for (i = 0; i < depth; i++)
		buf_puts(&raw, "[quote=\"a, post:1, topic:1\"]\n");
	buf_puts(&raw, "kern\n");
	for (i = 0; i < depth; i++)
		buf_puts(&raw, "[/quote]\n");
	got = cook(raw.data);
	assert_int_equal(count(got, "<aside"), depth);
	assert_int_equal(count(got, "</aside>"), depth);
	free(got);
	buf_free(&raw);
}

static void
test_large_input(void **state)
{
	size_t size = 1024 * 1024, i;
	char *raw = malloc(size + 1);
	char *got;

	(void)state;
	assert_non_null(raw);
	for (i = 0; i < size; i++)
		raw[i] = (i % 80 == 79) ? '\n' : "ab @c*d_ "[i % 9];
	raw[size] = '\0';
	got = cook(raw);
	assert_true(strlen(got) > size);
	assert_true(strncmp(got, "<p>", 3) == 0);
	free(got);
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_quote_name_escaped),
	    cmocka_unit_test(test_mentions),
	    cmocka_unit_test(test_event),
	    cmocka_unit_test(test_raw_html_inert),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_large_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
