"""The map: the queue's evidence where it was recorded, and the places, as GeoJSON, and the
page that draws them with Leaflet (vendored) over the configured tiles."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from wardapp.core.access import allow
from wardapp.core.labels import KIND_LABELS, STATUS_LABELS
from wardapp.core.roles import READERS, SIGNED_IN
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.review import queue
from wardapp.review.blueprint import bp
from wardapp.review.views import _context

MAX_FEATURES = 5000  # a map of more points than this is unreadable anyway; it says so


def _where(e: Evidence) -> tuple[float, float, str] | None:
    """Where the item was recorded: a photo's GPS, else the phone's fix, else its place."""
    for m in e.media:
        if m.role == "photo" and m.gps_lat is not None and m.gps_lon is not None:
            return m.gps_lat, m.gps_lon, "photo"
    if e.lat is not None and e.lon is not None:
        return e.lat, e.lon, "phone"
    if e.place is not None and e.place.lat is not None and e.place.lon is not None:
        return e.place.lat, e.place.lon, "place"
    return None


@bp.get("/api/v1/evidence.geojson")
@allow(*SIGNED_IN)
def evidence_geojson():
    """The queue's filters (``task``, ``unit``, ``kind``, ``status``, ``from``, ``to``,
    ``warnings``), over what the user may see: an officer, their own unit's items."""
    filters = queue.Filters.from_args(request.args)
    rows = db.session.scalars(
        queue.filtered(current_user, filters)
        .options(
            joinedload(Evidence.unit),
            joinedload(Evidence.task),
            joinedload(Evidence.place),
            selectinload(Evidence.media),
        )
        .order_by(Evidence.occurred_at.desc(), Evidence.id.desc())
        .limit(MAX_FEATURES + 1)
    ).all()
    features = []
    for e in rows[:MAX_FEATURES]:
        where = _where(e)
        if where is None:
            continue
        lat, lon, source = where
        features.append(
            {
                "type": "Feature",
                "id": e.id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": e.id,
                    "status": e.status,
                    "status_label": str(STATUS_LABELS.get(e.status, e.status)),
                    "kind": e.kind,
                    "kind_label": str(KIND_LABELS.get(e.kind, e.kind)),
                    "unit": e.unit.short_name,
                    "task": e.task.number,
                    "occurred_at": e.occurred_at.isoformat(),
                    "place_id": e.place_id,
                    "located_by": source,
                    "url": url_for("evidence.detail", evidence_id=e.id),
                },
            }
        )
    return jsonify(type="FeatureCollection", features=features, truncated=len(rows) > MAX_FEATURES)


@bp.get("/review/map")
@allow(*READERS)
def map_page():
    filters = queue.Filters.from_args(request.args)
    return render_template(
        "review/map.html",
        **_context(filters=filters),
        tile_url=current_app.config["MAP_TILE_URL"],
        tile_attribution=current_app.config["MAP_TILE_ATTRIBUTION"],
    )
