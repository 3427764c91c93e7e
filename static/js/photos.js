// A photo made ready for the outbox: its EXIF time and GPS read first (exifr), then redrawn
// as a JPEG of at most 2048 px (which drops the EXIF, so the two travel side by side as
// photo_meta). A JPEG already small enough goes as it was taken; one the browser cannot
// draw (HEIC on most phones) goes whole and the server converts it.
import "../vendor/exifr-7.1.3.lite.umd.js"; // the pinned UMD build; run as a module it defines globalThis.exifr

const LONG_EDGE = 2048;
const QUALITY = 0.8;
const KEEP_AS_IS_BYTES = 1500000; // a JPEG already this small and ≤ 2048 px is sent as taken

/** EXIF's "2024:03:20 08:30:00" as ISO 8601, with its offset when EXIF gave a valid one; no
 * offset means the city's time to the server. Null for an empty or zeroed time. */
export function exifTime(raw, offset) {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(raw || ""));
  if (!m || m[1] === "0000") return null;
  const text = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  return /^[+-]\d{2}:\d{2}$/.test(String(offset || "")) ? text + offset : text;
}

/** The photo_meta the server gets, from the tags exifr read (values as written, not revived). */
export function metaFromTags(tags) {
  const meta = {};
  const taken = exifTime(tags.DateTimeOriginal || tags.CreateDate, tags.OffsetTimeOriginal || tags.OffsetTime);
  if (taken) meta.taken_at = taken;
  if (isFinite(tags.latitude) && isFinite(tags.longitude)) {
    meta.lat = tags.latitude; meta.lon = tags.longitude;
  }
  return meta;
}

/** The photo_meta of a file, read by exifr before the photo is redrawn; {} when it has none. */
export async function readMeta(file, exifr = globalThis.exifr) {
  if (!exifr) return {};
  try {
    // The whole of IFD0, Exif and GPS, as written (exifr's "pick" fails in the lite build).
    return metaFromTags(await exifr.parse(file, {reviveValues: false, translateValues: false}) || {});
  } catch {
    return {}; // no EXIF, or not an image exifr reads; many Android pickers strip GPS
  }
}

function toJpeg(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({type: "image/jpeg", quality: QUALITY});
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("toBlob"))), "image/jpeg", QUALITY);
  });
}

/** The size to redraw a photo at, or null when the original should go as it is. */
export function redrawSize(width, height, type, bytes) {
  const scale = Math.min(1, LONG_EDGE / Math.max(width, height));
  if (scale === 1 && type === "image/jpeg" && bytes <= KEEP_AS_IS_BYTES) return null;
  return {width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale))};
}

// Resolves to the smaller JPEG, or null when the original should go as it is.
async function downscale(file) {
  const bitmap = await createImageBitmap(file, {imageOrientation: "from-image"});
  try {
    const size = redrawSize(bitmap.width, bitmap.height, file.type, file.size);
    if (!size) return null;
    const canvas = typeof OffscreenCanvas !== "undefined"
      ? new OffscreenCanvas(size.width, size.height) : document.createElement("canvas");
    canvas.width = size.width; canvas.height = size.height;
    const context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    return await toJpeg(canvas);
  } finally {
    bitmap.close();
  }
}

/** The name a photo is sent under: a redrawn one becomes .jpg; one without a name gets anh-N. */
export function photoName(original, number, redrawn) {
  const stem = (original || "").replace(/\.[^.]*$/, "") || `anh-${number}`;
  return redrawn ? `${stem}.jpg` : (original || stem);
}

export async function preparePhoto(file, number) {
  const meta = await readMeta(file);
  let small = null;
  try { small = await downscale(file); } catch { small = null; } // e.g. HEIC: the server converts it
  return {blob: small || file, name: photoName(file.name, number, Boolean(small)), meta: JSON.stringify(meta),
    originalBytes: file.size};
}
