"""A known place of a unit: what evidence is recorded at."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wardapp.db import Base
from wardapp.units.models import Unit

PLACE_KINDS = ("panel", "loudspeaker", "notice_board", "one_stop_desk", "other")


class Place(Base):
    __tablename__ = "place"
    __table_args__ = (UniqueConstraint("unit_id", "name", name="uq_place_unit_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="other")
    # Optional: a place taken over from a task's list has none until someone sets them.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    street: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship()

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None
