/* map.c - choropleth maps of countries, drawn by the server as accessible SVG.
 *
 * The shapes are Natural Earth's 1:110m countries, written by tools/make-map.mjs into
 * data/map/countries.json and loaded once at start-up. A map follows the conventions of svg.c:
 * it goes inline into pages whose Content-Security-Policy forbids inline styles, so every look
 * is a presentation attribute; every text from the caller is escaped; links are kept only when
 * they are site-relative paths.
 *
 * The projection is equirectangular, its standard parallel at the middle latitude of the view
 * (a degree of longitude is drawn cos(latitude) as wide as a degree of latitude there): over
 * Africa, which straddles the equator, shapes keep their proportions within a few per cent.
 * The drawing is 400 units wide, like the charts, and coordinates are written in tenths of a
 * unit (finer than the 1:110m shapes are), each outline as relative moves from its first
 * point: the Africa view weighs about 26 KB, 30 KB with every African country linked, the
 * world view about 72 KB. */
#include "map.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "html.h"

#define W 400.0 /* viewBox width */

/* The site's palette (static/app.css :root), and a sequential scale of its teal. */
#define INK         "#1c2a31" /* --ink */
#define LAND        "#dedbd3" /* countries without cases: --sand, darkened to read on --bg */
#define BORDER      "#fff"    /* between countries */
#define POINT_EDGE  "#7d8a8f" /* outline of an island drawn as a point, so that it shows at sea */
#define CLASS_COUNT 4

/* Classes of fixed bounds rather than quantiles: a country keeps its colour when another
 * country's count changes, and the legend reads the same on every page. */
static const long class_min[CLASS_COUNT] = {1, 2, 4, 10};
static const char *const class_label[CLASS_COUNT] = {"1", "2–3", "4–9", "10+"};
/* From --primary lightened to --primary-dark; each step is clearly darker than the one before,
 * and the lightest is still a blue-green, unlike the warm grey of the countries without cases. */
static const char *const class_fill[CLASS_COUNT] = {"#a8d1d6", "#5ea4ad", "#1f7785", "#0b4650"};

struct view {
	const char *name;                 /* in ids and classes: "map-africa-title" */
	double west, east, south, north;  /* degrees */
	double stroke, radius, radius_on; /* borders, islands as points, islands with cases */
};

static const struct view views[MAP__MAX] = {
	/* From Cabo Verde (23.6° W) to Mauritius (57.6° E), from the Cape to Tunis. */
	[MAP_AFRICA] = {"africa", -26, 60, -37, 38, 0.5, 2.5, 3.5},
	/* From 170° W to 190° E: Russia and Fiji stay in one piece, Alaska on the left edge. */
	[MAP_WORLD] = {"world", -170, 190, -58, 84, 0.3, 1.3, 2.2},
};

struct ring {
	size_t first, n; /* points pts[first .. first + n) */
};

struct country {
	char code[3];
	bool is_point;
	double lon, lat;      /* a point */
	size_t ring0, nrings; /* or outlines and holes */
};

struct world_map {
	struct country *c;
	size_t n, c_cap;
	struct ring *rings;
	size_t nrings, rings_cap;
	double *pts; /* lon, lat pairs */
	size_t npts, pts_cap;
};

/* ---- loading ---- */

static bool fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes "path: reason" into err; returns false. */
static bool
fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return false;
	int n = snprintf(err, errlen, "%s: ", path);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Makes room for `need` elements of `size` bytes in *p; aborts when memory runs out. */
static void
reserve(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / size)
		die("map: out of memory");
	void *q = realloc(*p, c * size);
	if (q == NULL)
		die("map: out of memory");
	*p = q;
	*cap = c;
}

static bool
code_ok(const char *s)
{
	return s && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}

/* Reads [lon, lat]: numbers, longitude within one turn either way (rings that cross the
 * antimeridian run past 180), latitude on the globe. */
static bool
read_lonlat(json_t *p, double *lon, double *lat)
{
	if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(json_array_get(p, 0)) ||
	    !json_is_number(json_array_get(p, 1)))
		return false;
	/* lon and lat point into the points reserve() made room for (through a void **, which
	 * the analyzer does not follow). */
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
	*lon = json_number_value(json_array_get(p, 0));
	*lat = json_number_value(json_array_get(p, 1));
	return isfinite(*lon) && isfinite(*lat) && fabs(*lon) <= 360 && fabs(*lat) <= 90;
}

