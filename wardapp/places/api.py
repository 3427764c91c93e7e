"""``GET /api/v1/places?lat=&lon=``: the signed-in officer's unit's places, nearest first;
``GET /api/v1/places.geojson``: the places for the map."""

from flask import current_app, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp.core.access import allow
from wardapp.core.roles import SIGNED_IN
from wardapp.extensions import db
from wardapp.places import services
from wardapp.places.blueprint import bp
from wardapp.places.models import Place


def _coordinate(name: str, low: float, high: float) -> float | None:
    raw = request.args.get(name, "").strip()
    if not raw or not raw.isascii():
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


@bp.get("/api/v1/places")
@allow(*SIGNED_IN)
def api_places():
    """An officer's own unit's places; anyone else names the unit with ``unit_id``."""
    unit_id = current_user.unit_id if current_user.role == "officer" else None
    if unit_id is None:
        raw = request.args.get("unit_id", "")
        unit_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    lat, lon = _coordinate("lat", -90, 90), _coordinate("lon", -180, 180)
    if lat is None or lon is None:
        lat = lon = None
    found = services.nearest(db.session, unit_id, lat, lon) if unit_id is not None else []
    return jsonify(
        radius_m=current_app.config["PLACE_RADIUS_M"],
        places=[
            {
                "id": n.place.id,
                "name": n.place.name,
                "kind": n.place.kind,
                "lat": n.place.lat,
                "lon": n.place.lon,
                "street": n.place.street,
                "distance_m": round(n.distance_m) if n.distance_m is not None else None,
            }
            for n in found
        ],
    )


@bp.get("/api/v1/places.geojson")
@allow(*SIGNED_IN)
def places_geojson():
    """The active places with coordinates the user's units have (an officer: their own)."""
    query = select(Place).where(Place.active, Place.lat.is_not(None), Place.lon.is_not(None))
    seen = current_user.seen_unit_ids
    if seen is not None:
        query = query.where(Place.unit_id.in_(seen))
    raw = request.args.get("unit", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 10:
        query = query.where(Place.unit_id == int(raw))
    places = db.session.scalars(query.options(selectinload(Place.unit)).order_by(Place.id))
    return jsonify(
        type="FeatureCollection",
        features=[
            {
                "type": "Feature",
                "id": p.id,
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "id": p.id,
                    "name": p.name,
                    "kind": p.kind,
                    "unit": p.unit.short_name,
                    "street": p.street,
                    "url": url_for("evidence.place_page", place_id=p.id),
                },
            }
            for p in places
        ],
    )
