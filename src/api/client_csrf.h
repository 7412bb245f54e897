/*
 * client_csrf.h: writes over a cookie session carry Discourse's CSRF token.
 * Not for outside src/api/.
 */
#ifndef AMBT_API_CLIENT_CSRF_H
#define AMBT_API_CLIENT_CSRF_H

#include "api/client_int.h"

/*
 * api_send, but over a cookie session (http_options.cookie_file) the
 * X-CSRF-Token goes with it: when the handle has none yet it is fetched
 * first (GET /session/csrf.json, in the same http loop), and a 403
 * ["BAD CSRF"] (the session's token changed) fetches it again and sends
 * once more. The request returned may then end before the write does;
 * http_cancel ignores it once it has.
 */
struct http_req *api_send_csrf(struct api *, const struct endpoint *,
                               const char *method, char *path, const char *form,
                               api_done_fn done, void *arg);

#endif