/* Appends one ring of at least three points. */
static bool
read_ring(struct world_map *m, json_t *ring)
{
	if (!json_is_array(ring) || json_array_size(ring) < 3)
		return false;
	size_t n = json_array_size(ring);
	reserve((void **)&m->pts, &m->pts_cap, (m->npts + n) * 2, sizeof(*m->pts));
	reserve((void **)&m->rings, &m->rings_cap, m->nrings + 1, sizeof(*m->rings));
	for (size_t i = 0; i < n; i++) {
		double *p = &m->pts[(m->npts + i) * 2];
		if (!read_lonlat(json_array_get(ring, i), &p[0], &p[1]))
			return false;
	}
	m->rings[m->nrings++] = (struct ring){.first = m->npts, .n = n};
	m->npts += n;
	return true;
}

/* Reads {"code": "BF", "polygons": [[ring, ...], ...]} or {"code": "CV", "point": [lon, lat]}. */
static bool
read_country(struct world_map *m, json_t *item, const char *path, size_t index, char *err,
	     size_t errlen)
{
	const char *code = json_string_value(json_object_get(item, "code"));
	if (!json_is_object(item) || !code_ok(code))
		return fail(err, errlen, path, "country %zu: no two-letter upper-case \"code\"",
			    index);
	json_t *point = json_object_get(item, "point"), *polys = json_object_get(item, "polygons");
	if ((point == NULL) == (polys == NULL) || json_object_size(item) != 2)
		return fail(err, errlen, path, "%s: needs \"point\" or \"polygons\", nothing else",
			    code);
	reserve((void **)&m->c, &m->c_cap, m->n + 1, sizeof(*m->c));
	struct country *c = &m->c[m->n];
	memset(c, 0, sizeof(*c));
	memcpy(c->code, code, 3);
	if (point) {
		if (!read_lonlat(point, &c->lon, &c->lat))
			return fail(err, errlen, path, "%s: \"point\" is not [lon, lat]", code);
		c->is_point = true;
	} else {
		if (!json_is_array(polys) || json_array_size(polys) == 0)
			return fail(err, errlen, path, "%s: \"polygons\" is empty", code);
		c->ring0 = m->nrings;
		size_t i, j;
		json_t *poly, *ring;
		json_array_foreach(polys, i, poly)
		{
			if (!json_is_array(poly) || json_array_size(poly) == 0)
				return fail(err, errlen, path, "%s: polygon %zu has no ring", code,
					    i);
			json_array_foreach(poly, j, ring)
			{
				if (!read_ring(m, ring))
					return fail(
						err, errlen, path,
						"%s: polygon %zu, ring %zu: not a list of three or "
						"more [lon, lat]",
						code, i, j);
			}
		}
		c->nrings = m->nrings - c->ring0;
	}
	m->n++;
	return true;
}

static int
by_code(const void *a, const void *b)
{
	return strcmp(((const struct country *)a)->code, ((const struct country *)b)->code);
}

/* Loads country shapes written by tools/make-map.mjs; NULL with "path: reason" in err. */
struct world_map *
map_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fail(err, errlen, path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (root == NULL) {
		fail(err, errlen, path, "line %d: %s", je.line, je.text);
		return NULL;
	}
	json_t *arr = json_object_get(root, "countries");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		fail(err, errlen, path, "no \"countries\" list");
		json_decref(root);
		return NULL;
	}
	struct world_map *m = calloc(1, sizeof(*m));
	if (m == NULL)
		die("map: out of memory");
	bool ok = true;
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		if (ok)
			ok = read_country(m, item, path, i, err, errlen);
	}
	json_decref(root);
	if (ok) {
		qsort(m->c, m->n, sizeof(*m->c), by_code);
		for (i = 1; i < m->n && ok; i++)
			if (strcmp(m->c[i - 1].code, m->c[i].code) == 0)
				ok = fail(err, errlen, path, "%s: twice", m->c[i].code);
	}
	if (!ok) {
		map_free(m);
		return NULL;
	}
	return m;
}

/* Releases a map (NULL is accepted). */
void
map_free(struct world_map *m)
{
	if (m == NULL)
		return;
	free(m->c);
	free(m->rings);
	free(m->pts);
	free(m);
}

/* Number of countries the map knows (shapes and points). */
size_t
map_count(const struct world_map *m)
{
	return m ? m->n : 0;
}

