/*
 * test_render.c: cooked HTML in, lines out.
 *
 * The layout of every construct is compared with expected text in
 * tests/data/render/NAME.wWIDTH.txt at widths 80, 40 and 20 (base URL
 * https://forum.example); styles, links and the hostile inputs (escape
 * sequences, invalid UTF-8, deep nesting, a 10 MB post) are checked here.
 * Every rendering is also checked for its width: no line passes it, a
 * quoted line starts with its blank margin, and no control byte survives.
 */
#include <config.h>

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ambt/render.h"
#include "ambt/util.h"

#define BASE "https://forum.example"

static char *
read_data(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char *path =
	    xasprintf("%s/tests/data/render/%s", top ? top : ".", name);
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	free(path);
	if (len != NULL)
		*len = b.len;
	return buf_steal(&b);
}

/* No ESC, no C1 control (raw 0x9b or encoded U+009B), valid UTF-8. */
static void
assert_inert(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!utf8_valid(s, strlen(s)))
		fail_msg("invalid UTF-8 in '%s'", s);
	for (; *p != '\0'; p++) {
		if (*p == 0x1b || (*p < 0x20 && *p != '\t' && *p != '\n'))
			fail_msg("control byte 0x%02x in '%s'", *p, s);
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			fail_msg("C1 control in '%s'", s);
	}
}

/* Every line within the width, its width right, its text inert. */
static void
check_lines(const struct rendered *rd, int width)
{
	for (size_t i = 0; i < rd->n_lines; i++) {
		const struct render_line *l = &rd->lines[i];
		size_t cols = 0;

		for (size_t j = 0; j < l->n_spans; j++) {
			assert_inert(l->spans[j].text);
			cols += utf8_width(l->spans[j].text);
		}
		assert_int_equal(cols, l->width);
		if (cols > (size_t)width)
			fail_msg("line %zu is %zu columns, width %d", i, cols,
			         width);
		/* The quote margin: blank columns the bars are drawn on. */
		if (l->quote_depth > 0) {
			size_t margin =
			    RENDER_QUOTE_COLS * (size_t)l->quote_depth;

			assert_true(l->n_spans > 0);
			assert_true(strspn(l->spans[0].text, " ") >= margin);
		}
	}
	for (size_t i = 0; i < rd->n_links; i++) {
		assert_inert(rd->links[i].url);
		assert_inert(rd->links[i].text);
	}
}

static struct rendered *
render_str(const char *html, int width, const char *base)
{
	struct render_options o = {width, base, false};
	struct rendered *rd = render_html(html, strlen(html), &o);

	assert_non_null(rd);
	check_lines(rd, width < 10 ? 10 : width);
	return rd;
}

/* The text of rendering html at width, as rendered_to_text prints it. */
static char *
text_of(const char *html, int width)
{
	struct rendered *rd = render_str(html, width, BASE);
	char *text = rendered_to_text(rd);

	rendered_free(rd);
	return text;
}

static void
assert_text(const char *html, int width, const char *want)
{
	char *got = text_of(html, width);

	assert_string_equal(got, want);
	free(got);
}

/* The style of the first span whose text is text, or fail. */
static unsigned
style_of(const struct rendered *rd, const char *text)
{
	for (size_t i = 0; i < rd->n_lines; i++) {
		for (size_t j = 0; j < rd->lines[i].n_spans; j++) {
			if (strcmp(rd->lines[i].spans[j].text, text) == 0)
				return rd->lines[i].spans[j].style;
		}
	}
	fail_msg("no span '%s'", text);
	return 0;
}

/* ---- every construct at 80, 40 and 20 columns ---- */

