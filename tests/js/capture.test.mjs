// The capture form's own decisions: what it keeps of the fields, what it puts back to fix an
// item, what is missing, and the date notice.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {fieldsToRestore, fixingId, keptFields, missing, newKey} from "../../static/js/capture.js";
import {dateNotice} from "../../static/js/date-notice.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("the fields an item keeps", () => {
  const photo = {name: "a.jpg", size: 3};
  const entries = [["csrf_token", "tok"], ["client_uuid", "k"], ["note", "Dòng một\nDòng hai\rba\r\nbốn"],
    ["photo", photo], ["quantity", "2"]];

  test("are the text fields with the multipart body's line ends, without the token or files", () => {
    assert.deepEqual(keptFields(entries), [["client_uuid", "k"], ["note", "Dòng một\r\nDòng hai\r\nba\r\nbốn"],
      ["quantity", "2"]]);
  });

  test("come back into the form as a textarea holds them", () => {
    assert.deepEqual(fieldsToRestore([["csrf_token", "old"], ...keptFields(entries)]),
      [["client_uuid", "k"], ["note", "Dòng một\nDòng hai\nba\nbốn"], ["quantity", "2"]]);
  });

  test("keep a value with no line ends byte for byte", () => {
    assert.deepEqual(fieldsToRestore(keptFields([["place", " Chợ Thương "]])), [["place", " Chợ Thương "]]);
  });
});

describe("what is missing", () => {
  const control = (name, type, value, files = []) => ({name, type, value, files,
    dataset: {required: `Hãy nhập ${name}.`}});

  test("is each empty required control, in the server's words", () => {
    const controls = [control("place", "text", "  "), control("photo", "file", "", []),
      control("installed", "text", "Pano")];
    assert.deepEqual(missing(controls), {place: "Hãy nhập place.", photo: "Hãy nhập photo."});
  });

  test("photos kept from an earlier try count as chosen", () => {
    assert.deepEqual(missing([control("photo", "file", "", [])], 1), {});
    assert.deepEqual(missing([control("attachment", "file", "", [])], 1), {attachment: "Hãy nhập attachment."});
  });

  test("is nothing when everything is there", () => {
    assert.deepEqual(missing([control("photo", "file", "", [{}]), control("place", "text", "Chợ")]), {});
  });
});

describe("keys and the item to fix", () => {
  test("a new key is a version 4 UUID, with or without crypto.randomUUID", () => {
    assert.match(newKey(), UUID);
    const old = {getRandomValues: (bytes) => bytes.fill(0xff)};
    assert.equal(newKey(old), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  });

  test("only an address naming a whole key asks to fix an item", () => {
    assert.equal(fixingId("#outbox=0f8e2a34-5b6c-4d7e-8f90-a1b2c3d4e5f6"), "0f8e2a34-5b6c-4d7e-8f90-a1b2c3d4e5f6");
    assert.equal(fixingId("#outbox=0f8e2a34"), null);
    assert.equal(fixingId(""), null);
  });
});

describe("the date notice", () => {
  const plan = {planStart: "2024-01-01", planEnd: "2024-12-31", lateDays: "14"};
  const now = Date.parse("2024-06-30T12:00:00");

  test("a date inside the plan's year and recent says nothing", () => {
    assert.equal(dateNotice("2024-06-20T09:00", plan, now), "");
    assert.equal(dateNotice("", plan, now), "");
  });

  test("a date outside the plan's year says so, whatever its age", () => {
    assert.equal(dateNotice("2023-12-31T23:59", plan, now), "outside");
    assert.equal(dateNotice("2025-01-01T00:00", plan, now), "outside");
  });

  test("a date in the plan's year more than the late days ago is late", () => {
    assert.equal(dateNotice("2024-06-16T11:00", plan, now), "late");
    assert.equal(dateNotice("2024-06-16T13:00", plan, now), "");
    assert.equal(dateNotice("2024-03-20T09:00", plan, now), "late");
  });
});

describe("the form's rules, checked on the phone", async () => {
  const {badValue} = await import("../../static/js/capture.js");
  const int = {check: "int", bad: "Hãy nhập một số nguyên.", minimum: "1", tooSmall: "Ít nhất là 1."};

  test("a number below the schema's minimum, or not a whole number, is refused in its words", () => {
    assert.equal(badValue("0", int), "Ít nhất là 1.");
    assert.equal(badValue("2.5", int), "Hãy nhập một số nguyên.");
    assert.equal(badValue("²", int), "Hãy nhập một số nguyên.");
    assert.equal(badValue("3", int), "");
    assert.equal(badValue("", int), ""); // missing is the other check's word
  });

  test("a link and a time keep the server's formats", () => {
    assert.equal(badValue("zalo.me/x", {check: "url", bad: "url"}), "url");
    assert.equal(badValue("https://zalo.me/x", {check: "url", bad: "url"}), "");
    assert.equal(badValue("25:00", {check: "time", bad: "time"}), "time");
    assert.equal(badValue("06:30", {check: "time", bad: "time"}), "");
  });
});

describe("a refusal in the outbox", async () => {
  const {fieldError} = await import("../../static/js/outbox-page.js");
  test("names its field", () => {
    assert.equal(fieldError("quantity", "Ít nhất là 1.", {quantity: "Số lượng"}), "Số lượng: ít nhất là 1.");
    assert.equal(fieldError("lat", "Vị trí không hợp lệ.", {}), "Vị trí không hợp lệ.");
  });
});
