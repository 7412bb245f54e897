/*
 * credentials.c: the credentials file (format in include/ambt/credentials.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/credentials.h"
#include "ambt/util.h"

/* The fields after "server", by name, in the order they are written. */
static const struct {
	const char *name;
	size_t offset;
} fields[] = {
    {"username", offsetof(struct credential, username)},
    {"user_api_key", offsetof(struct credential, user_api_key)},
    {"client_id", offsetof(struct credential, client_id)},
    {"cookie_file", offsetof(struct credential, cookie_file)},
};

static char **
field_at(struct credential *c, size_t i)
{
	return (char **)((char *)c + fields[i].offset);
}

static void
credential_free(struct credential *c)
{
	free(c->server);
	for (size_t i = 0; i < AMBT_ARRAY_LEN(fields); i++)
		free(*field_at(c, i));
	memset(c, 0, sizeof *c);
}

void
credentials_init(struct credentials *cr)
{
	memset(cr, 0, sizeof *cr);
}

void
credentials_clear(struct credentials *cr)
{
	for (size_t i = 0; i < cr->n; i++)
		credential_free(&cr->items[i]);
	free(cr->items);
	credentials_init(cr);
}

char *
credentials_default_path(void)
{
	char *dir = xdg_config_dir();
	char *path = xasprintf("%s/credentials", dir);

	free(dir);
	return path;
}

/* A server URL without trailing slashes (newly allocated). */
static char *
server_key(const char *server)
{
	size_t n = strlen(server);

	while (n > 0 && server[n - 1] == '/')
		n--;
	return xstrndup(server, n);
}

static struct credential *
find(const struct credentials *cr, const char *server)
{
	char *key = server_key(server);
	struct credential *found = NULL;

	for (size_t i = 0; i < cr->n && found == NULL; i++) {
		if (strcmp(cr->items[i].server, key) == 0)
			found = &cr->items[i];
	}
	free(key);
	return found;
}

const struct credential *
credentials_find(const struct credentials *cr, const char *server)
{
	return server ? find(cr, server) : NULL;
}

static struct credential *
add_empty(struct credentials *cr, const char *server)
{
	struct credential *c;

	cr->items = xreallocarray(cr->items, cr->n + 1, sizeof *cr->items);
	c = &cr->items[cr->n++];
	memset(c, 0, sizeof *c);
	c->server = server_key(server);
	return c;
}

void
credentials_put(struct credentials *cr, const struct credential *src)
{
	struct credential *c = find(cr, src->server);

	if (c != NULL) {
		credential_free(c);
		c->server = server_key(src->server);
	} else {
		c = add_empty(cr, src->server);
	}
	for (size_t i = 0; i < AMBT_ARRAY_LEN(fields); i++)
		*field_at(c, i) =
		    xstrdup(*field_at((struct credential *)src, i));
}

int
credentials_remove(struct credentials *cr, const char *server)
{
	struct credential *c = find(cr, server);
	size_t i;

	if (c == NULL)
		return 0;
	i = (size_t)(c - cr->items);
	credential_free(c);
	memmove(&cr->items[i], &cr->items[i + 1],
	        (cr->n - i - 1) * sizeof *cr->items);
	cr->n--;
	return 1;
}

/* The path as a user would type it, with ~ for the home directory. */
static char *
path_shown(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

/* ssh's rule: a secret that others can read is refused, not used. */
static int
check_mode(int fd, const char *path, struct ambt_error *err)
{
	struct stat st;
	char *shown;

	if (fstat(fd, &st) < 0)
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
		                      path, strerror(errno));
	if ((st.st_mode & 077) == 0)
		return 0;
	shown = path_shown(path);
	ambt_error_set(err, AMBT_E_USAGE,
	               _("%s can be read by others (mode %04o), so it is not "
	                 "used: run 'chmod 600 %s'"),
	               shown, (unsigned)(st.st_mode & 07777), shown);
	free(shown);
	return -1;
}

