/*
 * i18n.h: the interface in the user's language (gettext).
 *
 * English is the source; po/nl.po gives Dutch as read in both Flanders
 * and the Netherlands. Mark every string a user sees: _("...") where it is
 * used, N_("...") in static tables (translated with _() where shown),
 * P_(one, many, n) for counts. Strings that are protocol, file format or
 * API (JSON keys, Discourse's words) stay unmarked.
 */
#ifndef AMBT_I18N_H
#define AMBT_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))

/* setlocale(LC_ALL, "") and the message catalogue: $AMBT_LOCALEDIR when
 * set (tests run from the build tree), else the installed one. */
void i18n_init(void);

#endif
