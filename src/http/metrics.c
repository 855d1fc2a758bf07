/* metrics.c - request counters and latency histograms in Prometheus text format. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/log.h"
#include "router.h"

/* The statuses the server answers with; anything else is counted as "other". */
static const int statuses[] = {200, 204, 301, 302, 303, 304, 400, 403, 404,
			       405, 408, 413, 415, 429, 431, 500, 503};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Upper bounds in seconds of the latency buckets (the +Inf bucket is the count). */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct route_metrics {
	atomic_ulong by_status[NSTATUS];
	atomic_ulong buckets[NBOUNDS];
	atomic_ulong count;
	atomic_ullong sum_ns;
};

static const struct route *routes;
static size_t nroutes;
static struct route_metrics *m;

void
metrics_init(const struct route *r, size_t n)
{
	routes = r;
	nroutes = n;
	m = calloc(n + 1, sizeof(*m));
	if (m == NULL)
		die("metrics: out of memory");
}

void
metrics_record(int route, int status, uint64_t duration_ns)
{
	if (m == NULL)
		return;
	struct route_metrics *rm =
		&m[route >= 0 && (size_t)route < nroutes ? (size_t)route : nroutes];
	size_t s = NSTATUS - 1;
	for (size_t i = 0; i + 1 < NSTATUS; i++)
		if (statuses[i] == status)
			s = i;
	atomic_fetch_add_explicit(&rm->by_status[s], 1, memory_order_relaxed);
	double secs = (double)duration_ns / 1e9;
	for (size_t i = 0; i < NBOUNDS; i++)
		if (secs <= bounds[i]) {
			atomic_fetch_add_explicit(&rm->buckets[i], 1, memory_order_relaxed);
			break;
		}
	atomic_fetch_add_explicit(&rm->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&rm->sum_ns, duration_ns, memory_order_relaxed);
}

static void
route_label(struct buf *out, size_t i)
{
	if (i < nroutes)
		buf_printf(out, "method=\"%s\",route=\"%s\"", routes[i].method, routes[i].pattern);
	else
		buf_puts(out, "method=\"\",route=\"unmatched\"");
}

void
metrics_write(struct buf *out, unsigned long db_errors, unsigned long slow_in_write,
	      unsigned in_flight)
{
	buf_puts(out,
		 "# HELP coexist_http_requests_total HTTP requests answered, by route and status.\n"
		 "# TYPE coexist_http_requests_total counter\n");
	for (size_t i = 0; i <= nroutes; i++)
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long v =
				atomic_load_explicit(&m[i].by_status[s], memory_order_relaxed);
			if (v == 0)
				continue;
			buf_puts(out, "coexist_http_requests_total{");
			route_label(out, i);
			if (s + 1 < NSTATUS)
				buf_printf(out, ",status=\"%d\"} %lu\n", statuses[s], v);
			else
				buf_printf(out, ",status=\"other\"} %lu\n", v);
		}
	buf_puts(out,
		 "# HELP coexist_http_request_duration_seconds Time from request line to answer.\n"
		 "# TYPE coexist_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= nroutes; i++) {
		unsigned long count = atomic_load_explicit(&m[i].count, memory_order_relaxed);
		if (count == 0)
			continue;
		unsigned long cumulative = 0;
		for (size_t b = 0; b < NBOUNDS; b++) {
			cumulative += atomic_load_explicit(&m[i].buckets[b], memory_order_relaxed);
			buf_puts(out, "coexist_http_request_duration_seconds_bucket{");
			route_label(out, i);
			buf_printf(out, ",le=\"%g\"} %lu\n", bounds[b], cumulative);
		}
		buf_puts(out, "coexist_http_request_duration_seconds_bucket{");
		route_label(out, i);
		buf_printf(out, ",le=\"+Inf\"} %lu\n", count);
		buf_puts(out, "coexist_http_request_duration_seconds_sum{");
		route_label(out, i);
		buf_printf(out, "} %.6f\n",
			   (double)atomic_load_explicit(&m[i].sum_ns, memory_order_relaxed) / 1e9);
		buf_puts(out, "coexist_http_request_duration_seconds_count{");
		route_label(out, i);
		buf_printf(out, "} %lu\n", count);
	}
	buf_printf(out,
		   "# HELP coexist_db_errors_total Database errors since start.\n"
		   "# TYPE coexist_db_errors_total counter\n"
		   "coexist_db_errors_total %lu\n"
		   "# HELP coexist_slow_work_in_transaction_total Slow work (argon2id, PDF, XLSX,"
		   " analysis) done while holding the database's write lock; should stay 0.\n"
		   "# TYPE coexist_slow_work_in_transaction_total counter\n"
		   "coexist_slow_work_in_transaction_total %lu\n"
		   "# HELP coexist_http_requests_in_flight Requests being answered now.\n"
		   "# TYPE coexist_http_requests_in_flight gauge\n"
		   "coexist_http_requests_in_flight %u\n",
		   db_errors, slow_in_write, in_flight);
}

void
metrics_free(void)
{
	free(m);
	m = NULL;
}
