/*
 * main.c: ambtd's command line, start-up and clean stop.
 */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ambtd/ambtd.h"

struct ambtd *ambtd;

struct options {
	const char *listen;
	const char *db_path;
	const char *seed;
	const char *admin_api_key;
	int large_topic;
	char addr[64]; /* from listen */
	unsigned port;
};

static void
usage(FILE *out)
{
	fputs("Usage: ambtd --listen ADDR:PORT --db FILE [--seed demo|none]\n"
	      "             [--admin-api-key KEY] [--large-topic N]\n"
	      "A small Discourse-compatible forum server on SQLite.\n\n"
	      "  --listen ADDR:PORT    where to listen (port 0: a free port)\n"
	      "  --db FILE             the SQLite database (created if new)\n"
	      "  --seed demo|none      load the demo community into an empty "
	      "database\n"
	      "  --admin-api-key KEY   let Api-Key KEY + Api-Username act as "
	      "any user\n"
	      "  --large-topic N       add one topic of N posts (benchmarks)\n"
	      "  --help, --version\n",
	      out);
}

/* "127.0.0.1:8080" -> address and port; -1 when it is not an IPv4
 * address and a port. Checked before the database is touched. */
static int
split_listen(const char *listen, char *addr, size_t addr_size, unsigned *port)
{
	const char *colon = strrchr(listen, ':');
	struct in_addr sin;
	int64_t p;

	if (!colon || (size_t)(colon - listen) >= addr_size ||
	    parse_int64(colon + 1, &p) < 0 || p < 0 || p > 65535)
		return -1;
	memcpy(addr, listen, (size_t)(colon - listen));
	addr[colon - listen] = '\0';
	*port = (unsigned)p;
	return inet_pton(AF_INET, addr, &sin) == 1 ? 0 : -1;
}

/* 0, or 2 (the exit status) after a message on stderr. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"db", required_argument, NULL, 'd'},
	    {"seed", required_argument, NULL, 's'},
	    {"admin-api-key", required_argument, NULL, 'k'},
	    {"large-topic", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	int64_t n;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen = optarg;
			break;
		case 'd':
			o->db_path = optarg;
			break;
		case 's':
			o->seed = optarg;
			break;
		case 'k':
			o->admin_api_key = optarg;
			break;
		case 'L':
			if (parse_int64(optarg, &n) < 0 || n < 1 ||
			    n > 10000000) {
				fputs("ambtd: --large-topic wants a number of "
				      "posts\n",
				      stderr);
				return 2;
			}
			o->large_topic = (int)n;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			puts("ambtd " PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !o->listen || !o->db_path ||
	    (strcmp(o->seed, "demo") != 0 && strcmp(o->seed, "none") != 0)) {
		usage(stderr);
		return 2;
	}
	if (split_listen(o->listen, o->addr, sizeof o->addr, &o->port) < 0) {
		fputs("ambtd: --listen wants an IPv4 ADDR:PORT\n", stderr);
		return 2;
	}
	return 0;
}

static bool
database_empty(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM users");
	bool empty = st && sqlite3_step(st) == SQLITE_ROW &&
	             sqlite3_column_int64(st, 0) == 0;

	return empty;
}

static int
load_data(struct db *db, const struct options *o)
{
	int rc = 0;

	db_lock(db);
	if (strcmp(o->seed, "demo") == 0 && database_empty(db))
		rc = seed_demo(db);
	if (rc == 0 && o->large_topic > 0)
		rc = seed_large_topic(db, o->large_topic);
	db_unlock(db);
	/* Fold what the seeds wrote into the database file (once their
	 * statements are reset): readers then find the pages there, not
	 * through a long write-ahead log. Only an optimization. */
	db_lock(db);
	db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	db_unlock(db);
	return rc;
}

/* Block the stop signals in every thread (MHD's inherit the mask) and
 * wait for one here. */
static void
wait_for_stop(const sigset_t *stop)
{
	int sig;

	while (sigwait(stop, &sig) != 0)
		;
}

static int
run(const struct options *o, const sigset_t *stop)
{
	char *err = NULL;
	struct server *srv;

	if (load_data(ambtd->db, o) < 0) {
		fprintf(stderr, "ambtd: cannot load the seed data\n");
		return 1;
	}
	srv = server_start(o->addr, o->port, &err);
	if (!srv) {
		fprintf(stderr, "ambtd: %s: %s\n", o->listen, err);
		free(err);
		return 1;
	}
	/* listening on every address: say the one a local client uses */
	if (asprintf(&ambtd->base_url, "http://%s:%u",
	             strcmp(o->addr, "0.0.0.0") == 0 ? "127.0.0.1" : o->addr,
	             server_port(srv)) < 0) {
		server_stop(srv);
		return 1;
	}
	printf("listening on %s\n", ambtd->base_url);
	fflush(stdout);
	wait_for_stop(stop);
	server_stop(srv);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o = {.seed = "none"};
	struct ambtd srv = {0};
	sigset_t stop;
	char *err = NULL;
	int rc = parse_options(argc, argv, &o);

	if (rc)
		return rc;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0); /* before any thread, as jansson asks */
	srv.admin_api_key = (char *)o.admin_api_key;
	srv.db = db_open(o.db_path, &err);
	if (!srv.db) {
		fprintf(stderr, "ambtd: %s: %s\n", o.db_path, err);
		free(err);
		return 1;
	}
	ambtd = &srv;
	rc = run(&o, &stop);
	db_close(srv.db);
	free(srv.base_url);
	ambtd = NULL;
	return rc;
}
