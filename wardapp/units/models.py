"""A ward or commune (UBND phường, xã) or a city agency: what accounts belong to and what a
plan's tasks are assigned to."""

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from wardapp.db import Base

UNIT_KINDS = ("ward", "commune", "agency")


class Unit(Base):
    """A ward or commune (UBND phường, xã) or a city agency."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def is_local(self) -> bool:
        return self.kind in ("ward", "commune")
