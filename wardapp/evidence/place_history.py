"""What happened at a place: its photos over time, the last accepted one beside a new item,
and the places that had no evidence in a quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp.core.access import allow
from wardapp.core.i18n import city_tz, today_local
from wardapp.core.labels import KIND_LABELS, STATUS_LABELS
from wardapp.core.periods import local_midnight_utc
from wardapp.core.roles import READERS, SIGNED_IN, Role
from wardapp.evidence.blueprint import bp
from wardapp.evidence.models import Evidence, Media
from wardapp.evidence.permissions import visible
from wardapp.extensions import db
from wardapp.places.forms import KIND_CHOICES
from wardapp.places.models import Place
from wardapp.plans.models import Plan
from wardapp.plans.periods import view_for
from wardapp.units.models import Unit

COUNTED = ("submitted", "approved")  # what a place "had" in a quarter


@dataclass(frozen=True)
class Shot:
    evidence: Evidence
    media: Media


@bp.app_template_global("previous_at_place")
def previous_at_place(evidence: Evidence) -> Shot | None:
    """The place's last accepted photo before ``evidence`` (by when the work happened)."""
    if evidence.place_id is None:
        return None
    row = db.session.execute(
        select(Evidence, Media)
        .join(Media, Media.evidence_id == Evidence.id)
        .where(
            Evidence.place_id == evidence.place_id,
            Evidence.status == "approved",
            Evidence.id != evidence.id,
            Evidence.occurred_at <= evidence.occurred_at,
            Media.role == "photo",
            Media.thumb_key.is_not(None),
        )
        .order_by(Evidence.occurred_at.desc(), Evidence.id.desc(), Media.position)
        .limit(1)
    ).first()
    return Shot(row[0], row[1]) if row else None


def _place_for(user, place_id: int) -> Place:
    place = db.get_or_404(Place, place_id)
    if not user.sees_unit(place.unit_id):
        abort(404)
    return place


@bp.get("/places/<int:place_id>")
@allow(*SIGNED_IN)
def place_page(place_id: int):
    """A place's photos in the order they were taken (when the work happened), and its items."""
    place = _place_for(current_user, place_id)
    items = db.session.scalars(
        visible(current_user)
        .where(Evidence.place_id == place.id, Evidence.status != "withdrawn")
        .options(selectinload(Evidence.media), selectinload(Evidence.task))
        .order_by(Evidence.occurred_at, Evidence.id)
    ).all()
    shots = [Shot(e, m) for e in items for m in e.media if m.role == "photo" and m.thumb_key]
    return render_template(
        "evidence/place.html",
        place=place,
        items=list(reversed(items)),
        shots=shots,
        kinds=dict(KIND_CHOICES),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.get("/places/quiet")
@allow(*READERS)
def quiet_places():
    """Active places with nothing sent (waiting or accepted) that happened in the quarter."""
    plan = db.session.scalar(select(Plan).where(Plan.active).order_by(Plan.year.desc()))
    today = today_local()
    raw = request.args.get("quarter", "")
    quarter = int(raw) if raw in ("1", "2", "3", "4") else None
    view = view_for(plan.year if plan else today.year, today, quarter)
    start, end = view.period.start, view.period.end
    tz = city_tz()
    begin, finish = (
        local_midnight_utc(start, tz),
        local_midnight_utc(date.fromordinal(end.toordinal() + 1), tz),
    )
    had = (
        select(Evidence.place_id)
        .where(
            Evidence.place_id.is_not(None),
            Evidence.status.in_(COUNTED),
            Evidence.occurred_at >= begin,
            Evidence.occurred_at < finish,
        )
        .distinct()
    )
    query = (
        select(Place)
        .join(Place.unit)
        .options(selectinload(Place.unit))
        .where(Place.active, Place.id.not_in(had))
        .order_by(Unit.name, Place.name)
    )
    seen = current_user.seen_unit_ids
    if seen is not None:
        query = query.where(Place.unit_id.in_(seen))
    return render_template(
        "evidence/quiet_places.html",
        places=db.session.scalars(query).all(),
        view=view,
        plan=plan,
        kinds=dict(KIND_CHOICES),
        is_officer=current_user.role == Role.OFFICER,
    )
