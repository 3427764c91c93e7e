// The capture form's place picker: the unit's places come in the page (so they are there
// offline too); once the phone has a fix they are put nearest first, each with its distance,
// and choosing one farther than the server's radius says so before sending (the reviewer is
// warned all the same). The form works without this script: the list is then by name.
import {t} from "./i18n.js";

const EARTH_RADIUS_M = 6371000;

/** Great-circle distance in metres between two {lat, lon} points. */
export function distanceM(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat), dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1, h)));
}

/** The places ({name, lat, lon}) with their distance from the fix, nearest first; places
 * without coordinates keep their order after the others. Without a fix, the order given. */
export function nearestFirst(places, fix) {
  const measured = places.map((p, i) => ({
    ...p, order: i,
    distance: fix && Number.isFinite(p.lat) && Number.isFinite(p.lon) ? distanceM(fix, p) : null,
  }));
  return measured.sort((a, b) => (a.distance === null) - (b.distance === null)
    || (a.distance ?? 0) - (b.distance ?? 0) || a.order - b.order);
}

/** "120 m" or "1,4 km", as the distance is shown beside a place. */
export function shownDistance(m) {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1).replace(".", ",")} km`;
}

function optionsOf(select) {
  return Array.from(select.options).filter((o) => o.value).map((o) => ({
    option: o, name: o.dataset.name || o.textContent,
    lat: o.dataset.lat === undefined ? NaN : Number(o.dataset.lat),
    lon: o.dataset.lon === undefined ? NaN : Number(o.dataset.lon),
  }));
}

function arrange(select, fix) {
  const label = (o) => o.option.dataset.label || (o.option.dataset.label = o.option.textContent);
  for (const p of nearestFirst(optionsOf(select), fix)) {
    p.option.textContent = p.distance === null ? label(p) : `${label(p)} (${shownDistance(p.distance)})`;
    p.option.dataset.distance = p.distance === null ? "" : String(Math.round(p.distance));
    select.append(p.option);
  }
}

function warn(select) {
  const notice = select.parentElement.querySelector(".place-notice");
  if (!notice) return;
  const chosen = select.selectedOptions[0];
  const far = chosen && chosen.dataset.distance && Number(chosen.dataset.distance) > Number(select.dataset.radius);
  notice.hidden = !far;
  notice.textContent = far ? t("Bạn đang cách {name} {d}: hãy kiểm tra lại nơi thực hiện.",
    {name: chosen.dataset.name, d: shownDistance(Number(chosen.dataset.distance))}) : "";
}

function attach(select) {
  if (select.dataset.placesReady) return;
  select.dataset.placesReady = "1";
  select.addEventListener("change", () => warn(select));
  const form = select.form;
  const fromForm = () => {
    const lat = Number(form?.elements.lat?.value), lon = Number(form?.elements.lon?.value);
    return form?.elements.lat?.value && Number.isFinite(lat) && Number.isFinite(lon) ? {lat, lon} : null;
  };
  if (fromForm()) { arrange(select, fromForm()); warn(select); }
  if (!navigator.geolocation) return;
  const id = navigator.geolocation.watchPosition((position) => {
    if (!select.isConnected) { navigator.geolocation.clearWatch(id); return; }
    arrange(select, {lat: position.coords.latitude, lon: position.coords.longitude});
    warn(select);
  }, () => {}, {enableHighAccuracy: true, maximumAge: 60000, timeout: 30000});
  form?.addEventListener("submit", () => navigator.geolocation.clearWatch(id));
}

function init() {
  for (const select of document.querySelectorAll("select[name=place_id][data-radius]")) attach(select);
}

// Run by the page (and again whenever htmx brings a form in); Node imports the pure functions.
if (globalThis.document) {
  document.addEventListener("htmx:load", init);
  init();
}