static char *
trim(char *s)
{
	char *end = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	                   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* One "name value" line into the entry being read (*cur). */
static int
parse_line(struct credentials *cr, struct credential **cur, char *line,
           const char *path, int lineno, struct ambt_error *err)
{
	char *name = trim(line), *value;

	if (*name == '\0' || *name == '#')
		return 0;
	value = name + strcspn(name, " \t");
	if (*value != '\0')
		*value++ = '\0';
	value = trim(value);
	if (strcmp(name, "server") == 0 && *value != '\0') {
		*cur = find(cr, value);
		if (*cur == NULL)
			*cur = add_empty(cr, value);
		return 0;
	}
	for (size_t i = 0; *cur != NULL && i < AMBT_ARRAY_LEN(fields); i++) {
		if (strcmp(name, fields[i].name) == 0 && *value != '\0') {
			free(*field_at(*cur, i));
			*field_at(*cur, i) = xstrdup(value);
			return 0;
		}
	}
	return ambt_error_set(err, AMBT_E_IO, "%s:%d: %s", path, lineno,
	                      *cur == NULL ? _("a 'server URL' line must come "
	                                       "first")
	                                   : _("not 'NAME VALUE'"));
}

static int
parse_file(struct credentials *cr, FILE *f, const char *path,
           struct ambt_error *err)
{
	struct credential *cur = NULL;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;

	while (rc == 0 && getline(&line, &cap, f) != -1)
		rc = parse_line(cr, &cur, line, path, ++lineno, err);
	free(line);
	return rc;
}

int
credentials_load(struct credentials *cr, const char *path,
                 struct ambt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	FILE *f;
	int rc;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
		                      path, strerror(errno));
	if (check_mode(fd, path, err) < 0) {
		close(fd);
		return -1;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		close(fd);
		return ambt_error_set(err, AMBT_E_IO, _("cannot read %s: %s"),
		                      path, strerror(errno));
	}
	rc = parse_file(cr, f, path, err);
	fclose(f);
	if (rc < 0)
		credentials_clear(cr);
	return rc;
}

/* A value must stay on its line, or it would become another setting. */
static bool
value_ok(const char *v)
{
	return v == NULL || (v[0] != '\0' && strpbrk(v, "\r\n") == NULL);
}

static void
format_entries(const struct credentials *cr, struct buf *b)
{
	buf_puts(b, "# ambt credentials, written by ambt login. Keep this "
	            "file mode 0600.\n");
	for (size_t i = 0; i < cr->n; i++) {
		struct credential *c = &cr->items[i];

		buf_printf(b, "server %s\n", c->server);
		for (size_t j = 0; j < AMBT_ARRAY_LEN(fields); j++) {
			if (*field_at(c, j) != NULL)
				buf_printf(b, "%s %s\n", fields[j].name,
				           *field_at(c, j));
		}
	}
}

static int
entries_ok(const struct credentials *cr, struct ambt_error *err)
{
	for (size_t i = 0; i < cr->n; i++) {
		struct credential *c = &cr->items[i];
		bool ok = value_ok(c->server);

		for (size_t j = 0; ok && j < AMBT_ARRAY_LEN(fields); j++)
			ok = value_ok(*field_at(c, j));
		if (!ok)
			return ambt_error_set(err, AMBT_E_USAGE,
			                      _("a credential for %s holds an "
			                        "empty value or a line break"),
			                      c->server);
	}
	return 0;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write text to tmp, synced, then rename it over path. */
static int
replace_file(const char *path, const char *tmp, const struct buf *text,
             struct ambt_error *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return ambt_error_set(err, AMBT_E_IO, _("cannot write %s: %s"),
		                      tmp, strerror(errno));
	/* O_CREAT keeps the mode of a leftover file: make sure. */
	if (fchmod(fd, 0600) < 0 || write_all(fd, text->data, text->len) < 0 ||
	    fsync(fd) < 0) {
		ambt_error_set(err, AMBT_E_IO, _("cannot write %s: %s"), tmp,
		               strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		ambt_error_set(err, AMBT_E_IO, _("cannot write %s: %s"), path,
		               strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The directory part of path (newly allocated), "." when there is none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int
credentials_save(const struct credentials *cr, const char *path,
                 struct ambt_error *err)
{
	struct buf text;
	char *dir, *tmp;
	int rc;

	if (entries_ok(cr, err) < 0)
		return -1;
	dir = dir_of(path);
	rc = mkdir_p(dir, err);
	free(dir);
	if (rc < 0)
		return -1;
	buf_init(&text);
	format_entries(cr, &text);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	rc = replace_file(path, tmp, &text, err);
	free(tmp);
	buf_free(&text);
	return rc;
}
