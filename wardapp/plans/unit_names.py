"""Finding the units a free-text cell of an appendix names ("UBND các phường, xã; Phòng Văn
hóa và Thông tin"), by their names, short names, codes and the shipped plan's aliases."""

from __future__ import annotations

import re

from wardapp.core.text import fold
from wardapp.units.models import Unit

AMBIGUOUS = frozenset({-1})


END = ""  # the trie's "a key ends here" slot; no token is empty


CITY_PHRASES = (
    "Các cơ quan, đơn vị thành phố",
    "Cơ quan, đơn vị thành phố",
    "Các cơ quan, đơn vị liên quan",
    "Cơ quan, đơn vị liên quan",
    "Các cơ quan, đơn vị",
    "Các cơ quan liên quan",
    "Các phòng, ban, đơn vị",
)


LOCAL_PHRASES = (
    "UBND phường, xã",
    "UBND các phường, xã",
    "UBND xã, phường",
    "UBND các xã, phường",
    "Các phường, xã",
    "Phường, xã",
)


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of a unit text; ',' and ';' are tokens, '-' is not."""
    out = [(fold(m.group()), m.start(), m.end()) for m in re.finditer(r"[\w&]+|[,;]", text)]
    for i in range(len(out) - 3):  # "Ủy ban nhân dân" is written "UBND" as often as not
        if [w for w, _, _ in out[i : i + 4]] == ["uy", "ban", "nhan", "dan"]:
            out[i : i + 4] = [("ubnd", out[i][1], out[i + 3][2])]
    return out


class UnitIndex:
    """Finds the units a free-text cell names, longest known name first, so "Phòng Văn hóa
    và Thông tin" is one unit although "và" also separates units."""

    def __init__(self, units: list[Unit], shipped: dict):
        self.trie: dict = {}
        by_code = {u.code: u for u in units}
        for u in units:
            for key in (u.name, u.short_name, u.code.replace("-", " ")):
                self._add(key, frozenset({u.id}))
        for d in shipped.get("units", []):
            for alias in d.get("aliases", []) if d["code"] in by_code else []:
                self._add(alias, frozenset({by_code[d["code"]].id}))
        city = [
            by_code[d["code"]].id
            for d in shipped.get("units", [])
            if d.get("city_body") and d["code"] in by_code
        ]
        city = city or [u.id for u in units if u.kind == "agency"]
        for phrase in CITY_PHRASES:
            self._add(phrase, frozenset(city))
        for phrase in LOCAL_PHRASES:
            self._add(phrase, frozenset(u.id for u in units if u.is_local))
        self.order = {u.id: (not u.is_local, u.id) for u in units}

    def _add(self, phrase: str, ids: frozenset[int]) -> None:
        node = self.trie
        for word, _, _ in _words(phrase):
            if word not in ",;":
                node = node.setdefault(word, {})
        node[END] = ids if node.get(END, ids) == ids else AMBIGUOUS

    def _match(self, words: list[str], i: int) -> tuple[int, frozenset[int]] | None:
        """The longest key starting at ``i`` (commas inside a name are skipped)."""
        node, best = self.trie, None
        while i < len(words) and (words[i] == "," or words[i] in node):
            if words[i] != ",":
                node = node[words[i]]
                if END in node:
                    best = (i + 1, node[END])
            i += 1
        return best

    def resolve(self, text: str) -> tuple[list[int], list[str]]:
        """Unit ids the text names, and the parts of it that name no known unit."""
        toks = _words(text)
        words = [w for w, _, _ in toks]
        ids: list[int] = []
        unknown: list[str] = []
        i = 0
        while i < len(words):
            if words[i] in (",", ";", "va"):
                i += 1
                continue
            m = self._match(words, i) or (self._match(words, i + 1) if words[i] == "ubnd" else None)
            if m and m[1] is not AMBIGUOUS:
                ids += [x for x in sorted(m[1], key=self.order.__getitem__) if x not in ids]
                i = m[0] + (
                    2
                    if words[m[0] : m[0] + 2] == ["thanh", "pho"]
                    else 1
                    if words[m[0] : m[0] + 1] == ["tp"]
                    else 0
                )
                continue
            j = m[0] if m else i + 1
            while (
                j < len(words)
                and words[j] not in ",;"
                and not (words[j] == "va" and self._match(words, j + 1))
            ):
                j += 1
            unknown.append(text[toks[i][1] : toks[j - 1][2]])
            i = j
        return ids, unknown
