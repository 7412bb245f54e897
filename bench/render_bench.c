/*
 * render_bench.c: the renderer's throughput on one HTML file.
 *
 *   render_bench FILE [WIDTH [ROUNDS]]
 *
 * Renders FILE as one post at WIDTH columns (80) ROUNDS times (3) and
 * prints the best round in MB/s, with the lines it made. bench/render.sh
 * builds and runs it beside w3m -dump on the same file.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ambt/render.h"
#include "ambt/util.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_steal(&b);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct render_options o = {80, "https://forum.example", false};
	int rounds = argc > 3 ? atoi(argv[3]) : 3;
	double best = 0;
	size_t len, lines = 0;
	char *html;

	if (argc < 2) {
		fputs("usage: render_bench FILE [WIDTH [ROUNDS]]\n", stderr);
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8");
	if (argc > 2)
		o.width = atoi(argv[2]);
	html = slurp(argv[1], &len);
	for (int i = 0; i < rounds; i++) {
		double start = now(), t;
		struct rendered *r = render_html(html, len, &o);

		t = now() - start;
		lines = r->n_lines;
		rendered_free(r);
		if (i == 0 || t < best)
			best = t;
	}
	printf("ambt render  %8.2f MB/s  (%.2f MB in %.3f s, %zu lines)\n",
	       (double)len / 1e6 / best, (double)len / 1e6, best, lines);
	free(html);
	return 0;
}
