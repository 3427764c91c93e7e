import assert from "node:assert/strict";
import {test} from "node:test";

import {STATUS_COLOURS, latLon} from "../../static/js/map.js";

test("a GeoJSON point's [lon, lat] becomes Leaflet's [lat, lon]", () => {
  assert.deepEqual(latLon({geometry: {type: "Point", coordinates: [106.19, 21.27]}}), [21.27, 106.19]);
});

test("each status a marker can have has its own colour", () => {
  const colours = ["submitted", "approved", "returned"].map((s) => STATUS_COLOURS[s]);
  assert.equal(new Set(colours).size, 3);
});