static void
test_golden(void **state)
{
	static const int widths[] = {80, 40, 20};
	const char *name = *state;
	char *file = xasprintf("%s.html", name);
	size_t len;
	char *html = read_data(file, &len);

	free(file);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(widths); i++) {
		struct render_options o = {widths[i], BASE, false};
		char *want, *got;
		struct rendered *rd = render_html(html, len, &o);

		file = xasprintf("%s.w%d.txt", name, widths[i]);
		want = read_data(file, NULL);
		got = rendered_to_text(rd);
		check_lines(rd, widths[i]);
		if (strcmp(got, want) != 0)
			fail_msg("%s differs:\n--- got\n%s--- want\n%s", file,
			         got, want);
		free(got);
		free(want);
		free(file);
		rendered_free(rd);
	}
	free(html);
}

/* ---- styles ---- */

static void
test_inline_styles(void **state)
{
	struct rendered *rd = render_str(
	    "<p><strong>vet</strong> <em>schuin</em> <code>f()</code> "
	    "<del>weg</del> <b><i>beide</i></b></p>",
	    80, BASE);

	(void)state;
	assert_int_equal(style_of(rd, "vet"), RS_BOLD);
	assert_int_equal(style_of(rd, "schuin"), RS_ITALIC);
	assert_int_equal(style_of(rd, "f()"), RS_CODE);
	assert_int_equal(style_of(rd, "weg"), RS_STRIKE);
	assert_int_equal(style_of(rd, "beide"), RS_BOLD | RS_ITALIC);
	/* A space between differently styled words is plain. */
	assert_int_equal(style_of(rd, " "), 0);
	rendered_free(rd);
}

static void
test_block_styles(void **state)
{
	size_t len;
	char *html = read_data("quote.html", &len);
	struct render_options o = {80, BASE, false};
	struct rendered *rd = render_html(html, len, &o);

	(void)state;
	assert_int_equal(style_of(rd, "demo wrote:"), RS_QUOTE_HEAD);
	assert_int_equal(rd->lines[0].quote_depth, 0);
	assert_int_equal(rd->lines[1].quote_depth, 1);
	/* Quoted lines, blank ones too, start with the bar's margin. */
	assert_string_equal(rd->lines[1].spans[0].text, "  ");
	assert_int_equal(rd->lines[2].quote_depth, 1);
	assert_int_equal(rd->lines[2].n_spans, 1);
	assert_string_equal(rd->lines[2].spans[0].text, "  ");
	assert_int_equal(style_of(rd, "Is de locatie vlot bereikbaar met het "
	                              "openbaar vervoer?"),
	                 RS_QUOTE);
	assert_int_equal(style_of(rd, "met een citaat erin"), RS_QUOTE);
	rendered_free(rd);
	free(html);

	rd = render_str("<h2>Kop</h2><ul><li>punt</li></ul><hr>"
	                "<p><img alt=\"foto\" src=\"/f.png\"></p>"
	                "<p><a class=\"mention\" href=\"/u/els\">@els</a></p>",
	                40, BASE);
	assert_int_equal(style_of(rd, "Kop"), RS_HEADING);
	assert_int_equal(style_of(rd, "\xE2\x80\xA2 "), RS_MARKER);
	assert_int_equal(rd->lines[4].spans[0].style, RS_MARKER);
	assert_int_equal(utf8_width(rd->lines[4].spans[0].text), 40);
	assert_int_equal(style_of(rd, "[image: foto]"), RS_IMAGE);
	assert_int_equal(style_of(rd, "@els"), RS_MENTION);
	assert_int_equal(rd->n_links, 0);
	rendered_free(rd);
}

static void
test_code_clipped(void **state)
{
	struct rendered *rd = render_str(
	    "<pre><code>kort\n0123456789012345678901234567890\n</code></pre>",
	    20, BASE);
	const struct render_line *l;

	(void)state;
	assert_int_equal(rd->n_lines, 2);
	assert_string_equal(rd->lines[0].spans[0].text, "kort");
	assert_int_equal(rd->lines[0].spans[0].style, RS_CODE);
	l = &rd->lines[1];
	assert_int_equal(l->width, 20);
	assert_string_equal(l->spans[0].text, "0123456789012345678");
	assert_string_equal(l->spans[l->n_spans - 1].text, "\xE2\x80\xA6");
	assert_int_equal(l->spans[l->n_spans - 1].style, RS_MARKER);
	rendered_free(rd);
	/* Spaces inside code are kept, never reflowed or collapsed. */
	assert_text("<pre>a   b\n  c</pre>", 80, "a   b\n  c\n");
}

