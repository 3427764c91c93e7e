// The evidence map: the queue's items as clustered circles coloured by status, the places as
// a layer of their own, each opening its page. Leaflet and its cluster plugin are vendored
// classic scripts (window.L). The circles are drawn by the browser, not fetched, so when the
// tile server cannot be reached the markers still show, on the map's plain background.
import {t} from "./i18n.js";

export const STATUS_COLOURS = {submitted: "#b26a00", approved: "#1b7f3a", returned: "#b3261e", withdrawn: "#777"};

/** The [lat, lon] of a GeoJSON point feature. */
export function latLon(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  return [lat, lon];
}

/** A marker's popup, as DOM (never HTML from the server's strings). */
export function popupFor(props, kind) {
  const box = document.createElement("div");
  const a = document.createElement("a");
  a.href = props.url;
  const task = t("NV");
  a.textContent = kind === "place" ? props.name : `#${props.id} · ${props.unit} · ${task} ${props.task}`;
  box.append(a);
  const line = document.createElement("p");
  line.className = "meta";
  line.textContent = kind === "place" ? [props.unit, props.street].filter(Boolean).join(" · ")
    : `${props.kind_label} · ${props.status_label}`;
  box.append(line);
  return box;
}

async function fetchJson(url) {
  const answer = await fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin"});
  if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
  return answer.json();
}

async function draw(box) {
  const L = globalThis.L;
  const status = document.querySelector(".map-status");
  const centre = JSON.parse(box.dataset.centre || "[21.2731, 106.1946]");
  const map = L.map(box, {preferCanvas: false}).setView(centre, 13);
  const tiles = L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: box.dataset.attribution});
  let failed = 0;
  tiles.on("tileerror", () => {
    failed += 1;
    if (failed === 1 && status) status.textContent = t("Không tải được nền bản đồ; các điểm vẫn hiện đúng vị trí.");
  });
  tiles.addTo(map);
  const [evidence, places] = await Promise.all([fetchJson(box.dataset.evidence), fetchJson(box.dataset.places)]);
  const cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
  const bounds = [];
  for (const f of evidence.features) {
    const colour = STATUS_COLOURS[f.properties.status] || "#555";
    const marker = L.circleMarker(latLon(f), {radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9,
      className: `evidence-marker ev-${f.properties.status}`});
    marker.bindPopup(() => popupFor(f.properties, "evidence"));
    cluster.addLayer(marker);
    bounds.push(latLon(f));
  }
  const placeLayer = L.layerGroup();
  for (const f of places.features) {
    const marker = L.circleMarker(latLon(f), {radius: 6, color: "#1d3a8a", weight: 3, fillColor: "#fff", fillOpacity: 1,
      className: "place-marker"});
    marker.bindPopup(() => popupFor(f.properties, "place"));
    placeLayer.addLayer(marker);
    bounds.push(latLon(f));
  }
  cluster.addTo(map);
  placeLayer.addTo(map);
  L.control.layers(null, {[t("Minh chứng")]: cluster, [t("Địa điểm")]: placeLayer}, {collapsed: false}).addTo(map);
  // At once, not animated: the markers are where they stay when the map says it is ready.
  if (bounds.length) map.fitBounds(bounds, {padding: [24, 24], maxZoom: 17, animate: false});
  box.dataset.evidenceCount = String(evidence.features.length);
  box.dataset.placeCount = String(places.features.length);
  if (status && !failed) {
    status.textContent = evidence.truncated ? t("Chỉ hiện {n} minh chứng mới nhất; hãy lọc hẹp hơn.", {n: evidence.features.length})
      : t("{n} minh chứng có vị trí, {p} địa điểm.", {n: evidence.features.length, p: places.features.length});
  }
  box.dataset.ready = "1";
}

if (globalThis.document) {
  const box = document.getElementById("evidence-map");
  if (box && globalThis.L) {
    draw(box).catch((error) => {
      console.error("map", error);
      const status = document.querySelector(".map-status");
      if (status) status.textContent = t("Không tải được dữ liệu bản đồ.");
    });
  }
}
