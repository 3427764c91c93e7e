// The outbox page: what waits on this phone, what is being sent (with upload progress), what
// the server refused and why, and the rescue: the whole outbox saved as a file
// (`flask wardapp import-outbox FILE` loads it on the server).
(function () {
  "use strict";
  var TEXT = {
    waiting: "Chờ gửi", sending: "Đang gửi", attention: "Cần xử lý", sent: "Đã gửi",
    recorded: "Ghi lúc {when}", photos: "{n} ảnh", files: "{n} tệp", attempts: "đã thử {n} lần",
    sendNow: "Gửi ngay", fix: "Sửa", discard: "Bỏ",
    confirmDiscard: "Bỏ hẳn mục này? Minh chứng chưa gửi sẽ mất, không lấy lại được.",
    otherUser: "Mục do tài khoản {user} ghi; đăng nhập bằng tài khoản đó để gửi.",
    nextTry: "Sẽ tự thử gửi lại lúc {when}.",
    waitingCount: "{n} mục đang chờ gửi.", attentionCount: "{n} mục cần xử lý.",
    sentLine: "#{id} · {task} · {status} · gửi lúc {when}", alreadyThere: "(máy chủ đã có từ trước)",
    storage: "Bộ nhớ trình duyệt: đã dùng {used} trên {quota} cho phép.",
    persisted: "Dữ liệu được giữ lâu dài trên máy.",
    notPersisted: "Trình duyệt có thể xoá dữ liệu khi máy đầy; hãy cài ứng dụng ra màn hình chính.",
    exportName: "hop-thu-di-{date}.json", exported: "Đã lưu {n} mục ra tệp.",
    noIndexedDb: "Trình duyệt này không lưu được minh chứng trên máy; biểu mẫu sẽ gửi thẳng lên máy chủ."
  };
  var outbox = window.wardapp && window.wardapp.outbox;
  var root = null;
  var thumbs = new Map(); // item id → object URL of its first photo, kept across renders
  var shown = [];          // the items of the last render
  var labels = {kinds: {}, statuses: {}};
  var dateParts = new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit",
    month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false});

  function fill(text, values) { return outbox.fill(text, values); }
  function when(value) {
    var p = {};
    dateParts.formatToParts(new Date(value)).forEach(function (x) { p[x.type] = x.value; });
    return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function button(action, id, text, kind) {
    var b = el("button", "btn" + (kind ? " " + kind : ""), text);
    b.type = "button"; b.dataset.action = action; b.dataset.id = id;
    return b;
  }
  function size(bytes) {
    var units = ["B", "kB", "MB", "GB"], i = 0;
    while (bytes >= 1000 && i < units.length - 1) { bytes /= 1000; i += 1; }
    return bytes.toFixed(i ? 1 : 0).replace(".", ",") + " " + units[i];
  }

  function thumbnail(id, photo) {
    var key = photo.name + ":" + photo.blob.size;
    var known = thumbs.get(id);
    if (known && known.key === key) return known.url;
    if (known) URL.revokeObjectURL(known.url);
    var url = URL.createObjectURL(photo.blob);
    thumbs.set(id, {key: key, url: url});
    return url;
  }
  function forgetThumbnails(all) {
    var present = new Set(all.map(function (i) { return i.id; }));
    thumbs.forEach(function (known, id) {
      if (!present.has(id)) { URL.revokeObjectURL(known.url); thumbs.delete(id); }
    });
  }

  function row(item) {
    var mine = item.user === outbox.config.user;
    var li = el("li", "card outbox-item");
    li.dataset.id = item.id; li.dataset.state = item.state;
    var photo = (item.photos || [])[0];
    if (photo) {
      var img = el("img", "thumb"); img.alt = ""; img.width = 80; img.height = 80;
      img.src = thumbnail(item.id, photo);
      li.appendChild(img);
    }
    var body = el("div", "outbox-body");
    var title = [labels.kinds[item.kind] || item.kind, item.taskTitle].filter(Boolean).join(" · ");
    body.appendChild(el("p", "outbox-title", title));
    var facts = [fill(TEXT.recorded, {when: when(item.createdAt)})];
    if ((item.photos || []).length) facts.push(fill(TEXT.photos, {n: item.photos.length}));
    if ((item.attachments || []).length) facts.push(fill(TEXT.files, {n: item.attachments.length}));
    if (item.attempts) facts.push(fill(TEXT.attempts, {n: item.attempts}));
    body.appendChild(el("p", "meta", facts.join(" · ")));
    var state = el("p", "outbox-state");
    state.appendChild(el("span", "badge state-" + item.state, TEXT[item.state] || item.state));
    if (item.state === "sending") {
      var bar = el("progress", "outbox-progress"); bar.max = 100;
      state.appendChild(bar); state.appendChild(el("span", "outbox-percent", ""));
    }
    body.appendChild(state);
    if (!mine) body.appendChild(el("p", "error", fill(TEXT.otherUser, {user: item.user})));
    if (item.message) {
      body.appendChild(el("p", (item.state === "attention" ? "error" : "hint") + " outbox-message", item.message));
    }
    var errors = item.state === "attention" ? Object.keys(item.fieldErrors || {}) : [];
    if (errors.length) {
      var ul = el("ul", "outbox-errors");
      errors.forEach(function (name) { ul.appendChild(el("li", "", item.fieldErrors[name])); });
      body.appendChild(ul);
    }
    var actions = el("div", "outbox-buttons");
    if (mine && item.state !== "sending") {
      actions.appendChild(button("send", item.id, TEXT.sendNow, item.state === "attention" ? "" : "primary"));
    }
    if (mine && item.state === "attention") actions.appendChild(button("fix", item.id, TEXT.fix, "primary"));
    if (item.state !== "sending") actions.appendChild(button("discard", item.id, TEXT.discard, "danger"));
    body.appendChild(actions);
    li.appendChild(body);
    return li;
  }

  function sentRow(receipt) {
    var li = el("li", "outbox-sent-item");
    li.dataset.id = receipt.id;
    var link = el("a", "", fill(TEXT.sentLine, {id: receipt.evidenceId, task: receipt.taskTitle,
      status: labels.statuses[receipt.status] || receipt.status, when: when(receipt.sentAt)}));
    link.href = root.dataset.detailUrl.replace(/0$/, String(receipt.evidenceId));
    li.appendChild(el("span", "badge state-sent", TEXT.sent));
    li.appendChild(link);
    if (!receipt.created) li.appendChild(el("span", "meta", " " + TEXT.alreadyThere));
    return li;
  }

  var rendering = false, stale = false;
  var sender = {signIn: false, nextAt: 0}; // the sender's state, from this tab or another
  function render() {
    if (!root || !root.isConnected) return;
    if (rendering) { stale = true; return; }
    rendering = true;
    Promise.all([outbox.items(), outbox.sent()]).then(function (both) {
      rendering = false;
      if (stale) { stale = false; render(); return; }
      var all = both[0], receipts = both[1].filter(function (r) { return r.user === outbox.config.user; });
      shown = all;
      forgetThumbnails(all);
      var list = root.querySelector(".outbox-list");
      list.replaceChildren.apply(list, all.map(row));
      root.querySelector(".outbox-empty").hidden = all.length > 0;
      var sentList = root.querySelector(".outbox-sent");
      sentList.replaceChildren.apply(sentList, receipts.map(sentRow));
      root.querySelector(".outbox-sent-title").hidden = receipts.length === 0;
      showState();
    });
  }

  function showState() {
    if (!root || !root.isConnected) return;
    var all = shown, now = sender;
    root.querySelector(".outbox-signin").hidden = !now.signIn;
    var waiting = all.filter(function (i) { return i.state !== "attention"; }).length;
    var attention = all.length - waiting;
    var parts = [];
    if (waiting) parts.push(fill(TEXT.waitingCount, {n: waiting}));
    if (attention) parts.push(fill(TEXT.attentionCount, {n: attention}));
    if (waiting && now.nextAt) parts.push(fill(TEXT.nextTry, {when: new Date(now.nextAt).toLocaleTimeString("vi-VN")}));
    root.querySelector(".outbox-status").textContent = parts.join(" ");
  }

  function progress(message) {
    var item = root && root.querySelector('.outbox-item[data-id="' + message.id + '"]');
    var bar = item && item.querySelector("progress");
    if (!bar) return;
    var pct = Math.floor(100 * message.loaded / message.total);
    bar.value = pct;
    item.querySelector(".outbox-percent").textContent = " " + pct + "%";
  }

  // ---- the rescue file: every item with its photos in base64 ----
  function base64(blob) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result).split(",", 2)[1] || ""); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }
  async function exportFile() {
    var all = await outbox.items();
    var out = [];
    for (var item of all) {
      var files = async function (list) {
        var done = [];
        for (var f of list || []) done.push({name: f.name, type: f.blob.type, meta: f.meta, data: await base64(f.blob)});
        return done;
      };
      out.push({id: item.id, user: item.user, created_at: item.createdAt, task_id: item.taskId,
        task_title: item.taskTitle, kind: item.kind, state: item.state, message: item.message || "",
        fields: item.fields, photos: await files(item.photos), attachments: await files(item.attachments)});
    }
    var blob = new Blob([JSON.stringify({format: "wardapp-outbox", version: 1, origin: location.origin,
      saved_at: new Date().toISOString(), items: out}, null, 1)], {type: "application/json"});
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = fill(TEXT.exportName, {date: new Date().toISOString().slice(0, 10)});
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    root.querySelector(".outbox-status").textContent = fill(TEXT.exported, {n: out.length});
  }

  function act(event) {
    var target = event.target.closest("button[data-action]");
    if (!target || !root.contains(target)) return;
    var id = target.dataset.id;
    var action = target.dataset.action;
    if (action === "send-all") outbox.sendNow();
    else if (action === "export") exportFile();
    else if (action === "send") outbox.retry(id);
    else if (action === "discard" && window.confirm(TEXT.confirmDiscard)) outbox.discard(id);
    else if (action === "fix") outbox.get(id).then(function (item) { location.assign(item.formUrl + "#outbox=" + id); });
  }

  function showStorage() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    Promise.all([navigator.storage.estimate(), navigator.storage.persisted ? navigator.storage.persisted() : false])
      .then(function (r) {
        root.querySelector(".outbox-storage").textContent = fill(TEXT.storage, {used: size(r[0].usage || 0),
          quota: size(r[0].quota || 0)}) + " " + (r[1] ? TEXT.persisted : TEXT.notPersisted);
      }).catch(function () {});
  }

  function init() {
    var found = document.getElementById("outbox");
    if (!found || found.dataset.ready || !outbox) return;
    root = found;
    root.dataset.ready = "yes";
    if (!window.indexedDB || !window.idb) { root.querySelector(".outbox-status").textContent = TEXT.noIndexedDb; return; }
    labels.kinds = JSON.parse(root.dataset.kindLabels || "{}");
    labels.statuses = JSON.parse(root.dataset.statusLabels || "{}");
    root.addEventListener("click", act);
    sender = outbox.state();
    outbox.askForPersistence();
    showStorage();
    render();
  }

  document.addEventListener("wardapp:outbox", function (event) {
    var message = event.detail;
    if (message.type === "progress") progress(message);
    else if (message.type === "changed") { render(); showStorage(); }
    else if (message.type === "state") { sender = {signIn: message.signIn, nextAt: message.nextAt}; showState(); }
  });
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);
})();
