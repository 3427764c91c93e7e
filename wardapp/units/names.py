"""A unit's code: stable, made from its name, used in URLs, files and the demo's account names."""

import re

from wardapp.core.text import fold

# Words that say what sort of body a unit is, not which one: the code leaves them out so
# "Phường Thọ Xương" is ``tho-xuong``. Longest first, so "Văn phòng" wins over a bare word.
NAME_PREFIXES = ("van phong", "trung tam", "uy ban", "phuong", "phong", "cac", "xa")


CODE_MAX = 64


def unit_code(name: str) -> str:
    """The stable code of a unit, from its name: prefix dropped, ASCII, hyphen-joined.

    Codes key the seed's upsert and the demo officers' usernames, so they must not depend
    on anything but the name.
    """
    words = re.findall(r"[a-z0-9]+", fold(name))
    for prefix in NAME_PREFIXES:
        head = prefix.split()
        if words[: len(head)] == head and len(words) > len(head):
            words = words[len(head) :]
            break
    return "-".join(words)[:CODE_MAX].strip("-")
