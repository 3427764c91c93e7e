"""Evidence as the API's JSON: the same shape for 201, a replay's 200 and GET."""

from datetime import UTC, datetime

from flask import url_for

from wardapp.evidence.models import Evidence, Media
from wardapp.evidence.warnings import describe, shown_to
from wardapp.media import download_name


def iso(value: datetime | None) -> str | None:
    """Always UTC, so a replay's body is the first answer's to the letter."""
    return value.astimezone(UTC).isoformat() if value else None


def media_json(media: Media) -> dict:
    urls = {"original": url_for("evidence.media_file", media_id=media.id, variant="original")}
    if media.display_key:
        urls["display"] = url_for("evidence.media_file", media_id=media.id, variant="display")
        urls["thumb"] = url_for("evidence.media_file", media_id=media.id, variant="thumb")
    return {
        "id": media.id,
        "role": media.role,
        "content_type": media.content_type,
        "size": media.size,
        "sha256": media.sha256,
        # The name a download gets: what it was called, with the extension of its checked type.
        "filename": download_name(media.original_name, media.content_type),
        "width": media.width,
        "height": media.height,
        "taken_at": iso(media.taken_at),
        "taken_at_source": media.taken_at_source,
        "gps": (
            {"lat": media.gps_lat, "lon": media.gps_lon, "source": media.gps_source}
            if media.gps_lat is not None
            else None
        ),
        "place_source": media.place_source,
        "urls": urls,
    }


def evidence_json(evidence: Evidence, viewer) -> dict:
    """As ``viewer`` may read it (see ``warnings.shown_to``)."""
    return {
        "id": evidence.id,
        "client_uuid": evidence.client_uuid,
        "status": evidence.status,
        "task_id": evidence.task_id,
        "task_number": evidence.task.number,
        "unit_id": evidence.unit_id,
        "kind": evidence.kind,
        "occurred_at": iso(evidence.occurred_at),
        "fields": evidence.fields,
        "location": (
            {
                "lat": evidence.lat,
                "lon": evidence.lon,
                "accuracy": evidence.accuracy,
                "located_at": iso(evidence.located_at),
            }
            if evidence.lat is not None
            else None
        ),
        "note": evidence.note,
        "review_note": evidence.review_note,
        "reviewed_at": iso(evidence.reviewed_at),
        "supersedes_id": evidence.supersedes_id,
        "place_id": evidence.place_id,
        "created_at": iso(evidence.created_at),
        "warnings": [
            dict(w, message=describe(w)) for w in shown_to(viewer, evidence.warnings or [])
        ],
        "media": [media_json(m) for m in evidence.media],
    }
