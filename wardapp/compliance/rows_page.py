"""Which of the picture's units the matrix page draws: a page at a time, found by name.

A city's matrix is 16 rows and fits a phone; a province's is a hundred and a national
overseer's 3,321, which no one reads as one table (16 MB of HTML, seconds to draw). The
counts above the matrix, the charts and every export still cover all the units; the table
shows ``PAGE_UNITS`` rows at a time, in the picture's order, narrowed by a name typed with or
without its diacritics ("tho xuong") and, on request, to the units with a part not done.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from wardapp.compliance.picture import Picture
from wardapp.core.text import fold
from wardapp.units.models import Unit

PAGE_UNITS = 100
SEARCH_FROM = 40  # units: a city's matrix (16 to 30 units) has no search box
MAX_QUERY = 100


@dataclass(frozen=True)
class RowsPage:
    """One page of the matrix's units, and what the links to the others need."""

    units: list[Unit]
    number: int  # 1-based
    pages: int
    matched: int  # units the search and the filter leave, over every page
    total: int  # the picture's units
    query: str
    unmet_only: bool

    @property
    def first(self) -> int:
        """The position of the page's first unit among those matched (1-based)."""
        return (self.number - 1) * PAGE_UNITS + 1 if self.units else 0

    @property
    def last(self) -> int:
        return self.first + len(self.units) - 1 if self.units else 0

    @property
    def narrowed(self) -> bool:
        return bool(self.query) or self.unmet_only

    @property
    def searchable(self) -> bool:
        return self.total > SEARCH_FROM or self.pages > 1 or self.narrowed

    def args(self, number: int) -> dict:
        """The query-string arguments of page ``number`` with the same search and filter."""
        found: dict = {"page": number} if number > 1 else {}
        if self.query:
            found["q"] = self.query
        if self.unmet_only:
            found["only"] = "unmet"
        return found


def rows_page(picture: Picture, args: MultiDict) -> RowsPage:
    """The page the query string asks for (``page``, ``q``, ``only=unmet``); a page past the
    last shows the last, so an old link still lands somewhere."""
    query = " ".join((args.get("q") or "").split())[:MAX_QUERY]
    unmet_only = args.get("only") == "unmet"
    units = picture.units
    if query:
        wanted = fold(query)
        units = [u for u in units if wanted in fold(u.name) or wanted in fold(u.short_name)]
    if unmet_only:
        short = {c.unit_id for c in picture.cells.values() if c.verdict == "unmet"}
        units = [u for u in units if u.id in short]
    pages = max(1, -(-len(units) // PAGE_UNITS))
    number = min(max(args.get("page", 1, type=int) or 1, 1), pages)
    start = (number - 1) * PAGE_UNITS
    return RowsPage(
        units[start : start + PAGE_UNITS],
        number,
        pages,
        len(units),
        len(picture.units),
        query,
        unmet_only,
    )
