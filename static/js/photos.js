// A photo made ready for the outbox: its EXIF time and GPS read first (exifr), then redrawn
// as a JPEG of at most 2048 px (which drops the EXIF, so the two travel side by side as
// photo_meta). A JPEG already small enough goes as it was taken; one the browser cannot
// draw (HEIC on most phones) goes whole and the server converts it.
(function () {
  "use strict";
  var LONG_EDGE = 2048;
  var QUALITY = 0.8;
  var KEEP_AS_IS_BYTES = 1500000; // a JPEG already this small and ≤ 2048 px is sent as taken

  function exifTime(raw, offset) {
    var m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(raw || ""));
    if (!m || m[1] === "0000") return null;
    var text = m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6];
    return /^[+-]\d{2}:\d{2}$/.test(String(offset || "")) ? text + offset : text;
  }

  async function readMeta(file) {
    var meta = {};
    if (!window.exifr) return meta;
    try {
      // The whole of IFD0, Exif and GPS, as written (exifr's "pick" fails in the lite build).
      var tags = await exifr.parse(file, {reviveValues: false, translateValues: false}) || {};
      var taken = exifTime(tags.DateTimeOriginal || tags.CreateDate, tags.OffsetTimeOriginal || tags.OffsetTime);
      if (taken) meta.taken_at = taken;
      if (isFinite(tags.latitude) && isFinite(tags.longitude)) {
        meta.lat = tags.latitude; meta.lon = tags.longitude;
      }
    } catch (error) { /* no EXIF, or not an image exifr reads; many Android pickers strip GPS */ }
    return meta;
  }

  function toJpeg(canvas) {
    if (canvas.convertToBlob) return canvas.convertToBlob({type: "image/jpeg", quality: QUALITY});
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("toBlob")); }, "image/jpeg", QUALITY);
    });
  }

  // Resolves to the smaller JPEG, or null when the original should go as it is.
  async function downscale(file) {
    var bitmap = await createImageBitmap(file, {imageOrientation: "from-image"});
    try {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg" && file.size <= KEEP_AS_IS_BYTES) return null;
      var w = Math.max(1, Math.round(bitmap.width * scale));
      var h = Math.max(1, Math.round(bitmap.height * scale));
      var canvas = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(w, h) : document.createElement("canvas");
      canvas.width = w; canvas.height = h;
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, w, h);
      return await toJpeg(canvas);
    } finally {
      bitmap.close();
    }
  }

  async function preparePhoto(file, number) {
    var meta = await readMeta(file);
    var small = null;
    try { small = await downscale(file); } catch (error) { small = null; } // e.g. HEIC: the server converts it
    var stem = (file.name || "").replace(/\.[^.]*$/, "") || "anh-" + number;
    return {blob: small || file, name: small ? stem + ".jpg" : (file.name || stem), meta: JSON.stringify(meta),
      originalBytes: file.size};
  }

  window.wardapp = window.wardapp || {};
  window.wardapp.photos = {prepare: preparePhoto};
})();