/* ---- links ---- */

static void
test_links(void **state)
{
	size_t len;
	char *html = read_data("links.html", &len);
	struct render_options o = {80, BASE "/", false};
	struct rendered *rd = render_html(html, len, &o);

	(void)state;
	assert_int_equal(rd->n_links, 3);
	assert_string_equal(rd->links[0].url, BASE "/t/webinar/4");
	assert_string_equal(rd->links[0].text, "webinar-onderwerp");
	assert_string_equal(rd->links[1].url,
	                    "https://ambtenaar20.example.org/");
	assert_string_equal(rd->links[1].text, "Ambtenaar 2.0");
	assert_string_equal(rd->links[2].url, "https://cdn.example.org/x.pdf");
	assert_int_equal(style_of(rd, "webinar-onderwerp"), RS_LINK);
	assert_int_equal(style_of(rd, "[1]"), RS_LINK_NUM);
	assert_int_equal(style_of(rd, "@sanne"), RS_MENTION);
	rendered_free(rd);

	/* Without a base, relative links stay relative; no list asked. */
	o.base_url = NULL;
	o.no_link_list = true;
	rd = render_html(html, len, &o);
	assert_int_equal(rd->n_links, 3);
	assert_string_equal(rd->links[0].url, "/t/webinar/4");
	assert_int_equal(rd->n_lines, 2);
	rendered_free(rd);
	free(html);
}

/* ---- hostile input ---- */

static const char escapes[] =
    "\x1b[2J\x1b[H"          /* clear the screen */
    "\x1b]52;c;SGVsbG8=\x07" /* OSC 52: set the clipboard */
    "\x1b]0;pwned\x1b\\"     /* OSC 0: set the title */
    "\x9b"
    "31m" /* raw C1 CSI */
    "\xc2\x9b"
    "1m"                      /* C1 CSI as UTF-8 */
    "&#27;[5m&#x9b;7m&#155;"; /* and as character references */

static void
test_escapes_in_text(void **state)
{
	char *html = xasprintf("<p>voor %s na</p><pre>%s</pre>"
	                       "<ul><li>%s</li></ul><table><tr><td>%s</td>"
	                       "</tr></table>",
	                       escapes, escapes, escapes, escapes);
	struct rendered *rd = render_str(html, 80, BASE);
	char *text = rendered_to_text(rd);

	(void)state;
	assert_inert(text);
	/* Visible, not swallowed: the sequence shows as text. */
	assert_non_null(strstr(text, "voor ^[[2J^[[H^[]52;c;SGVsbG8=^G"));
	assert_non_null(strstr(text, "^[]0;pwned^[\\"));
	free(text);
	rendered_free(rd);
	free(html);
}

static void
test_escapes_in_attributes(void **state)
{
	char *html = xasprintf(
	    "<p><img alt=\"a%sb\" src=\"/x\"> <a href=\"/t/%s\">link</a> "
	    "<img class=\"emoji\" title=\":%s:\" alt=\":x:\"></p>"
	    "<aside class=\"quote\" data-username=\"u%s\"><blockquote>"
	    "<p>q</p></blockquote></aside>"
	    "<div class=\"discourse-post-event\" data-name=\"e%s\" "
	    "data-start=\"%s\"></div>"
	    "<aside class=\"onebox\" data-onebox-src=\"https://x/%s\">"
	    "<h3>t%s</h3></aside>",
	    escapes, escapes, escapes, escapes, escapes, escapes, escapes,
	    escapes);
	struct rendered *rd = render_str(html, 40, BASE);
	char *text = rendered_to_text(rd);

	(void)state;
	assert_inert(text);
	assert_int_equal(rd->n_links, 2);
	assert_non_null(strstr(text, "a^[[2J^[[H"));
	assert_non_null(strstr(rd->links[0].url, BASE "/t/^[[2J"));
	free(text);
	rendered_free(rd);
	free(html);
}

