#!/usr/bin/env node
// make-map.mjs - writes data/map/countries.json, the country shapes the server draws its maps from.
//
//     npm install --no-save --prefix /tmp/mapgen world-atlas@2 topojson-client@3
//     NODE_PATH=/tmp/mapgen/node_modules node tools/make-map.mjs [OUTPUT]
//
// Run by a developer when the shapes should change; the output is committed, so neither the
// build nor the server needs Node. OUTPUT defaults to data/map/countries.json.
//
// Source: Natural Earth 1:110m Admin 0 countries (public domain), as TopoJSON in the npm package
// world-atlas (countries-110m.json, ids are ISO 3166-1 numeric codes), turned into GeoJSON with
// topojson-client's feature(). Numeric codes become alpha-2 codes through Debian's iso-codes
// (/usr/share/iso-codes/json/iso_3166-1.json; apt-get install iso-codes).
//
// Output: {"source": ..., "countries": [{"code": "BF", "polygons": [[[[lon, lat], ...], ...]]},
// ..., {"code": "CV", "point": [lon, lat]}]}, sorted by code, one country a line.
// - A polygon is a list of rings, its outline first and then its holes; rings are open (the
//   last point is not repeated) and every coordinate is in degrees, rounded to 2 decimals.
// - A ring that crosses the antimeridian (Russia, Fiji) has its western longitudes moved by
//   +360, so that it is one piece on a flat map: longitudes may run up to about 190.
// - Countries too small for 1:110m (island states such as Cabo Verde, Comoros, Mauritius,
//   Seychelles, São Tomé and Príncipe; micro-states) get a point instead: the centre of their
//   largest polygon in world-atlas's countries-50m.json. Réunion, Mayotte, Guadeloupe and
//   Martinique are part of France there, so their points come from France's polygons that lie
//   in their boxes; French Guiana, part of France in 1:110m, becomes its own country GF.
// - Every area is drawn under the ISO 3166 code of the territory it belongs to, where Natural
//   Earth's "de facto" shapes say otherwise: Somaliland with Somalia (SO), Northern Cyprus with
//   Cyprus (CY), Crimea with Ukraine (UA), and the whole of Western Sahara (EH) south of
//   27°40' N, of which Natural Earth gives the coast to Morocco. The pieces are joined along
//   their common border (no line is drawn inside a country). Kosovo has no ISO code; it keeps
//   the user-assigned code XK (used by the EU and CLDR) so that the map has no hole there. It
//   is never linked: no case can name it.
// - Dropped: Antarctica (AQ); territories in neither file (BQ, BV, CC, CX, GI, SJ, TK, TV, UM)
//   and Natural Earth's Indian Ocean Territories and Siachen Glacier (no numeric id).
import {readFileSync, writeFileSync, mkdirSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname} from "node:path";

const require = createRequire(import.meta.url);
let topojson, atlas110, atlas50, atlasVersion;
try {
	topojson = require("topojson-client");
	atlas110 = require("world-atlas/countries-110m.json");
	atlas50 = require("world-atlas/countries-50m.json");
	atlasVersion = require("world-atlas/package.json").version;
} catch (e) {
	console.error("make-map: world-atlas or topojson-client not found; install them with\n" +
		"  npm install --no-save --prefix /tmp/mapgen world-atlas@2 topojson-client@3\n" +
		"and run with NODE_PATH=/tmp/mapgen/node_modules");
	process.exit(1);
}

const ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json";
const OUTPUT = process.argv[2] || "data/map/countries.json";

const alpha2 = new Map(JSON.parse(readFileSync(ISO_JSON, "utf8"))["3166-1"]
	.map((c) => [c.numeric, c.alpha_2]));

// Natural Earth names of the areas without a numeric id, and the code they are drawn under.
const NO_ID = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK"};
const DROP_NO_ID = new Set(["Indian Ocean Ter.", "Siachen Glacier"]);
const DROP = new Set(["AQ"]);
// Overseas parts of France in countries-50m.json: [code, west, south, east, north].
const FRANCE_POINTS = [
	["RE", 55, -22, 56, -20], ["YT", 44.9, -13.1, 45.4, -12.5],
	["GP", -62, 15.8, -61, 16.6], ["MQ", -61.4, 14.3, -60.7, 15],
];
// French Guiana in France's 1:110m shape: polygons west of this longitude.
const GUIANA_WEST_OF = -40;
// Crimea in Russia's 1:110m shape: the polygon centred in this box [west, south, east, north].
const CRIMEA = [32, 44, 37, 46.5];
// The border of Morocco and Western Sahara, the parallel 27°40' N as Natural Earth draws it.
const SAHARA_NORTH = 27.66;

