/*
 * i18n.c: choosing the user's language at start.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "ambt/i18n.h"

void
i18n_init(void)
{
	const char *dir = getenv("AMBT_LOCALEDIR");

	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir
	                                                      : AMBT_LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
