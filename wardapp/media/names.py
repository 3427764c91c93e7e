"""The name a file was uploaded under, made safe to show and to put in an export.

Files are stored under their content hash, never under this name; the name is kept only to
show it to people and to name the file again in the compliance ZIP export, which is opened
on Windows. So it must be one path part, readable, comparable (macOS and some Android
pickers send Vietnamese in NFD, which looks the same but compares unequal), and short
enough for the database column and for Windows paths.
"""
from __future__ import annotations

import re
import unicodedata

from wardapp.core.text import is_hidden_in_name

MAX_NAME_CHARS = 120
_MAX_SUFFIX_CHARS = 10
FALLBACK_NAME = "tệp"
# Reserved on Windows, where the exported ZIP is unpacked.
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def clean_filename(name: str) -> str:
    """One NFC path part with nothing hidden in it, at most ``MAX_NAME_CHARS`` long.

    The extension survives the length limit, since people recognise files by it.
    """
    name = re.split(r"[/\\]", name or "")[-1]  # browsers on Windows may send C:\fakepath\x.jpg
    name = _SPACES.sub(" ", name)  # a tab or line break becomes a space, not nothing
    # Controls, format characters such as U+202E (which can make "gpj.exe" read ".jpg"),
    # surrogates and non-characters; then NFC, which a removed joiner may have held apart.
    name = "".join(char for char in name if not is_hidden_in_name(char))
    name = unicodedata.normalize("NFC", name)
    name = _WINDOWS_RESERVED.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if not name:
        return FALLBACK_NAME
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX_CHARS:
        return name[:MAX_NAME_CHARS].rstrip(" .")
    keep = MAX_NAME_CHARS - len(suffix) - 1
    return f"{stem[:keep].rstrip(' .')}.{suffix}"