const round2 = (v) => Math.round(v * 100) / 100;

// Planar area of a ring (degrees squared, sign by winding) and its centre.
function ringArea(ring) {
	let a = 0, cx = 0, cy = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
		a += f;
		cx += (ring[j][0] + ring[i][0]) * f;
		cy += (ring[j][1] + ring[i][1]) * f;
	}
	if (a === 0)
		return {area: 0, centre: ring[0]};
	return {area: Math.abs(a / 2), centre: [cx / (3 * a), cy / (3 * a)]};
}

// The polygons of a GeoJSON geometry, their rings open (GeoJSON repeats the first point).
function polygonsOf(geometry) {
	if (geometry === null)
		return [];
	const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
	return polys.map((p) => p.map((r) => r.slice(0, -1)));
}

// The part of an open ring north (or south) of a parallel (Sutherland-Hodgman); points on the
// parallel belong to both parts.
function clipRing(ring, lat, north) {
	const inside = (p) => (north ? p[1] >= lat : p[1] <= lat);
	const out = [];
	for (let i = 0; i < ring.length; i++) {
		const a = ring[i], b = ring[(i + 1) % ring.length];
		if (inside(a))
			out.push(a);
		if (inside(a) !== inside(b) && a[1] !== lat && b[1] !== lat)
			out.push([a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0]), lat]);
	}
	return out;
}

// Joins polygons (without holes) that share borders: the edges two of them run along in
// opposite directions are dropped, and the others chained into outlines. Shared borders come
// from the same TopoJSON arcs, so their points are exactly equal.
function joinPolygons(polys, what) {
	if (polys.some((p) => p.length > 1))
		throw new Error(`${what}: cannot join polygons with holes`);
	const key = (p) => `${p[0]},${p[1]}`;
	const edges = new Map();
	for (const [ring] of polys) {
		for (let i = 0; i < ring.length; i++) {
			const a = ring[i], b = ring[(i + 1) % ring.length];
			if (key(a) === key(b))
				continue;
			const back = `${key(b)}|${key(a)}`;
			if (edges.has(back))
				edges.delete(back);
			else
				edges.set(`${key(a)}|${key(b)}`, {a, b, used: false});
		}
	}
	const from = new Map();
	for (const e of edges.values()) {
		if (!from.has(key(e.a)))
			from.set(key(e.a), []);
		from.get(key(e.a)).push(e);
	}
	const sign = Math.sign(signedArea(polys[0][0]));
	const out = [];
	for (const first of edges.values()) {
		if (first.used)
			continue;
		const ring = [];
		let e = first, last = first;
		while (e) {
			e.used = true;
			ring.push(e.a);
			last = e;
			e = (from.get(key(e.b)) || []).find((x) => !x.used);
		}
		if (key(last.b) !== key(ring[0]) || Math.sign(signedArea(ring)) !== sign)
			throw new Error(`${what}: the joined outline is not closed or encloses a hole`);
		out.push([ring]);
	}
	return out;
}

function signedArea(ring) {
	let a = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
		a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	return a / 2;
}

// The code a feature is drawn under, or null to drop it.
function codeOf(f) {
	if (f.id === undefined) {
		const name = f.properties.name;
		if (name in NO_ID)
			return NO_ID[name];
		if (DROP_NO_ID.has(name))
			return null;
		throw new Error(`feature without id: ${name}`);
	}
	const code = alpha2.get(f.id);
	if (code === undefined)
		throw new Error(`numeric code ${f.id} (${f.properties.name}) is not in iso-codes`);
	return DROP.has(code) ? null : code;
}

// A ring rounded to 2 decimals, open, without repeated points, in one piece across the
// antimeridian; null when it has fewer than 3 points left.
function cleanRing(ring) {
	const lons = ring.map((p) => p[0]);
	const wraps = Math.max(...lons) - Math.min(...lons) > 180;
	const out = [];
	for (const [lon, lat] of ring) {
		const p = [round2(wraps && lon < 0 ? lon + 360 : lon), round2(lat)];
		const last = out[out.length - 1];
		if (!last || last[0] !== p[0] || last[1] !== p[1])
			out.push(p);
	}
	while (out.length > 1 && out[0][0] === out[out.length - 1][0] &&
	       out[0][1] === out[out.length - 1][1])
		out.pop();
	return out.length >= 3 ? out : null;
}