static void
test_invalid_utf8(void **state)
{
	char *text = text_of("<p>\xff\xfe \xc3 \xed\xa0\x80 \xf4\x90\x80\x80"
	                     " \xe2\x82 \xc3\xa9\xc3\xa9n caf\xc3\xa9</p>",
	                     80);

	(void)state;
	assert_inert(text);
	/* One bad byte does not turn the whole post into Latin-1. */
	assert_non_null(strstr(text, "\xc3\xa9\xc3\xa9n caf\xc3\xa9"));
	assert_non_null(strstr(text, "\xEF\xBF\xBD"));
	free(text);
}

static void
test_newlines_and_form_feeds(void **state)
{
	(void)state;
	assert_text("<p>een\r\ntwee\rdrie\ffour</p>", 80,
	            "een twee drie four\n");
	assert_text("<pre>een\r\ntwee\rdrie</pre>", 80, "een\ntwee\ndrie\n");
}

/* n opening tags of open, then inner, then the closing tags. */
static char *
nested(const char *open, const char *close, const char *inner, int n)
{
	struct buf b;

	buf_init(&b);
	for (int i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, inner);
	for (int i = 0; i < n; i++)
		buf_puts(&b, close);
	buf_puts(&b, "<p>daarna</p>");
	return buf_steal(&b);
}

static void
assert_deep(const char *open, const char *close, const char *inner,
            int max_depth)
{
	char *html = nested(open, close, inner, 10000);
	struct rendered *rd = render_str(html, 40, BASE);
	char *text = rendered_to_text(rd);

	assert_non_null(strstr(text, "diep"));
	assert_non_null(strstr(text, "daarna"));
	for (size_t i = 0; i < rd->n_lines; i++)
		assert_true(rd->lines[i].quote_depth <= max_depth);
	free(text);
	rendered_free(rd);
	free(html);
}

static void
test_deep_nesting(void **state)
{
	(void)state;
	assert_deep("<div>", "</div>", "<p>diep</p>", 0);
	/* Quote levels stop where half the width is used. */
	assert_deep("<blockquote>", "</blockquote>", "<p>diep</p>", 10);
	assert_deep("<ul>", "</ul>", "<li>diep</li>", 0);
	assert_deep("<ul><li>x", "</li></ul>", "diep", 0);
	assert_deep("<b>", "</b>", "diep", 0);
	assert_deep("<table><tr><td>", "</td></tr></table>", "diep", 0);
}

/*
 * 10 MB of paragraphs of ten 9-letter words: at 80 columns eight fit on a
 * line (8 * 9 + 7 = 79), so each paragraph is 2 lines, plus a blank
 * line between paragraphs.
 */
static void
test_ten_megabytes(void **state)
{
	static const char para[] = "<p>aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd "
	                           "eeeeeeeee fffffffff ggggggggg hhhhhhhhh "
	                           "iiiiiiiii jjjjjjjjj</p>\n";
	size_t n = 10 * 1024 * 1024 / (sizeof para - 1) + 1;
	struct render_options o = {80, BASE, false};
	struct rendered *rd;
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < n; i++)
		buf_append(&b, para, sizeof para - 1);
	assert_true(b.len >= 10 * 1024 * 1024);
	rd = render_html(b.data, b.len, &o);
	assert_int_equal(rd->n_lines, 3 * n - 1);
	assert_string_equal(rd->lines[1].spans[0].text, "iiiiiiiii jjjjjjjjj");
	assert_string_equal(rd->lines[3 * n - 2].spans[0].text,
	                    "iiiiiiiii jjjjjjjjj");
	assert_int_equal(rd->lines[3 * n - 3].width, 79);
	rendered_free(rd);
	buf_free(&b);
}

