// The scripts' words come from the server's catalogue and their times are shown in the zone
// the server names; no script carries a language or a zone of its own.
import assert from "node:assert/strict";
import {readFileSync, readdirSync} from "node:fs";
import {describe, test} from "node:test";

import {clockTime, dateTime, fill, t, translate} from "../../static/js/i18n.js";
import {stateLabel, size, summary} from "../../static/js/outbox-page.js";

const SCRIPTS = new URL("../../static/js/", import.meta.url);

describe("filling a message", () => {
  test("puts each value in its placeholder, as often as it appears", () => {
    assert.equal(fill("Đang chuẩn bị ảnh {i}/{n}…", {i: 1, n: 3}), "Đang chuẩn bị ảnh 1/3…");
    assert.equal(fill("{n} + {n}", {n: 0}), "0 + 0");
  });

  test("leaves a placeholder without a value as written, to be noticed", () => {
    assert.equal(fill("#{id} · {task}", {id: 5}), "#5 · {task}");
    assert.equal(fill("Bỏ"), "Bỏ");
  });
});

describe("translating", () => {
  const english = {"Ảnh {i}": "Photo {i}", "Chờ gửi": "Waiting"};

  test("takes the catalogue's words and fills them", () => {
    assert.equal(translate(english, "Ảnh {i}", {i: 2}), "Photo 2");
  });

  test("shows a message the catalogue lacks, or leaves empty, in Vietnamese", () => {
    assert.equal(translate(english, "Đang gửi"), "Đang gửi");
    assert.equal(translate({"Đang gửi": ""}, "Đang gửi"), "Đang gửi");
  });

  test("without a page there is no catalogue, and the message is its own Vietnamese", () => {
    assert.equal(t("{n} mục cần bạn sửa trước khi gửi.", {n: 2}), "2 mục cần bạn sửa trước khi gửi.");
    assert.equal(stateLabel("attention"), "Cần sửa");
    assert.equal(stateLabel("lost"), "lost");
  });
});

describe("times and sizes", () => {
  const instant = "2024-03-31T17:30:05Z";

  test("are shown in the zone the page names, not the browser's", () => {
    assert.equal(dateTime(instant, "Asia/Ho_Chi_Minh"), "01/04/2024 00:30");
    assert.equal(dateTime(instant, "UTC"), "31/03/2024 17:30");
    assert.equal(clockTime(instant, "Asia/Ho_Chi_Minh"), "00:30:05");
  });

  test("the outbox's summary says what waits, what needs the officer and the next try", () => {
    const items = [{state: "waiting"}, {state: "sending"}, {state: "attention"}];
    assert.equal(summary(items, 0), "2 mục đang chờ gửi. 1 mục cần bạn sửa trước khi gửi.");
    assert.equal(summary([{state: "attention"}], Date.parse(instant)), "1 mục cần bạn sửa trước khi gửi.");
    assert.match(summary([{state: "waiting"}], Date.parse(instant)),
      /^1 mục đang chờ gửi\. Sẽ tự thử gửi lại lúc \d\d:\d\d:05\.$/);
    assert.equal(summary([], 0), "");
  });

  test("sizes read with a decimal comma", () => {
    assert.equal(size(0), "0 B");
    assert.equal(size(999), "999 B");
    assert.equal(size(1500000), "1,5 MB");
    assert.equal(size(2.5e12), "2500,0 GB");
  });
});

describe("the scripts themselves", () => {
  const sources = readdirSync(SCRIPTS).filter((name) => name.endsWith(".js"))
    .map((name) => [name, readFileSync(new URL(name, SCRIPTS), "utf8")]);

  test("name no time zone and no locale of their own", () => {
    for (const [name, source] of sources) {
      assert.doesNotMatch(source, /Asia\/|Ho_Chi_Minh|"vi-VN"/, name);
    }
  });

  test("are modules that hang nothing on window", () => {
    for (const [name, source] of sources) {
      assert.doesNotMatch(source, /window\.wardapp|\(function \(\) \{/, name);
    }
  });
});
