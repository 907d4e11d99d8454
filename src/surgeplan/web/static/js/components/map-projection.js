// Albers equal-area projection of the United States with insets, in SVG user units.
//
// Why our own: the state outline is projected once, when it is vendored
// (scripts/vendor-web-assets), with this very module, and shipped as two SVG
// path strings (vendor/us-atlas/us-outline.js). The browser then only has to
// place points, which takes the few lines below instead of d3-geo + d3-array +
// topojson-client (~60 KB of modules that would need an import map to load
// without a build step). Outline and points cannot drift apart: both come from
// this file.
//
// The lower 48, Alaska and Hawaii use exactly the parameters of d3-geo's
// geoAlbersUsa().scale(1300).translate([487.5, 305]) (the us-atlas "albers"
// layout, ~975×610). d3's composite leaves out Puerto Rico; we add it, with
// the US Virgin Islands, as a fourth inset at true scale bottom right (the
// placement of d3-composite-projections' geoAlbersUsaTerritories). Guam, the
// Northern Mariana Islands and American Samoa are not drawn: project() returns
// null for them, as for any point outside the four regions.

const RAD = Math.PI / 180;
const K = 1300;
const TX = 487.5;
const TY = 305;

// A d3-style conic equal-area projection: rotate (longitude only), centre,
// standard parallels, scale and translate; y grows downwards.
function conicEqualArea({ rotate, center, parallels, scale, translate }) {
  const sy0 = Math.sin(parallels[0] * RAD);
  const n = (sy0 + Math.sin(parallels[1] * RAD)) / 2;
  const c = 1 + sy0 * (2 * n - sy0);
  const r0 = Math.sqrt(c) / n;
  const raw = (lambda, phi) => {
    const r = Math.sqrt(Math.max(0, c - 2 * n * Math.sin(phi))) / n;
    const a = lambda * n;
    return [r * Math.sin(a), r0 - r * Math.cos(a)];
  };
  const centre = raw(center[0] * RAD, center[1] * RAD);
  const dx = translate[0] - scale * centre[0];
  const dy = translate[1] + scale * centre[1];
  const rot = rotate * RAD;
  return (lon, lat) => {
    let lambda = lon * RAD + rot;
    if (lambda > Math.PI) lambda -= 2 * Math.PI;
    else if (lambda < -Math.PI) lambda += 2 * Math.PI;
    const p = raw(lambda, lat * RAD);
    return [dx + scale * p[0], dy - scale * p[1]];
  };
}

/** One projection per region; `box` is the geographic extent [west, south, east, north]. */
export const REGIONS = Object.freeze({
  L48: {
    name: "Contiguous United States",
    box: [-125.5, 24, -66.5, 49.5],
    project: conicEqualArea({
      rotate: 96,
      center: [-0.6, 38.7],
      parallels: [29.5, 45.5],
      scale: K,
      translate: [TX, TY],
    }),
  },
  AK: {
    name: "Alaska",
    // The Aleutians cross the antimeridian: west of -129° or east of 170°.
    box: [170, 50.5, -129, 72],
    project: conicEqualArea({
      rotate: 154,
      center: [-2, 58.5],
      parallels: [55, 65],
      scale: K * 0.35,
      translate: [TX - 0.307 * K, TY + 0.201 * K],
    }),
  },
  HI: {
    name: "Hawaii",
    box: [-161, 18.5, -154.5, 22.5],
    project: conicEqualArea({
      rotate: 157,
      center: [-3, 19.9],
      parallels: [8, 18],
      scale: K,
      translate: [TX - 0.205 * K, TY + 0.212 * K],
    }),
  },
  PR: {
    name: "Puerto Rico and the US Virgin Islands",
    box: [-67.5, 17.5, -64.4, 18.8],
    project: conicEqualArea({
      rotate: 66,
      center: [0, 18],
      parallels: [8, 18],
      scale: K,
      translate: [TX + 0.35 * K, TY + 0.224 * K],
    }),
  },
});

/** The region ("L48", "AK", "HI", "PR") whose box holds the point, or null. */
export function regionOf(lon, lat) {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  for (const [key, { box }] of Object.entries(REGIONS)) {
    const [w, s, e, n] = box;
    const inLon = w <= e ? lon >= w && lon <= e : lon >= w || lon <= e;
    if (inLon && lat >= s && lat <= n) return key;
  }
  return null;
}

/** [x, y] in the map's user units, or null where the point is outside the map. */
export function project(lon, lat) {
  const key = regionOf(Number(lon), Number(lat));
  return key === null ? null : REGIONS[key].project(Number(lon), Number(lat));
}
