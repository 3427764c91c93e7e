// The capture form, when JavaScript runs: each submission is written to the outbox on the
// phone first (fields, photos made small, the location fix), then the outbox page sends it.
// Photos lose their EXIF when redrawn, so their time and GPS are read first and sent beside
// them as photo_meta (photos.js). Without JavaScript, or without IndexedDB, the form posts
// as before.
(function () {
  "use strict";
  var TEXT = {
    locating: "Đang lấy vị trí của máy…",
    located: "Đã ghi vị trí (sai số khoảng {m} m).",
    noLocation: "Không lấy được vị trí của máy; minh chứng vẫn gửi được.",
    preparing: "Đang chuẩn bị ảnh {i}/{n}…",
    saving: "Đang lưu vào hộp thư đi…",
    saveFailed: "Không lưu được trên máy ({error}).",
    sendingDirect: "Đang gửi thẳng lên máy chủ…",
    fixing: "Sửa các mục được đánh dấu rồi bấm gửi; ảnh đã chụp vẫn được giữ.",
    notFound: "Không còn mục này trong hộp thư đi; đây là một minh chứng mới.",
    keptPhotos: "Ảnh đã lưu trong hộp thư đi",
    keptFiles: "Tệp đã lưu trong hộp thư đi",
    remove: "Bỏ",
    photo: "Ảnh {i}",
    incomplete: "Thông tin chưa hợp lệ, hãy sửa các mục được đánh dấu."
  };

  var outbox = window.wardapp && window.wardapp.outbox;

  function fill(text, values) { return outbox.fill(text, values); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // ---- the location fix, watched from the moment the form opens ----
  function say(form, text) { form.querySelector(".capture-status").textContent = text; }

  function watchLocation(form) {
    var out = form.querySelector(".location-status");
    if (!navigator.geolocation || !out) return;
    out.textContent = TEXT.locating;
    var id = navigator.geolocation.watchPosition(function (position) {
      if (!form.isConnected || form.dataset.sent) { navigator.geolocation.clearWatch(id); return; }
      var c = position.coords;
      form.elements.lat.value = c.latitude.toFixed(6);
      form.elements.lon.value = c.longitude.toFixed(6);
      form.elements.accuracy.value = String(Math.round(c.accuracy));
      form.elements.located_at.value = new Date(position.timestamp).toISOString();
      out.textContent = fill(TEXT.located, {m: Math.round(c.accuracy)});
    }, function () {
      if (!form.elements.lat.value) out.textContent = TEXT.noLocation;
    }, {enableHighAccuracy: true, maximumAge: 60000, timeout: 30000});
    form.addEventListener("submit", function () { navigator.geolocation.clearWatch(id); });
  }

  // ---- fixing an item the server sent back ----
  // Messages beside their fields (one per field, reused); ``mark`` tags the ones this page
  // makes itself, so the next try can take them back. Returns those with no field to go to.
  function showErrors(form, errors, mark) {
    var loose = [];
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector("#f-" + name);
      if (!input) { loose.push(errors[name]); return; }
      var field = input.closest(".field");
      field.classList.add("has-error");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "e-" + name);
      var p = field.querySelector("#e-" + name);
      if (!p) {
        p = document.createElement("p");
        p.id = "e-" + name;
        field.appendChild(p);
      }
      p.className = mark ? "error " + mark : "error";
      p.textContent = errors[name];
    });
    return loose;
  }

  function clearErrors(form, mark) {
    form.querySelectorAll(".field .error." + mark).forEach(function (p) {
      var field = p.closest(".field");
      field.classList.remove("has-error");
      field.querySelectorAll("[aria-invalid]").forEach(function (c) { c.removeAttribute("aria-invalid"); });
      p.remove();
    });
  }

  function showKept(ctx, list, role, anchor, title) {
    var box = ctx.form.querySelector(".kept-" + role);
    if (!box) {
      box = document.createElement("div");
      box.className = "kept kept-" + role;
      anchor.appendChild(box);
    }
    box.textContent = "";
    if (!list.length) return;
    var heading = document.createElement("p");
    heading.className = "hint"; heading.textContent = title;
    var ul = document.createElement("ul");
    list.forEach(function (file, index) {
      var li = document.createElement("li");
      if (role === "photo") {
        var img = document.createElement("img");
        img.className = "thumb"; img.alt = fill(TEXT.photo, {i: index + 1});
        img.src = URL.createObjectURL(file.blob);
        li.appendChild(img);
      } else {
        li.appendChild(document.createTextNode(file.name));
      }
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "btn danger"; drop.textContent = TEXT.remove;
      drop.addEventListener("click", function () {
        list.splice(index, 1);
        showKept(ctx, list, role, anchor, title);
      });
      li.appendChild(drop);
      ul.appendChild(li);
    });
    box.appendChild(heading); box.appendChild(ul);
  }

  async function loadFix(ctx, id) {
    var form = ctx.form;
    var item = await outbox.get(id);
    if (!item) { say(form, TEXT.notFound); startFresh(ctx); return; }
    ctx.fix = {id: item.id, createdAt: item.createdAt, photos: (item.photos || []).slice(),
      attachments: (item.attachments || []).slice()};
    item.fields.forEach(function (pair) {
      var input = form.elements.namedItem(pair[0]);
      if (input && input.type !== "file" && pair[0] !== "csrf_token") input.value = pair[1].replace(/\r\n/g, "\n");
    });
    // A 409 means the key is taken on the server: the corrected item must go under a new one.
    form.elements.client_uuid.value = item.newKey ? newKey() : item.id;
    var loose = showErrors(form, item.fieldErrors || {});
    say(form, [item.message, TEXT.fixing].concat(loose).filter(Boolean).join(" "));
    var photoInput = form.querySelector("#f-photo");
    if (photoInput) showKept(ctx, ctx.fix.photos, "photo", photoInput.closest(".field"), TEXT.keptPhotos);
    var fileInput = form.querySelector("#f-attachment");
    if (fileInput) showKept(ctx, ctx.fix.attachments, "attachment", fileInput.closest(".field"), TEXT.keptFiles);
  }

  function startFresh(ctx) {
    // The page may come from the service worker's cache: its key was used before.
    ctx.form.elements.client_uuid.value = newKey();
    watchLocation(ctx.form);
  }

  // ---- submitting: to the outbox first ----
  async function collect(ctx) {
    var form = ctx.form;
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      // Line ends as the multipart body carries them, so a saved file replays byte for byte.
      if (typeof value === "string" && name !== "csrf_token") fields.push([name, value.replace(/\r\n|\r|\n/g, "\r\n")]);
    });
    var photos = ctx.fix ? ctx.fix.photos.slice() : [];
    var chosen = form.querySelector("#f-photo") ? Array.from(form.querySelector("#f-photo").files) : [];
    for (var i = 0; i < chosen.length; i++) {
      say(form, fill(TEXT.preparing, {i: i + 1, n: chosen.length}));
      photos.push(await window.wardapp.photos.prepare(chosen[i], photos.length + 1));
    }
    var attachments = ctx.fix ? ctx.fix.attachments.slice() : [];
    var attachInput = form.querySelector("#f-attachment");
    if (attachInput && attachInput.files.length) {
      attachments = Array.from(attachInput.files).map(function (f) { return {blob: f, name: f.name}; });
    }
    return {
      id: form.elements.client_uuid.value, user: outbox.config.user, api: form.dataset.api,
      formUrl: location.pathname + location.search, taskTitle: form.dataset.taskTitle || "",
      taskId: form.elements.task_id.value, kind: form.elements.kind.value,
      createdAt: ctx.fix ? ctx.fix.createdAt : new Date().toISOString(),
      fields: fields, photos: photos, attachments: attachments,
      state: "waiting", attempts: 0, message: "", fieldErrors: {}
    };
  }

  // ---- what is missing, said at the roadside, not hours later from the outbox ----
  // Each required control carries the server's own message in data-required; the server
  // still checks everything (formats, limits), and its answer still lands in the outbox.
  function missing(ctx) {
    var errors = {};
    ctx.form.querySelectorAll("[data-required]").forEach(function (control) {
      var kept = ctx.fix && control.name === "photo" ? ctx.fix.photos.length : 0;
      var empty = control.type === "file" ? control.files.length + kept === 0 : !control.value.trim();
      if (empty) errors[control.name] = control.dataset.required;
    });
    return errors;
  }

  async function submit(ctx, event) {
    var form = ctx.form;
    event.preventDefault();
    if (ctx.busy) return;
    var gaps = missing(ctx);
    clearErrors(form, "missing");
    if (Object.keys(gaps).length) {
      showErrors(form, gaps, "missing");
      say(form, TEXT.incomplete);
      form.querySelector("#f-" + Object.keys(gaps)[0]).focus();
      return;
    }
    ctx.busy = true;
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      var item = await collect(ctx);
      say(form, TEXT.saving);
      await outbox.save(item);
      if (ctx.fix && ctx.fix.id !== item.id) await outbox.discard(ctx.fix.id); // only once the new one is safe
      form.dataset.sent = "yes";
      location.assign(outbox.config.outbox);
    } catch (error) {
      console.error("capture: could not keep the item on the phone", error);
      say(form, fill(TEXT.saveFailed, {error: error && error.name || error}));
      if (navigator.onLine && !ctx.fix) {
        say(form, TEXT.sendingDirect);
        HTMLFormElement.prototype.submit.call(form); // the server downscales and checks it
        return;
      }
      ctx.busy = false;
      button.disabled = false;
    }
  }

  function init() {
    var form = document.querySelector("form.capture[data-api]");
    if (!form || form.dataset.outbox || !outbox || !outbox.config.user || !window.indexedDB || !window.idb) return;
    form.dataset.outbox = "on";
    var status = document.createElement("p");
    status.className = "capture-status"; status.setAttribute("role", "status");
    form.querySelector('button[type="submit"]').before(status);
    var ctx = {form: form, fix: null, busy: false, loading: null};
    var fixing = /^#outbox=([0-9a-f-]{36})$/.exec(location.hash);
    ctx.loading = (fixing ? loadFix(ctx, fixing[1]) : Promise.resolve(startFresh(ctx)))
      .catch(function (error) { console.error("capture: outbox unreadable", error); startFresh(ctx); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ctx.loading.then(function () { return submit(ctx, event); });
    });
  }

  // ---- a date outside the plan's year, or long past, said before anything is kept ----
  // Both are only warnings (the server warns the reviewer too); the words are the server's.
  function dateNotice(input) {
    var notice = input.closest(".field").querySelector(".date-notice");
    var day = input.value.slice(0, 10);
    var text = "";
    if (day && (day < input.dataset.planStart || day > input.dataset.planEnd)) {
      text = input.dataset.outside;
    } else if (day && Date.now() - new Date(input.value).getTime() >
               Number(input.dataset.lateDays) * 86400000) {
      text = input.dataset.late;
    }
    notice.textContent = text;
    notice.hidden = !text;
  }

  function watchDate() {
    var input = document.querySelector("#f-occurred_at[data-plan-start]");
    if (!input || input.dataset.watched) return;
    input.dataset.watched = "yes";
    ["input", "change"].forEach(function (name) {
      input.addEventListener(name, function () { dateNotice(input); });
    });
    dateNotice(input);
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);
  document.addEventListener("DOMContentLoaded", watchDate);
  document.addEventListener("htmx:load", watchDate);
  // Back from the outbox, the browser may show this very page again from memory, key and
  // all: a fresh copy gets a fresh key, so the next submission is not taken for the last.
  window.addEventListener("pageshow", function (event) {
    var form = document.querySelector("form.capture[data-sent]");
    if (event.persisted && form) location.reload();
  });
})();