static void
test_empty(void **state)
{
	static const char *const inputs[] = {
	    "", "   \n ", "<div><span></span><p></p></div>",
	    "<html><head><title>t</title><script>x()</script></head></html>",
	    "<ul><li></li></ul><table></table><pre></pre>"};
	struct rendered *rd;
	char *text;

	(void)state;
	rd = render_html(NULL, 0, NULL);
	assert_int_equal(rd->n_lines, 0);
	rendered_free(rd);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(inputs); i++) {
		rd = render_str(inputs[i], 80, BASE);
		assert_int_equal(rd->n_lines, 0);
		assert_int_equal(rd->n_links, 0);
		text = rendered_to_text(rd);
		assert_string_equal(text, "");
		free(text);
		rendered_free(rd);
	}
}

/* Two-column characters at every wrap position: never split, never over. */
static void
test_wide_at_boundary(void **state)
{
	size_t len;
	char *html = read_data("wide.html", &len);

	(void)state;
	for (int w = 10; w <= 41; w++) {
		struct render_options o = {w, BASE, false};
		struct rendered *rd = render_html(html, len, &o);

		check_lines(rd, w);
		rendered_free(rd);
	}
	free(html);
	/* 11 CJK characters at 21 columns: ten fit, the last moves down. */
	assert_text("<p>\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	            "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	            "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5</p>",
	            21,
	            "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	            "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	            "\xe6\x97\xa5\xe6\x97\xa5\n\xe6\x97\xa5\n");
	/* Code that fills the line exactly, then more: the last character
	 * gives way to the marker. */
	assert_text("<pre>1234567890\tx</pre>", 10, "123456789\xE2\x80\xA6\n");
	assert_text("<pre>123456789\xe6\x97\xa5x</pre>", 11,
	            "123456789\xE2\x80\xA6\n");
	assert_text("<pre>1234567890</pre>", 10, "1234567890\n");
	/* A wide character in code that does not fit is cut before it. */
	assert_text("<pre>123456789\xe6\x97\xa5\xe6\x97\xa5</pre>", 10,
	            "123456789\xE2\x80\xA6\n");
}

static void
test_small_width(void **state)
{
	(void)state;
	/* Below 10 columns, 10 are used. */
	assert_text("<p>een twee drie vier</p>", 3, "een twee\ndrie vier\n");
	/* A number wider than a quarter of the line becomes a bullet. */
	assert_text("<ol start=\"123456789\"><li>x</li></ol>", 20,
	            "\xE2\x80\xA2 x\n");
	assert_text("<ol start=\"123456\"><li>x</li></ol>", 40, "123456. x\n");
}

#define GOLDEN(name) cmocka_unit_test_prestate(test_golden, (void *)name)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    GOLDEN("paragraphs"),
	    GOLDEN("inline"),
	    GOLDEN("pre"),
	    GOLDEN("quote"),
	    GOLDEN("lists"),
	    GOLDEN("headings"),
	    GOLDEN("table"),
	    GOLDEN("images"),
	    GOLDEN("onebox"),
	    GOLDEN("details"),
	    GOLDEN("links"),
	    GOLDEN("event"),
	    GOLDEN("wide"),
	    cmocka_unit_test(test_inline_styles),
	    cmocka_unit_test(test_block_styles),
	    cmocka_unit_test(test_code_clipped),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_escapes_in_text),
	    cmocka_unit_test(test_escapes_in_attributes),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_newlines_and_form_feeds),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_ten_megabytes),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_wide_at_boundary),
	    cmocka_unit_test(test_small_width),
	};

	/* Widths come from wcwidth, which needs a UTF-8 locale. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "en_US.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
