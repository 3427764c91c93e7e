// The review queue's lightbox: which way a swipe went, and where a step among photos lands.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {photoStep, swipeDirection} from "../../static/js/review.js";

describe("the lightbox", () => {
  test("a swipe is read by its longer side; a tap or a diagonal wobble is no swipe", () => {
    assert.equal(swipeDirection(-120, 10), "left");
    assert.equal(swipeDirection(90, -20), "right");
    assert.equal(swipeDirection(5, -80), "up");
    assert.equal(swipeDirection(-10, 130), "down");
    assert.equal(swipeDirection(8, 6), null); // a tap
    assert.equal(swipeDirection(70, 65), null); // neither way clearly
  });

  test("a step among an item's photos stays inside them, or says it ran past an end", () => {
    assert.equal(photoStep(0, 1, 3), 1);
    assert.equal(photoStep(2, 1, 3), -1); // past the last: the next item's turn
    assert.equal(photoStep(0, -1, 3), -1);
    assert.equal(photoStep(1, -1, 3), 0);
  });
});
