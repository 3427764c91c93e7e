"""A ward or commune (UBND phường, xã) or a city agency: what accounts belong to and what a
plan's tasks are assigned to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardapp.db import Base

UNIT_KINDS = ("ward", "commune", "agency")


class Unit(Base):
    """A ward or commune (UBND phường, xã) or a city agency.

    Units merge ("Thọ Xương and Ngô Quyền became Phường Bắc Giang on 01/07/2025"): a merged
    unit keeps its rows and its evidence, ends on the day (``ended_on``, the first day it no
    longer exists) and names the unit it became; that unit starts on the day. A plan period
    lists the units that existed in it (:meth:`exists_during`), so a quarter before the merge
    is judged as it always was.
    """

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    merged_into: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="merged_from")
    merged_from: Mapped[list[Unit]] = relationship(
        back_populates="merged_into", order_by="Unit.name"
    )

    @property
    def is_local(self) -> bool:
        return self.kind in ("ward", "commune")

    def exists_during(self, start: date, end: date) -> bool:
        """Whether the unit existed on some day from ``start`` to ``end``.

        A unit merged away existed until the day before its merge; a unit deactivated by hand
        (no end date) is left out of every period, as it always was.
        """
        if self.started_on is not None and self.started_on > end:
            return False
        if self.ended_on is not None:
            return self.ended_on > start
        return self.active
