/* test_credentials.c: the credentials file: modes, servers, rewrites. */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ambt/credentials.h"
#include "ambt/util.h"

struct fixture {
	char dir[64];
	char *path;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);

	strcpy(f->dir, "/tmp/ambt-creds-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	/* In a directory not yet made: save makes it. */
	f->path = xasprintf("%s/ambt/credentials", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct buf b;
	char chunk[512];
	size_t n;

	assert_non_null(fp);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

static void
put_key(struct credentials *cr, const char *server, const char *user,
        const char *key)
{
	struct credential c = {.server = (char *)server,
	                       .username = (char *)user,
	                       .user_api_key = (char *)key,
	                       .client_id = "client-1"};

	credentials_put(cr, &c);
}

static void
test_missing_file_is_empty(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};

	credentials_init(&cr);
	assert_int_equal(credentials_load(&cr, f->path, &err), 0);
	assert_int_equal(cr.n, 0);
	credentials_clear(&cr);
}

static void
test_saved_0600_and_read_back(void **state)
{
	struct fixture *f = *state;
	struct credentials cr, back;
	struct ambt_error err = {0};
	const struct credential *c;
	struct stat st;

	credentials_init(&cr);
	put_key(&cr, "https://forum.example.org/", "jan", "key-1");
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	credentials_init(&back);
	assert_int_equal(credentials_load(&back, f->path, &err), 0);
	c = credentials_find(&back, "https://forum.example.org");
	assert_non_null(c);
	assert_string_equal(c->username, "jan");
	assert_string_equal(c->user_api_key, "key-1");
	assert_string_equal(c->client_id, "client-1");
	assert_null(c->cookie_file);
	credentials_clear(&cr);
	credentials_clear(&back);
}

static void
test_readable_by_others_is_refused(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};

	credentials_init(&cr);
	put_key(&cr, "https://forum.example.org", "jan", "key-1");
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	credentials_clear(&cr);
	assert_int_equal(chmod(f->path, 0644), 0);
	assert_int_equal(credentials_load(&cr, f->path, &err), -1);
	assert_int_equal(err.kind, AMBT_E_USAGE);
	assert_non_null(strstr(err.msg, "chmod 600 "));
	assert_non_null(strstr(err.msg, "0644"));
	assert_int_equal(cr.n, 0);
	/* Group-readable alone is refused too. */
	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(credentials_load(&cr, f->path, &err), -1);
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(credentials_load(&cr, f->path, &err), 0);
	assert_int_equal(cr.n, 1);
	credentials_clear(&cr);
}

static void
test_chmod_hint_uses_tilde(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};
	char *old_home = xstrdup(getenv("HOME"));

	credentials_init(&cr);
	put_key(&cr, "https://a.example", "jan", "k");
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	credentials_clear(&cr);
	assert_int_equal(chmod(f->path, 0604), 0);
	setenv("HOME", f->dir, 1);
	assert_int_equal(credentials_load(&cr, f->path, &err), -1);
	assert_non_null(strstr(err.msg, "'chmod 600 ~/ambt/credentials'"));
	if (old_home != NULL)
		setenv("HOME", old_home, 1);
	free(old_home);
}

static void
test_several_servers(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};
	struct credential session = {.server = "http://127.0.0.1:8080",
	                             .username = "piet",
	                             .cookie_file = "/tmp/jar with space.txt"};

	credentials_init(&cr);
	put_key(&cr, "https://a.example", "jan", "key-a");
	credentials_put(&cr, &session);
	put_key(&cr, "https://b.example", "marie", "key-b");
	/* Logging in again replaces that server's entry only. */
	put_key(&cr, "https://a.example/", "jan", "key-a2");
	assert_int_equal(cr.n, 3);
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	credentials_clear(&cr);
	assert_int_equal(credentials_load(&cr, f->path, &err), 0);
	assert_int_equal(cr.n, 3);
	assert_string_equal(
	    credentials_find(&cr, "https://a.example")->user_api_key, "key-a2");
	assert_string_equal(
	    credentials_find(&cr, "https://b.example")->username, "marie");
	assert_string_equal(
	    credentials_find(&cr, "http://127.0.0.1:8080")->cookie_file,
	    "/tmp/jar with space.txt");
	assert_null(
	    credentials_find(&cr, "http://127.0.0.1:8080")->user_api_key);
	assert_null(credentials_find(&cr, "https://c.example"));
	/* Logging out of one leaves the others. */
	assert_int_equal(credentials_remove(&cr, "https://a.example"), 1);
	assert_int_equal(credentials_remove(&cr, "https://a.example"), 0);
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	credentials_clear(&cr);
	assert_int_equal(credentials_load(&cr, f->path, &err), 0);
	assert_int_equal(cr.n, 2);
	assert_null(credentials_find(&cr, "https://a.example"));
	assert_non_null(credentials_find(&cr, "https://b.example"));
	credentials_clear(&cr);
}

/* The rewrite goes through a temporary file renamed over the old one:
 * the old file's inode is replaced whole, a leftover of mode 0644 is
 * not kept, and no temporary file stays behind. */
static void
test_atomic_rewrite(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};
	struct stat before, after;
	char *tmp, *text, *dir;
	struct dirent *de;
	DIR *d;
	int files = 0;

	credentials_init(&cr);
	put_key(&cr, "https://a.example", "jan", "key-1");
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	assert_int_equal(stat(f->path, &before), 0);
	tmp = xasprintf("%s.tmp.%ld", f->path, (long)getpid());
	assert_int_equal(close(creat(tmp, 0644)), 0);
	put_key(&cr, "https://a.example", "jan", "key-2");
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);
	assert_int_equal(after.st_mode & 0777, 0600);
	text = slurp(f->path);
	assert_non_null(strstr(text, "key-2"));
	assert_null(strstr(text, "key-1"));
	dir = xasprintf("%s/ambt", f->dir);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		files += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);
	free(dir);
	free(text);
	free(tmp);
	credentials_clear(&cr);
}

/* No field can hold a password, and a value that would break out of its
 * line (and so smuggle in another setting) is refused. */
static void
test_no_password_and_no_line_breaks(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};
	struct credential c = {.server = "https://a.example",
	                       .username = "jan",
	                       .cookie_file = "/tmp/jar.txt"};
	char *text;

	credentials_init(&cr);
	credentials_put(&cr, &c);
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	text = slurp(f->path);
	assert_null(strstr(text, "password"));
	free(text);
	c.username = "jan\nuser_api_key stolen";
	credentials_put(&cr, &c);
	assert_int_equal(credentials_save(&cr, f->path, &err), -1);
	text = slurp(f->path);
	assert_null(strstr(text, "stolen"));
	free(text);
	credentials_clear(&cr);
}

static void
test_malformed_file(void **state)
{
	struct fixture *f = *state;
	struct credentials cr;
	struct ambt_error err = {0};
	FILE *fp;

	credentials_init(&cr);
	assert_int_equal(credentials_save(&cr, f->path, &err), 0);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fputs("username jan\n", fp);
	fclose(fp);
	assert_int_equal(credentials_load(&cr, f->path, &err), -1);
	assert_int_equal(err.kind, AMBT_E_IO);
	assert_non_null(strstr(err.msg, "credentials:1:"));
	assert_int_equal(cr.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_missing_file_is_empty, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_saved_0600_and_read_back,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readable_by_others_is_refused,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chmod_hint_uses_tilde, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_several_servers, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_atomic_rewrite, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_no_password_and_no_line_breaks,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_file, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