static const struct country *
find(const struct world_map *m, const char *code)
{
	if (m == NULL || !code_ok(code))
		return NULL;
	struct country key = {0};
	memcpy(key.code, code, 3);
	return bsearch(&key, m->c, m->n, sizeof(*m->c), by_code);
}

/* Whether the map has a country of that ISO 3166-1 alpha-2 code. */
bool
map_has(const struct world_map *m, const char *code)
{
	return find(m, code) != NULL;
}

/* ---- drawing ---- */

struct proj {
	const struct view *v;
	double kx, ky; /* viewBox units per degree of longitude, of latitude */
	double height;
};

static void
proj_init(struct proj *p, enum map_view view)
{
	p->v = &views[view];
	double mid = (p->v->south + p->v->north) / 2 * M_PI / 180;
	p->kx = W / (p->v->east - p->v->west);
	p->ky = p->kx / cos(mid);
	p->height = (p->v->north - p->v->south) * p->ky;
}

/* Where a shape from lon0 to lon1 is drawn: moved by a turn when it lies wholly west of the view
 * and the move brings it in (the Chukotka tip of Russia, Samoa in the world view). Returns the
 * shift in degrees, or NAN when the shape is outside the view. */
static double
shift_into_view(const struct view *v, double lon0, double lon1, double lat0, double lat1)
{
	if (lat1 < v->south || lat0 > v->north)
		return NAN;
	if (lon1 >= v->west && lon0 <= v->east)
		return 0;
	if (lon1 < v->west && lon1 + 360 >= v->west && lon0 + 360 <= v->east)
		return 360;
	return NAN;
}

/* A coordinate in tenths of a unit, written shortest ("-.4", "12.3", "7") without printf's
 * locale; sep puts a space before it unless its sign separates it already. */
static void
tenths(struct buf *out, long t, bool sep)
{
	if (t < 0) {
		buf_putc(out, '-');
		t = -t;
	} else if (sep) {
		buf_putc(out, ' ');
	}
	if (t / 10 || t % 10 == 0)
		buf_printf(out, "%ld", t / 10);
	if (t % 10) {
		buf_putc(out, '.');
		buf_putc(out, (char)('0' + t % 10));
	}
}

/* An attribute with one decimal, after a space: ` name="12.3"`. */
static void
attr_num(struct buf *out, const char *name, double v)
{
	buf_putc(out, ' ');
	buf_puts(out, name);
	buf_puts(out, "=\"");
	tenths(out, lround(isfinite(v) ? v * 10 : 0), false);
	buf_putc(out, '"');
}

static long
x_tenths(const struct proj *p, double lon)
{
	return lround((lon - p->v->west) * p->kx * 10);
}

static long
y_tenths(const struct proj *p, double lat)
{
	return lround((p->v->north - lat) * p->ky * 10);
}

/* Appends one ring as "M x y l dx dy ... z", leaving out points that fall on the one before and
 * rings that shrink below three points or lie outside the view. */
static void
ring_path(struct buf *d, const struct proj *p, const double *pts, size_t n)
{
	double lon0 = pts[0], lon1 = pts[0], lat0 = pts[1], lat1 = pts[1];
	for (size_t i = 1; i < n; i++) {
		lon0 = fmin(lon0, pts[2 * i]);
		lon1 = fmax(lon1, pts[2 * i]);
		lat0 = fmin(lat0, pts[2 * i + 1]);
		lat1 = fmax(lat1, pts[2 * i + 1]);
	}
	double shift = shift_into_view(p->v, lon0, lon1, lat0, lat1);
	if (isnan(shift))
		return;
	size_t start = d->len, kept = 0;
	long px = 0, py = 0;
	for (size_t i = 0; i < n; i++) {
		long x = x_tenths(p, pts[2 * i] + shift), y = y_tenths(p, pts[2 * i + 1]);
		if (kept == 0) {
			buf_putc(d, 'M');
			tenths(d, x, false);
			tenths(d, y, true);
		} else if (x == px && y == py) {
			continue;
		} else {
			if (kept == 1)
				buf_putc(d, 'l');
			tenths(d, x - px, kept > 1);
			tenths(d, y - py, true);
		}
		px = x;
		py = y;
		kept++;
	}
	if (kept < 3) {
		d->len = start;
		if (d->data)
			d->data[start] = '\0';
		return;
	}
	buf_putc(d, 'z');
}

