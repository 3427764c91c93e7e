"""The registry's pages, for reviewers and admins: the list (by unit), add and edit."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp.audit.services import record
from wardapp.core.access import allow
from wardapp.core.roles import Role
from wardapp.core.text import clean_text
from wardapp.extensions import db
from wardapp.places.blueprint import bp
from wardapp.places.forms import KIND_CHOICES, PlaceForm
from wardapp.places.models import Place
from wardapp.units.models import Unit

EDITORS = (Role.REVIEWER, Role.ADMIN)


def clean_line(text: str) -> str:
    """Typed text on one line, under the text policy (a name or a street)."""
    return " ".join(clean_text(text).split())


def _units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name)))


def _unit_id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@bp.get("/places")
@allow(*EDITORS, Role.OVERSEER)
def place_list():
    unit_id = _unit_id(request.args.get("unit_id"))
    query = select(Place).options(selectinload(Place.unit)).join(Place.unit)
    if unit_id is not None:
        query = query.where(Place.unit_id == unit_id)
    places = db.session.scalars(query.order_by(Unit.name, Place.name)).all()
    return render_template(
        "places/list.html",
        places=places,
        units=_units(),
        unit_id=unit_id,
        kinds=dict(KIND_CHOICES),
        may_edit=current_user.role in EDITORS,
    )


def _save(form: PlaceForm, place: Place | None):
    unit_id, name = form.unit_id.data, clean_line(form.name.data or "")
    taken = db.session.scalar(
        select(Place.id).where(
            Place.unit_id == unit_id, Place.name == name, Place.id != (place.id if place else 0)
        )
    )
    if taken:
        form.name.errors.append(_("Đơn vị này đã có địa điểm cùng tên."))
        return None
    if (form.lat.data is None) != (form.lon.data is None):
        form.lon.errors.append(_("Hãy nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."))
        return None
    is_new = place is None
    if place is None:
        place = Place()
        db.session.add(place)
    place.unit_id, place.name, place.kind = unit_id, name, form.kind.data
    place.lat, place.lon = form.lat.data, form.lon.data
    place.street = clean_line(form.street.data or "")
    place.active = form.active.data
    db.session.flush()
    record(
        current_user,
        "place.create" if is_new else "place.update",
        place,
        name=place.name,
        unit_id=place.unit_id,
        lat=place.lat,
        lon=place.lon,
        active=place.active,
    )
    flash(_("Đã lưu địa điểm %(n)s.", n=place.name), "success")
    return redirect(url_for("places.place_list", unit_id=place.unit_id), code=303)


@bp.route("/places/new", methods=["GET", "POST"])
@allow(*EDITORS)
def place_new():
    form = PlaceForm()
    form.unit_id.choices = [(u.id, u.name) for u in _units()]
    if request.method == "GET" and _unit_id(request.args.get("unit_id")):
        form.unit_id.data = _unit_id(request.args.get("unit_id"))
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    status = 422 if form.errors else 200
    return render_template("places/form.html", form=form, place=None), status


@bp.route("/places/<int:place_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def place_edit(place_id: int):
    place = db.get_or_404(Place, place_id)
    form = PlaceForm(obj=place)
    form.unit_id.choices = [(u.id, u.name) for u in _units()]
    if place.unit_id not in {c[0] for c in form.unit_id.choices}:
        form.unit_id.choices.append((place.unit_id, place.unit.name))
    if form.validate_on_submit() and (done := _save(form, place)):
        return done
    status = 422 if form.errors else 200
    return render_template("places/form.html", form=form, place=place), status