function cleanPolygon(polygon) {
	const rings = polygon.map(cleanRing);
	if (rings[0] === null)
		return null; // an outline too small to draw takes its holes with it
	return rings.filter((r) => r !== null);
}

const shapes = new Map(); // code -> polygons
for (const f of topojson.feature(atlas110, atlas110.objects.countries).features) {
	const code = codeOf(f);
	if (code === null)
		continue;
	let polys = polygonsOf(f.geometry);
	if (code === "FR") {
		const guiana = polys.filter((p) => ringArea(p[0]).centre[0] < GUIANA_WEST_OF);
		if (guiana.length === 0)
			throw new Error("French Guiana not found in France's shape");
		shapes.set("GF", guiana);
		polys = polys.filter((p) => !guiana.includes(p));
	}
	if (code === "RU") {
		const [w, s, e, n] = CRIMEA;
		const crimea = polys.filter((p) => {
			const [x, y] = ringArea(p[0]).centre;
			return x >= w && x <= e && y >= s && y <= n;
		});
		if (crimea.length !== 1)
			throw new Error("Crimea not found in Russia's shape");
		shapes.set("UA", (shapes.get("UA") || []).concat(crimea));
		polys = polys.filter((p) => !crimea.includes(p));
	}
	if (code === "MA") {
		const south = [];
		polys = polys.map((p) => {
			if (Math.min(...p[0].map((q) => q[1])) >= SAHARA_NORTH)
				return p;
			if (p.length > 1)
				throw new Error("Morocco's shape has a hole");
			south.push([clipRing(p[0], SAHARA_NORTH, false)]);
			return [clipRing(p[0], SAHARA_NORTH, true)];
		});
		if (south.length === 0)
			throw new Error("Western Sahara not found in Morocco's shape");
		shapes.set("EH", (shapes.get("EH") || []).concat(south));
	}
	shapes.set(code, (shapes.get(code) || []).concat(polys));
}
for (const code of ["SO", "CY", "UA", "EH"]) {
	const before = shapes.get(code).length;
	shapes.set(code, joinPolygons(shapes.get(code), code));
	console.log(`${code}: ${before} polygons joined into ${shapes.get(code).length}`);
}

const points = new Map(); // code -> [lon, lat]
for (const f of topojson.feature(atlas50, atlas50.objects.countries).features) {
	if (f.id === undefined)
		continue;
	const code = alpha2.get(f.id);
	const polys = polygonsOf(f.geometry);
	if (code === "FR") {
		for (const [c, w, s, e, n] of FRANCE_POINTS) {
			const inBox = polys.map((p) => ringArea(p[0]))
				.filter((r) => r.centre[0] >= w && r.centre[0] <= e &&
					r.centre[1] >= s && r.centre[1] <= n);
			if (inBox.length === 0)
				throw new Error(`${c} not found in France's 1:50m shape`);
			inBox.sort((a, b) => b.area - a.area);
			points.set(c, inBox[0].centre);
		}
		continue;
	}
	if (code === undefined || DROP.has(code) || shapes.has(code) || polys.length === 0)
		continue;
	const largest = polys.map((p) => ringArea(p[0])).sort((a, b) => b.area - a.area)[0];
	points.set(code, largest.centre);
}
// The island states the African map must show, whatever a new world-atlas does.
for (const code of ["CV", "KM", "MU", "SC", "ST"])
	if (!points.has(code))
		throw new Error(`no point for ${code}`);

const countries = [];
for (const [code, polys] of shapes) {
	const clean = polys.map(cleanPolygon).filter((p) => p !== null && p.length > 0);
	if (clean.length > 0)
		countries.push({code, polygons: clean});
}
for (const [code, [lon, lat]] of points)
	countries.push({code, point: [round2(lon), round2(lat)]});
countries.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const source = `Natural Earth 1:110m Admin 0 countries (public domain), from world-atlas ` +
	`${atlasVersion} countries-110m.json; points from countries-50m.json. ` +
	`Written by tools/make-map.mjs.`;
const text = `{"source": ${JSON.stringify(source)},\n"countries": [\n` +
	countries.map((c) => JSON.stringify(c)).join(",\n") + "\n]}\n";
mkdirSync(dirname(OUTPUT), {recursive: true});
writeFileSync(OUTPUT, text);
const nPoints = countries.filter((c) => c.point).length;
console.log(`${OUTPUT}: ${countries.length - nPoints} shapes, ${nPoints} points, ` +
	`${text.length} bytes`);