/* Only site-relative paths may be linked from a map, as from a chart (svg.c): a
 * protocol-relative "//host" or "/\host" leaves the site. */
static bool
href_ok(const char *h)
{
	if (h == NULL || h[0] != '/' || h[1] == '/' || h[1] == '\\')
		return false;
	return html_url_safe(h, strlen(h));
}

static int
class_of(long count)
{
	int k = 0;
	while (k + 1 < CLASS_COUNT && count >= class_min[k + 1])
		k++;
	return k;
}

/* Everything a country needs to be drawn with its cases. */
struct mark {
	long count; /* 0: no cases */
	const char *(*name)(void *ctx, const char *code);
	void *ctx;
	const char *href_prefix;
};

/* Opens a country with cases: a link to its cases when the prefix makes a good href, a group
 * otherwise, with its name and count as the title that tooltips and screen readers use. Returns
 * whether it opened a link. */
static bool
mark_open(struct buf *out, const struct country *c, const struct mark *mk)
{
	char href[256];
	int hn = snprintf(href, sizeof href, "%s%s", mk->href_prefix ? mk->href_prefix : "",
			  c->code);
	bool link = mk->href_prefix && hn > 0 && (size_t)hn < sizeof href && href_ok(href);
	if (link) {
		buf_puts(out, "<a href=\"");
		html_attr(out, href, strlen(href));
		buf_puts(out, "\">");
	} else {
		buf_puts(out, "<g>");
	}
	const char *name = mk->name ? mk->name(mk->ctx, c->code) : NULL;
	if (name == NULL || *name == '\0')
		name = c->code;
	buf_puts(out, "<title>");
	html_text(out, name, strlen(name));
	buf_printf(out, " (%ld)</title>", mk->count);
	return link;
}

/* One country: a path, or a circle for an island too small for the shapes; nothing when it
 * lies outside the view. d is scratch space. */
static void
country_draw(struct buf *out, struct buf *d, const struct world_map *m, const struct proj *p,
	     const struct country *c, const struct mark *mk)
{
	double shift = 0;
	buf_reset(d);
	if (c->is_point) {
		shift = shift_into_view(p->v, c->lon, c->lon, c->lat, c->lat);
		if (isnan(shift))
			return;
	} else {
		for (size_t r = 0; r < c->nrings; r++) {
			const struct ring *g = &m->rings[c->ring0 + r];
			ring_path(d, p, &m->pts[g->first * 2], g->n);
		}
		if (d->len == 0)
			return;
	}
	bool link = mk->count > 0 && mark_open(out, c, mk);
	bool group = mk->count > 0 && !link;
	if (c->is_point) {
		buf_puts(out, "<circle data-code=\"");
		buf_puts(out, c->code);
		buf_putc(out, '"');
		buf_puts(out, " cx=\"");
		tenths(out, x_tenths(p, c->lon + shift), false);
		buf_puts(out, "\" cy=\"");
		tenths(out, y_tenths(p, c->lat), false);
		buf_putc(out, '"');
		attr_num(out, "r", mk->count > 0 ? p->v->radius_on : p->v->radius);
		buf_puts(out, " stroke=\"");
		buf_puts(out, mk->count > 0 ? INK : POINT_EDGE);
		buf_putc(out, '"');
	} else {
		buf_puts(out, "<path data-code=\"");
		buf_puts(out, c->code);
		buf_puts(out, "\" d=\"");
		buf_add(out, d->data, d->len);
		buf_putc(out, '"');
	}
	if (mk->count > 0) {
		buf_puts(out, " fill=\"");
		buf_puts(out, class_fill[class_of(mk->count)]);
		buf_putc(out, '"');
	}
	buf_puts(out, "/>");
	if (link)
		buf_puts(out, "</a>");
	else if (group)
		buf_puts(out, "</g>");
	buf_putc(out, '\n');
}

/* The legend under the map: a swatch and its bounds for "no cases" and for each class. The
 * bounds are figures only, so the legend needs no language; the page's heading names them. */
