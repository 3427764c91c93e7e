// Where each picked photo's place comes from, what is sent of the phone's fix, and the photo
// time offered for the form's date.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {FIX_FRESH_MS, answer, metaToSend, placeOnFix, placeOnPick, room, shownInput, takenInput,
  timeToOffer} from "../../static/js/photo-picks.js";

const NOW = Date.parse("2026-12-01T03:00:00Z");
const fix = {lat: 21.27, lon: 106.19, accuracy: 14.4, at: NOW - 1000};

describe("a photo's place", () => {
  test("is its own GPS whenever it has one, from the camera or the gallery", () => {
    for (const from of ["camera", "gallery"]) {
      assert.deepEqual(placeOnPick({lat: 21.2, lon: 106.1}, from, fix, NOW), {place: "exif", fix: null});
    }
  });

  test("from the camera is the phone's fix of that moment, or the first fix that comes", () => {
    assert.deepEqual(placeOnPick({}, "camera", fix, NOW), {place: "capture", fix});
    const stale = {...fix, at: NOW - FIX_FRESH_MS - 1};
    assert.equal(placeOnPick({}, "camera", stale, NOW).place, "wait");
    assert.equal(placeOnPick({}, "camera", null, NOW).place, "wait");
    assert.deepEqual(placeOnFix({place: "wait", from: "camera"}, fix), {place: "capture", fix});
  });

  test("from the gallery without GPS is asked, never assumed", () => {
    assert.deepEqual(placeOnPick({}, "gallery", fix, NOW), {place: "ask", fix});
    assert.deepEqual(placeOnPick({}, "gallery", null, NOW), {place: "none", fix: null});
    assert.equal(placeOnFix({place: "none", from: "gallery"}, fix).place, "ask");
    assert.equal(placeOnFix({place: "none", from: "gallery", answered: true}, fix).place, "none");
    assert.deepEqual(answer({place: "ask", fix}, true), {place: "later", fix, answered: true});
    assert.deepEqual(answer({place: "ask", fix}, false), {place: "none", fix: null, answered: true});
  });
});

describe("what is sent of the place", () => {
  test("the fix only when it is the photo's place", () => {
    assert.deepEqual(metaToSend({meta: {taken_at: "2024-03-20T08:30:00"}, place: "capture", fix}),
      {taken_at: "2024-03-20T08:30:00", place: "capture", fix_lat: 21.27, fix_lon: 106.19, fix_accuracy: 14});
    assert.deepEqual(metaToSend({meta: {}, place: "later", fix}).place, "later");
    for (const open of ["ask", "wait"]) {
      assert.deepEqual(metaToSend({meta: {}, place: open, fix}), {place: "none"});
    }
    assert.deepEqual(metaToSend({meta: {lat: 1, lon: 2}, place: "exif", fix: null}), {lat: 1, lon: 2, place: "exif"});
  });
});

describe("the photo's time for the form's date", () => {
  test("is the city's time, whatever offset EXIF wrote", () => {
    assert.equal(takenInput("2024-03-20T08:30:00", "Asia/Ho_Chi_Minh"), "2024-03-20T08:30");
    assert.equal(takenInput("2024-03-20T01:30:00Z", "Asia/Ho_Chi_Minh"), "2024-03-20T08:30");
    assert.equal(takenInput("2024-03-20T10:30:00+09:00", "Asia/Ho_Chi_Minh"), "2024-03-20T08:30");
    assert.equal(takenInput(undefined, "Asia/Ho_Chi_Minh"), "");
  });

  test("is offered only when it differs by more than a few minutes", () => {
    assert.equal(timeToOffer("2024-03-25T10:00", "2024-03-20T08:30"), "2024-03-20T08:30");
    assert.equal(timeToOffer("2024-03-20T08:33", "2024-03-20T08:30"), "");
    assert.equal(timeToOffer("", "2024-03-20T08:30"), "2024-03-20T08:30");
    assert.equal(timeToOffer("2024-03-20T08:30", ""), "");
    assert.equal(shownInput("2024-11-12T09:30"), "12/11/2024 09:30");
  });

  test("room for more photos counts the attachments too", () => {
    assert.equal(room(10, 3, 1), 6);
    assert.equal(room(10, 12), 0);
  });
});

describe("Ghi như lần trước", async () => {
  const {newerLast, repeatedFields} = await import("../../static/js/photo-picks.js");
  const server = {fields: {station: "Đài phường"}, savedAt: "2024-03-11T00:00:00+00:00"};
  const local = {fields: {station: "Loa tổ 3"}, savedAt: "2024-03-18T00:00:00.000Z"};

  test("takes the newer of the server's last item and the phone's own", () => {
    assert.equal(newerLast(server, local), local);
    assert.equal(newerLast({...server, savedAt: "2024-03-19T00:00:00+00:00"}, local).fields.station, "Đài phường");
    assert.equal(newerLast(server, null), server);
    assert.equal(newerLast({}, {fields: {}}), null);
  });

  test("keeps only the kind's repeated fields that were filled", () => {
    const entries = [["station", "Loa"], ["minutes", " "], ["topic", "Chuyển đổi số"], ["note", "x"]];
    assert.deepEqual(repeatedFields(entries, ["station", "minutes", "topic"]), {station: "Loa", topic: "Chuyển đổi số"});
  });
});
