import assert from "node:assert/strict";
import {test} from "node:test";

import {distanceM, nearestFirst, shownDistance} from "../../static/js/places.js";

const fix = {lat: 21.2731, lon: 106.1946};

test("a distance in metres along the earth", () => {
  assert.equal(Math.round(distanceM(fix, {lat: 21.2776, lon: 106.1946})), 500);
  assert.equal(distanceM(fix, fix), 0);
});

test("the nearest place comes first, places without coordinates last in their order", () => {
  const places = [
    {name: "Bộ phận một cửa", lat: 21.2831, lon: 106.1946},
    {name: "Cổng chào", lat: NaN, lon: NaN},
    {name: "Pano số 2", lat: 21.2741, lon: 106.1946},
    {name: "Màn hình LED", lat: NaN, lon: NaN},
    {name: "Pano số 1", lat: 21.2732, lon: 106.1946},
  ];
  const sorted = nearestFirst(places, fix);
  assert.deepEqual(sorted.map((p) => p.name),
    ["Pano số 1", "Pano số 2", "Bộ phận một cửa", "Cổng chào", "Màn hình LED"]);
  assert.equal(Math.round(sorted[0].distance), 11);
  assert.equal(sorted[3].distance, null);
  assert.deepEqual(nearestFirst(places, null).map((p) => p.name), places.map((p) => p.name));
});

test("a distance is shown in metres, then kilometres with a decimal comma", () => {
  assert.equal(shownDistance(42.4), "42 m");
  assert.equal(shownDistance(1430), "1,4 km");
});
