// The time and place a photo was taken, read before the photo is redrawn (which drops its EXIF)
// and sent beside it as photo_meta.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {exifTime, metaFromTags, photoName, readMeta, redrawSize} from "../../static/js/photos.js";

describe("EXIF time", () => {
  test("EXIF's colons become an ISO date, with the offset when EXIF gives one", () => {
    assert.equal(exifTime("2024:03:20 08:30:00", "+07:00"), "2024-03-20T08:30:00+07:00");
    assert.equal(exifTime("2024:03:20 08:30:00", "-03:30"), "2024-03-20T08:30:00-03:30");
  });

  test("without an offset the time goes as written (the server reads it as the city's)", () => {
    assert.equal(exifTime("2024:03:20 08:30:00"), "2024-03-20T08:30:00");
    assert.equal(exifTime("2024:03:20 08:30:00", "+7"), "2024-03-20T08:30:00"); // not a valid offset
  });

  test("a time written with a T or followed by fractions is read the same", () => {
    assert.equal(exifTime("2024:03:20T08:30:00.123"), "2024-03-20T08:30:00");
  });

  test("an empty, zeroed or garbled time is no time", () => {
    for (const raw of [undefined, null, "", "0000:00:00 00:00:00", "    :  :     :  :  ", "20/03/2024"]) {
      assert.equal(exifTime(raw, "+07:00"), null, String(raw));
    }
  });
});

describe("photo_meta from the tags exifr read", () => {
  const tags = {DateTimeOriginal: "2024:03:20 08:30:00", OffsetTimeOriginal: "+07:00",
    CreateDate: "2024:03:21 09:00:00", OffsetTime: "+00:00", latitude: 21.2731, longitude: 106.1946};

  test("the original time and its offset come first, then the GPS", () => {
    assert.deepEqual(metaFromTags(tags), {taken_at: "2024-03-20T08:30:00+07:00", lat: 21.2731, lon: 106.1946});
  });

  test("without an original time, the creation time and the general offset", () => {
    assert.deepEqual(metaFromTags({CreateDate: "2024:03:21 09:00:00", OffsetTime: "+00:00"}),
      {taken_at: "2024-03-21T09:00:00+00:00"});
  });

  test("a photo whose picker stripped the GPS, or with only half of it, sends no place", () => {
    assert.deepEqual(metaFromTags({DateTimeOriginal: "2024:03:20 08:30:00"}), {taken_at: "2024-03-20T08:30:00"});
    assert.deepEqual(metaFromTags({latitude: 21.27}), {});
    assert.deepEqual(metaFromTags({}), {});
  });

  test("exifr is asked for the values as written, and a file it cannot read has no meta", async () => {
    const asked = [];
    const exifr = {parse: async (file, options) => { asked.push(options); return tags; }};
    assert.deepEqual(await readMeta("file", exifr), metaFromTags(tags));
    assert.deepEqual(asked, [{reviveValues: false, translateValues: false}]);
    assert.deepEqual(await readMeta("file", {parse: async () => { throw new Error("not an image"); }}), {});
    assert.deepEqual(await readMeta("file", {parse: async () => undefined}), {});
    assert.deepEqual(await readMeta("file", null), {});
  });
});

describe("the copy that is sent", () => {
  test("a phone's 12 MP photo is redrawn at 2048 px on its long edge", () => {
    assert.deepEqual(redrawSize(4000, 3000, "image/jpeg", 3700000), {width: 2048, height: 1536});
    assert.deepEqual(redrawSize(3000, 4000, "image/jpeg", 3700000), {width: 1536, height: 2048});
  });

  test("a small JPEG goes as taken; a small PNG or a large small-sized JPEG is redrawn", () => {
    assert.equal(redrawSize(640, 480, "image/jpeg", 90000), null);
    assert.deepEqual(redrawSize(640, 480, "image/png", 90000), {width: 640, height: 480});
    assert.deepEqual(redrawSize(2048, 1536, "image/jpeg", 2000000), {width: 2048, height: 1536});
  });

  test("a redrawn photo is named .jpg; a nameless one gets a number", () => {
    assert.equal(photoName("IMG_0001.HEIC", 1, true), "IMG_0001.jpg");
    assert.equal(photoName("IMG_0001.HEIC", 1, false), "IMG_0001.HEIC");
    assert.equal(photoName("", 3, true), "anh-3.jpg");
    assert.equal(photoName(undefined, 2, false), "anh-2");
  });
});
