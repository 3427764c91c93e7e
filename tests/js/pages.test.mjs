// The small decisions of the officer's pages and the review queue.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {warmDue} from "../../static/js/offline.js";
import {kindOffered, stepIndex} from "../../static/js/review.js";

describe("keeping the officer's pages", () => {
  const hour = 3600 * 1000;
  const now = Date.parse("2024-06-30T12:00:00Z");

  test("is asked again after six hours, or at once for another officer or a new worker", () => {
    const done = {user: "tho-xuong", at: now - hour};
    assert.equal(warmDue(done, "tho-xuong", now), false);
    assert.equal(warmDue({...done, at: now - 6 * hour}, "tho-xuong", now), true);
    assert.equal(warmDue(done, "tran-phu", now), true);
    assert.equal(warmDue(done, "tho-xuong", now, true), true);
    assert.equal(warmDue({}, "tho-xuong", now), true);
  });

  test("a request still unanswered is asked again after two minutes", () => {
    const pending = {user: "tho-xuong", at: now - 60 * 1000, pending: true};
    assert.equal(warmDue(pending, "tho-xuong", now), false);
    assert.equal(warmDue({...pending, at: now - 2 * 60 * 1000}, "tho-xuong", now), true);
  });
});

describe("the review queue's keys and kind picker", () => {
  test("j and k move one row and stop at either end; with none focused, j takes the first", () => {
    assert.equal(stepIndex(-1, 1, 3), 0);
    assert.equal(stepIndex(0, 1, 3), 1);
    assert.equal(stepIndex(2, 1, 3), 2);
    assert.equal(stepIndex(0, -1, 3), 0);
    assert.equal(stepIndex(-1, -1, 3), 0);
  });

  test("the kinds on offer are those the chosen task takes, and every kind without a task", () => {
    assert.equal(kindOffered("broadcast", ["broadcast"]), true);
    assert.equal(kindOffered("site_photo", ["broadcast"]), false);
    assert.equal(kindOffered("", ["broadcast"]), true); // "all kinds" stays
    assert.equal(kindOffered("site_photo", null), true);
  });
});
