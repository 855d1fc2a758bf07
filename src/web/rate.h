/* rate.h - limits per client address on actions that create things or send mail. */
#ifndef COEXIST_RATE_H
#define COEXIST_RATE_H

#include <stdbool.h>

struct request;

/* Counts one more `action` from the request's address and answers 429 (with Retry-After and
 * a page saying so) when more than max were counted in the last window seconds. Returns true
 * when the action may go on. Old events are forgotten after a day. */
bool rate_allow(struct request *r, const char *action, long max, long window);

#endif
