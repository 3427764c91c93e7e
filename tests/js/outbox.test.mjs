// What the outbox does with each answer of the server, and how long it waits before trying again.
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {kept, nextDelay, outboxConfig, verdict} from "../../static/js/outbox.js";

const created = {status: 201, body: {id: 7, status: "submitted"}};

describe("an answer's verdict", () => {
  test("201 and 200 with the evidence mean sent: the local copy may go", () => {
    assert.equal(verdict(created), "sent");
    assert.equal(verdict({status: 200, body: {id: 7}}), "sent");
  });

  test("a 200 or 201 without the evidence in it is not taken for sent", () => {
    assert.equal(verdict({status: 200, body: null}), "retry");
    assert.equal(verdict({status: 201, body: {error: "?"}}), "retry");
  });

  test("refusals keep the item and ask the officer to act", () => {
    for (const status of [400, 403, 409, 413, 415, 422]) {
      assert.equal(verdict({status, body: {error: "x", fields: {}}}), "attention", status);
    }
  });

  test("a CSRF failure asks for a fresh token, not the officer", () => {
    assert.equal(verdict({status: 400, body: {code: "csrf", error: "x"}}), "csrf");
  });

  test("401, or a redirect to the sign-in page, asks the officer to sign in again", () => {
    assert.equal(verdict({status: 401, body: {error: "x"}}), "signIn");
    assert.equal(verdict({status: 200, body: null, toLogin: true}), "signIn");
    assert.equal(verdict({...created, toLogin: true}), "signIn");
  });

  test("no answer, a timeout, too many requests and server errors are tried again later", () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) {
      assert.equal(verdict({status, body: null}), "retry", status);
    }
  });
});

describe("what stays on the phone", () => {
  test("a refused item keeps the server's message and its fields' messages", () => {
    const answer = {status: 422, body: {error: "Thông tin chưa hợp lệ.", fields: {quantity: "Ít nhất là 1."}}};
    assert.deepEqual(kept("attention", answer), {state: "attention", httpStatus: 422, newKey: false,
      message: "Thông tin chưa hợp lệ.", fieldErrors: {quantity: "Ít nhất là 1."}});
  });

  test("a 409 means the key is taken: the corrected item goes under a new one", () => {
    assert.equal(kept("attention", {status: 409, body: {error: "x"}}).newKey, true);
  });

  test("a refusal the page cannot read says its status", () => {
    const changes = kept("attention", {status: 413, body: null});
    assert.equal(changes.message, "Máy chủ trả lời không đọc được (mã 413).");
    assert.deepEqual(changes.fieldErrors, {});
  });

  test("an item waiting for a retry says why, and never needs attention", () => {
    assert.deepEqual(kept("retry", {status: 503, body: null}), {state: "waiting", httpStatus: 503,
      message: "Máy chủ chưa nhận được (mã 503). Máy sẽ tự gửi lại sau."});
    assert.equal(kept("retry", {status: 0, body: null}).message, "Chưa có mạng hoặc mạng bị ngắt. Máy sẽ tự gửi lại khi có mạng.");
    assert.deepEqual(kept("signIn", {status: 401, body: null}),
      {state: "waiting", message: "Cần đăng nhập lại để gửi."});
  });
});

describe("the backoff", () => {
  test("starts at one second and doubles up to five minutes", () => {
    const settings = outboxConfig({});
    const waits = [];
    let delay = 0;
    for (let i = 0; i < 12; i++) waits.push(delay = nextDelay(delay, settings));
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000]);
  });

  test("starts again from the first wait after a success", () => {
    assert.equal(nextDelay(0, {backoffMs: 50, backoffMaxMs: 800}), 50);
    assert.equal(nextDelay(400, {backoffMs: 50, backoffMaxMs: 800}), 800);
    assert.equal(nextDelay(800, {backoffMs: 50, backoffMaxMs: 800}), 800);
  });

  test("takes the page's settings, and a developer's override of the first wait", () => {
    const page = {user: "tho-xuong", backoffMs: "50", backoffMaxMs: "800", login: "/login", outbox: "/outbox"};
    assert.deepEqual(outboxConfig(page), {user: "tho-xuong", worker: undefined, session: undefined,
      outbox: "/outbox", login: "/login", backoffMs: 50, backoffMaxMs: 800});
    assert.equal(outboxConfig(page, 5).backoffMs, 5);
    assert.equal(outboxConfig({user: ""}).user, "");
  });
});
