/*
 * error.h: one error value that every core layer fills in.
 *
 * A function that can fail takes a struct ambt_error * (which may be NULL)
 * and returns -1 or NULL after setting it. The message is one line a user
 * can act on: what failed and, where it helps, what to try.
 */
#ifndef AMBT_ERROR_H
#define AMBT_ERROR_H

enum ambt_error_kind {
	AMBT_OK = 0,
	AMBT_E_USAGE,   /* the caller asked for something malformed */
	AMBT_E_NET,     /* DNS, connect, TLS, timeout, connection cut */
	AMBT_E_HTTP,    /* the server answered with a 4xx or 5xx */
	AMBT_E_DECODE,  /* the body was not the JSON we expect */
	AMBT_E_TOO_BIG, /* a response over the size cap */
	AMBT_E_IO,      /* a local file or the database */
	AMBT_E_NOMEM,
	AMBT_E_CANCELLED, /* the caller cancelled the request */
};

/* AMBT_E_NET errors where the server was never reached, so the CLI can
 * say what to check whatever language the message is in. */
enum ambt_unreachable {
	AMBT_REACHED = 0,     /* reached, or not a network error */
	AMBT_UNREACH_CONNECT, /* refused: the reason follows "HOST: " */
	AMBT_UNREACH_TIMEOUT, /* no answer to connecting */
	AMBT_UNREACH_RESOLVE, /* the name is unknown */
};

struct ambt_error {
	enum ambt_error_kind kind;
	enum ambt_unreachable unreachable; /* ambt_error_set resets it */
	long http_status;                  /* AMBT_E_HTTP: the status code */
	int retry_after; /* 429: seconds the server asked us to wait, or 0 */
	char msg[512];
};

#if defined(__GNUC__)
#define AMBT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define AMBT_PRINTF(a, b)
#endif

/* Set *err (when err is not NULL); always returns -1 for convenience. */
int ambt_error_set(struct ambt_error *err, enum ambt_error_kind kind,
                   const char *fmt, ...) AMBT_PRINTF(3, 4);
void ambt_error_clear(struct ambt_error *err);
const char *ambt_error_kind_name(enum ambt_error_kind kind);

#endif
