// The scripts' words and times, as the server gives them. Messages are written in Vietnamese
// inside t("…"), which Babel extracts into the same catalogs as the pages; each page carries
// the translations for its language in <html data-words> (a Vietnamese page carries none: a
// message is its own Vietnamese). A page the service worker kept opens offline with its words.
// Times are shown in the city's zone, named by the page's data-time-zone.

let read = {source: null, words: {}};

/** Replaces each {name} with its value; an unknown one stays as written, to be noticed. */
export function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (values[name] !== undefined ? String(values[name]) : whole));
}

/** The message in a catalogue's language, its placeholders filled; the msgid if untranslated. */
export function translate(catalogue, msgid, values) {
  return fill(catalogue[msgid] || msgid, values);
}

// Parsed again only when the attribute changes; with no page (Node) there are no words.
function pageWords() {
  const source = globalThis.document?.documentElement.dataset.words || "";
  if (source !== read.source) {
    let words = {};
    try { words = JSON.parse(source || "{}"); } catch { words = {}; }
    read = {source, words};
  }
  return read.words;
}

/** A message in the page's language. */
export function t(msgid, values) {
  return translate(pageWords(), msgid, values);
}

/** The city's time zone as the server configured it; the browser's own without a page. */
export function timeZone() {
  return globalThis.document?.documentElement.dataset.timeZone || undefined;
}

const formats = new Map();
function parts(value, zone, withSeconds) {
  const key = `${zone}|${withSeconds}`;
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat("en-GB", {timeZone: zone, day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", second: withSeconds ? "2-digit" : undefined,
      hourCycle: "h23"}));
  }
  return Object.fromEntries(formats.get(key).formatToParts(new Date(value)).map((p) => [p.type, p.value]));
}

/** dd/mm/yyyy hh:mm in the given zone, as every page shows a time. */
export function dateTime(value, zone = timeZone()) {
  const p = parts(value, zone, false);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** hh:mm:ss in the given zone: when something happens later today. */
export function clockTime(value, zone = timeZone()) {
  const p = parts(value, zone, true);
  return `${p.hour}:${p.minute}:${p.second}`;
}
