// Following an unread notice marks it read with a request that outlives the page.
import assert from "node:assert/strict";
import {test} from "node:test";

import {readRequest} from "../../static/js/notifications.js";

test("the read request is a same-origin JSON POST with the token, kept alive", () => {
  const request = readRequest("42", "tok");
  assert.equal(request.method, "POST");
  assert.equal(request.keepalive, true);
  assert.equal(request.credentials, "same-origin");
  assert.equal(request.headers["X-CSRFToken"], "tok");
  assert.deepEqual(JSON.parse(request.body), {ids: [42]});
});
