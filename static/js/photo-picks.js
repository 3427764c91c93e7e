// The capture form's photos as the officer picks them, from the camera or the gallery, in as
// many picks as it takes: where each one's place comes from, and the EXIF time to offer for
// the form's date. Pure decisions only; capture.js draws them.
//
// A photo's place, honestly:
//   "exif"    the photo carries GPS (the phone read it before redrawing the photo);
//   "capture" the camera button took it and the phone's fix is from that moment;
//   "later"   a gallery pick with no GPS, and the officer said they stand where it was taken;
//   "ask"     a gallery pick with no GPS while the phone has a fix: the question is open;
//   "wait"    a camera photo taken before the phone had a fix: the first fix is used;
//   "none"    no place at all (nothing to offer, or the officer said no).

// A fix older than this when the camera returns is not "at the moment of capture".
export const FIX_FRESH_MS = 2 * 60 * 1000;
// The photo's time is offered for the form's date when the two differ by more than this.
export const OFFER_AFTER_MS = 5 * 60 * 1000;

/** The place of a photo just picked: `meta` is what its EXIF said ({lat, lon, taken_at}),
 * `from` "camera" or "gallery", `fix` the phone's last fix ({lat, lon, accuracy, at}) or null. */
export function placeOnPick(meta, from, fix, now = Date.now()) {
  if (isFinite(meta.lat) && isFinite(meta.lon)) return {place: "exif", fix: null};
  if (from === "camera") {
    return fix && now - fix.at <= FIX_FRESH_MS ? {place: "capture", fix} : {place: "wait", fix: null};
  }
  return fix ? {place: "ask", fix} : {place: "none", fix: null};
}

/** A fix has come: a camera photo waiting takes it; a gallery photo with none may now ask. */
export function placeOnFix(entry, fix) {
  if (entry.place === "wait") return {place: "capture", fix};
  if (entry.place === "none" && entry.from === "gallery" && !entry.answered) return {place: "ask", fix};
  if (entry.place === "ask") return {place: "ask", fix};
  return {place: entry.place, fix: entry.fix};
}

/** The officer's answer to "Tôi đang ở nơi chụp ảnh này?". */
export function answer(entry, yes) {
  return {place: yes && entry.fix ? "later" : "none", fix: yes ? entry.fix : null, answered: true};
}

/** The photo_meta sent with a photo: its EXIF reading, and the phone's fix only when it is the
 * photo's place ("capture" or "later"); an open question sends nothing of the fix. */
export function metaToSend(entry) {
  const meta = {...entry.meta};
  const place = entry.place === "ask" || entry.place === "wait" ? "none" : entry.place;
  meta.place = place;
  if ((place === "capture" || place === "later") && entry.fix) {
    meta.fix_lat = entry.fix.lat; meta.fix_lon = entry.fix.lon;
    if (isFinite(entry.fix.accuracy)) meta.fix_accuracy = Math.round(entry.fix.accuracy);
  }
  return meta;
}

/** A datetime-local value ("2024-11-12T09:30") for a moment, in the city's zone. */
export function localInput(value, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {timeZone: zone, year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"})
    .formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** EXIF's taken_at ("2024-11-12T09:30:00", maybe with an offset) as a datetime-local value
 * in the city: without an offset EXIF means the city's own time, as the server reads it. */
export function takenInput(taken, zone) {
  if (!taken) return "";
  if (!/[+-]\d{2}:\d{2}$|Z$/.test(taken)) return taken.slice(0, 16);
  return localInput(taken, zone);
}

/** The photo time to offer for the form's date, or "" when there is none or it is the same.
 * Both are datetime-local values in the city's zone. */
export function timeToOffer(current, taken) {
  if (!taken) return "";
  if (!current) return taken;
  const gap = Math.abs(Date.parse(`${taken}:00Z`) - Date.parse(`${current.slice(0, 16)}:00Z`));
  return gap > OFFER_AFTER_MS ? taken : "";
}

/** "12/11/2024 09:30" from a datetime-local value. */
export function shownInput(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}` : "";
}

/** How many more photos fit, given the form's limit of files and what is already there. */
export function room(limit, photos, attachments = 0) {
  return Math.max(0, limit - photos - attachments);
}

// ---- "Ghi như lần trước": the unit's last item of a kind, the server's or this phone's ----
/** The newer of the server's last item ({fields, savedAt}) and the one this phone kept. */
export function newerLast(server, local) {
  const has = (x) => x && x.fields && Object.keys(x.fields).length;
  if (!has(local)) return has(server) ? server : null;
  if (!has(server)) return local;
  return String(local.savedAt) > String(server.savedAt) ? local : server;
}

/** The repeated fields of a form's entries, as "Ghi như lần trước" keeps them. */
export function repeatedFields(entries, names) {
  const fields = {};
  for (const [name, value] of entries) {
    if (names.includes(name) && typeof value === "string" && value.trim()) fields[name] = value;
  }
  return fields;
}
