"""``GET /api/v1/places?lat=&lon=``: the signed-in officer's unit's places, nearest first."""

from flask import current_app, jsonify, request
from flask_login import current_user

from wardapp.core.access import allow
from wardapp.core.roles import SIGNED_IN
from wardapp.extensions import db
from wardapp.places import services
from wardapp.places.blueprint import bp


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
