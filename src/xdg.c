/*
 * xdg.c: the XDG Base Directory specification. A $XDG_*_HOME that is unset,
 * empty or relative is ignored, as the spec says, and the default under
 * $HOME applies.
 */
#include <config.h>

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ambt/i18n.h"
#include "ambt/util.h"

static const char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && home[0] == '/')
		return home;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/')
		return pw->pw_dir;
	return "/";
}

static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *base = getenv(var);

	if (base != NULL && base[0] == '/')
		return xasprintf("%s/ambt", base);
	return xasprintf("%s/%s/ambt", home_dir(), fallback);
}

char *
xdg_config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *
xdg_cache_dir(void)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache");
}

char *
xdg_state_dir(void)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state");
}

char *
xdg_data_dir(void)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share");
}

static int
mkdir_one(const char *path, struct ambt_error *err)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		return ambt_error_set(err, AMBT_E_IO,
		                      "%s exists and is not a directory", path);
	return ambt_error_set(err, AMBT_E_IO, _("cannot create %s: %s"), path,
	                      strerror(errno));
}

int
mkdir_p(const char *path, struct ambt_error *err)
{
	char *copy;
	char *p;
	int rc = 0;

	if (path[0] == '\0')
		return ambt_error_set(err, AMBT_E_USAGE,
		                      "empty directory name");
	copy = xstrdup(path);
	/* Create each parent in turn; the first '/' is the root. */
	for (p = copy + 1; *p != '\0' && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = mkdir_one(copy, err);
		*p = '/';
	}
	if (rc == 0)
		rc = mkdir_one(copy, err);
	free(copy);
	return rc;
}

char *
exe_dir(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(self);
}
