// Web Push in the page: the server's key as bytes, and the offer only where the browser can.
import assert from "node:assert/strict";
import {test} from "node:test";

import {keyBytes, supported} from "../../static/js/push.js";

test("a base64url key without padding becomes its bytes", () => {
  globalThis.atob ??= (text) => Buffer.from(text, "base64").toString("binary");
  const bytes = keyBytes(Buffer.from([4, 251, 255, 0, 1]).toString("base64url"));
  assert.deepEqual(Array.from(bytes), [4, 251, 255, 0, 1]);
  assert.equal(keyBytes(Buffer.alloc(65, 7).toString("base64url")).length, 65);
});

test("the offer needs a service worker, the Push API and notifications", () => {
  assert.equal(supported({}), false);
  assert.equal(supported({navigator: {serviceWorker: {}}, PushManager: function () {}}), false);
  assert.equal(supported({navigator: {serviceWorker: {}}, PushManager() {}, Notification() {}}), true);
});
