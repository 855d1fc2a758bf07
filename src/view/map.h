/* map.h - choropleth maps of countries, drawn by the server as accessible SVG. */
#ifndef COEXIST_MAP_H
#define COEXIST_MAP_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct world_map;

/* What a map shows: Africa (the default of the site), or the whole world. */
enum map_view { MAP_AFRICA, MAP_WORLD, MAP__MAX };

/* Loads country shapes written by tools/make-map.mjs (data/map/countries.json). Returns NULL
 * with "path: reason" in err when the file cannot be read or is not such a file. */
struct world_map *map_load(const char *path, char *err, size_t errlen);
/* Releases a map (NULL is accepted). */
void map_free(struct world_map *m);
/* Number of countries the map knows (shapes and points). */
size_t map_count(const struct world_map *m);
/* Whether the map has a country of that ISO 3166-1 alpha-2 code. */
bool map_has(const struct world_map *m, const char *code);
/* Writes an SVG map of a view: every country in a neutral fill, the n countries codes[i] with
 * counts[i] > 0 cases filled in four classes of the site's teal (1, 2–3, 4–9, 10 and more), each
 * one a link to href_prefix + code with a title "Name (count)", name(ctx, code) giving the
 * name (the code when it returns NULL); a legend of the classes below. title and desc become
 * the SVG's <title> and <desc>. Codes the map does not know, or outside the view, are left out:
 * the page's table gives every count. Writes nothing when m is NULL. */
void map_svg(struct buf *out, const struct world_map *m, enum map_view view,
	     const char *const *codes, const long *counts, size_t n,
	     const char *(*name)(void *ctx, const char *code), void *ctx, const char *href_prefix,
	     const char *title, const char *desc);

#endif
