"""The period's accepted photos as a ZIP, a folder per task and unit, streamed as it is built.

``zipfile`` writes into a sink that is not seekable, so it uses data descriptors and never
goes back; after every chunk of a photo the generator hands over what the sink holds. Memory
is one chunk, whatever the number of photos. Photos are stored, not deflated (JPEG does not
shrink). A photo whose file is missing is listed in a note at the end instead of failing the
whole download half-way.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import tzinfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from wardapp.compliance.counting import counted
from wardapp.compliance.exports.rows import unit_ranges
from wardapp.compliance.picture import Picture
from wardapp.core.text import is_hidden_in_name
from wardapp.evidence.models import Evidence, Media
from wardapp.media.storage import Storage

CHUNK = 256 * 1024
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class Sink:
    """The write end of the stream: what ``zipfile`` writes waits here until drained."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Never called: ``zipfile`` leaves a file object it was given open."""

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def folder_name(text: str, limit: int = 60) -> str:
    """A name Windows, macOS and Linux all accept, Vietnamese kept (NFC), nothing hidden."""
    text = "".join(char for char in text if not is_hidden_in_name(char))
    clean = UNSAFE.sub(" ", unicodedata.normalize("NFC", text)).strip(" .")
    return clean[:limit].rstrip(" .") or "_"


def accepted_photos(picture: Picture, tz: tzinfo, session: Session):
    """(task, unit, evidence id, occurred_at, media id, key, position) of every accepted photo,
    one indexed range per task and unit (``export_rows.unit_ranges``)."""
    for task, unit, _role, in_range in unit_ranges(picture, tz):
        query = counted(
            select(Evidence.id, Evidence.occurred_at, Media.id, Media.original_key, Media.position)
            .join(Media, and_(Media.evidence_id == Evidence.id, Media.role == "photo"))
            .where(in_range),
            ("approved",),
        )
        query = query.order_by(Evidence.occurred_at, Evidence.id, Media.position)
        for row in session.execute(query.execution_options(yield_per=500)):
            yield (task, unit, *row)


def zip_chunks(
    picture: Picture,
    tz: tzinfo,
    store: Storage,
    session: Session,
    *,
    missing_note: tuple[str, str],
    logger,
) -> Iterator[bytes]:
    """``missing_note``: the note's file name and first line, translated in the request."""
    sink, missing = Sink(), []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for task, unit, evidence_id, occurred, media_id, key, position in accepted_photos(
            picture, tz, session
        ):
            local = occurred.astimezone(tz)
            suffix = "." + key.rsplit(".", 1)[-1] if "." in key.rsplit("/", 1)[-1] else ""
            name = "/".join(
                (
                    folder_name(f"NV{task.number:02d} {task.short_title}"),
                    folder_name(unit.short_name),
                    f"{local:%Y-%m-%d_%H%M}_{evidence_id}_{position + 1}{suffix}",
                )
            )
            try:
                source = store.open(key)
            except (FileNotFoundError, ValueError):
                logger.warning(
                    "photo %s of evidence %s missing from the store", media_id, evidence_id
                )
                missing.append(name)
                continue
            info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            with source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.drain()
        if missing:
            name, heading = missing_note
            archive.writestr(name, (heading + "\n" + "\n".join(missing)).encode("utf-8"))
    yield sink.drain()