static void
legend(struct buf *out, const struct proj *p)
{
	double x = 0, y = p->height + 6;
	buf_puts(out, "<g class=\"legend\" font-size=\"11\">");
	for (int k = -1; k < CLASS_COUNT; k++) {
		const char *label = k < 0 ? "0" : class_label[k];
		buf_puts(out, "<rect width=\"11\" height=\"11\"");
		attr_num(out, "x", x);
		attr_num(out, "y", y);
		buf_puts(out, " fill=\"");
		buf_puts(out, k < 0 ? LAND : class_fill[k]);
		buf_puts(out,
			 k < 0 ? "\" stroke=\"" POINT_EDGE "\" stroke-width=\".5\"/>" : "\"/>");
		buf_puts(out, "<text");
		attr_num(out, "x", x + 15);
		attr_num(out, "y", y + 9.5);
		buf_putc(out, '>');
		buf_puts(out, label);
		buf_puts(out, "</text>");
		size_t glyphs = 0;
		for (const char *c = label; *c; c++)
			glyphs += ((unsigned char)*c & 0xC0) != 0x80;
		x += 15 + 7 * (double)glyphs + 12; /* 7 units a glyph at 11: ample for figures */
	}
	buf_puts(out, "</g>\n");
}

static void
svg_open(struct buf *out, const struct proj *p, const char *title, const char *desc)
{
	const char *id = p->v->name;
	buf_printf(
		out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map-svg map-%s\" "
		"role=\"group\" aria-labelledby=\"map-%s-title\" aria-describedby=\"map-%s-desc\" "
		"viewBox=\"0 0 ",
		id, id, id);
	tenths(out, lround(W * 10), false);
	buf_putc(out, ' ');
	tenths(out, lround(ceil(p->height + 22) * 10), false);
	buf_printf(out,
		   "\" width=\"100%%\" font-family=\"system-ui, sans-serif\" font-size=\"13\" "
		   "fill=\"" INK "\">\n<title id=\"map-%s-title\">",
		   id);
	if (title)
		html_text(out, title, strlen(title));
	buf_printf(out, "</title>\n<desc id=\"map-%s-desc\">", id);
	if (desc)
		html_text(out, desc, strlen(desc));
	buf_puts(out, "</desc>\n");
}

/* Writes an SVG map of a view, countries with cases filled by class and linked to their cases.
 * Countries are drawn in four layers so that nothing hides what matters: shapes without cases,
 * shapes with cases (in the caller's order, which is also the order of the links for the
 * keyboard), islands without cases, islands with cases. Writes nothing when m is NULL. */
void
map_svg(struct buf *out, const struct world_map *m, enum map_view view, const char *const *codes,
	const long *counts, size_t n, const char *(*name)(void *ctx, const char *code), void *ctx,
	const char *href_prefix, const char *title, const char *desc)
{
	if (m == NULL)
		return;
	if ((int)view < 0 || view >= MAP__MAX)
		view = MAP_AFRICA;
	struct proj p;
	proj_init(&p, view);

	/* The count of each country the map knows, and the order the caller gave them in. */
	long *count_of = calloc(m->n ? m->n : 1, sizeof(*count_of));
	size_t *order = calloc(n ? n : 1, sizeof(*order)), norder = 0;
	if (count_of == NULL || order == NULL)
		die("map: out of memory");
	for (size_t i = 0; codes && counts && i < n; i++) {
		const struct country *c = find(m, codes[i]);
		if (c == NULL || counts[i] <= 0 || count_of[c - m->c] > 0)
			continue;
		count_of[c - m->c] = counts[i];
		order[norder++] = (size_t)(c - m->c);
	}

	svg_open(out, &p, title, desc);
	buf_puts(out, "<g class=\"countries\" fill=\"" LAND "\" stroke=\"" BORDER "\"");
	attr_num(out, "stroke-width", p.v->stroke);
	buf_puts(out, " stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n");
	struct buf d;
	buf_init(&d, NULL);
	struct mark none = {0}, with = {.name = name, .ctx = ctx, .href_prefix = href_prefix};
	for (int layer = 0; layer < 4; layer++) {
		bool points = layer >= 2, cases = layer % 2 == 1;
		size_t count = cases ? norder : m->n;
		for (size_t i = 0; i < count; i++) {
			size_t k = cases ? order[i] : i;
			const struct country *c = &m->c[k];
			if (c->is_point != points || (!cases && count_of[k] > 0))
				continue;
			with.count = count_of[k];
			country_draw(out, &d, m, &p, c, cases ? &with : &none);
		}
	}
	buf_free(&d);
	buf_puts(out, "</g>\n");
	legend(out, &p);
	buf_puts(out, "</svg>\n");
	free(count_of);
	free(order);
}
