/* metrics.h - request counters and latency histograms in Prometheus text format. */
#ifndef COEXIST_METRICS_H
#define COEXIST_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct route;

/* Prepares counters for nroutes routes (one more slot counts unmatched requests). */
void metrics_init(const struct route *routes, size_t nroutes);
/* Records one finished request: route index (-1 unmatched), status and duration. */
void metrics_record(int route, int status, uint64_t duration_ns);
/* Writes every metric in Prometheus text exposition format; db_errors, slow_in_write (slow work
 * done inside a write transaction) and in_flight come from their owners. */
void metrics_write(struct buf *out, unsigned long db_errors, unsigned long slow_in_write,
		   unsigned in_flight);
void metrics_free(void);

#endif
