"""The name a file was uploaded under, made safe to show, and the name it is handed out under.

Files are stored under their content hash, never under this name; the name is kept only to
show it to people and to name the file again in the compliance ZIP export, which is opened
on Windows. So it must be one path part, readable, comparable (macOS and some Android
pickers send Vietnamese in NFD, which looks the same but compares unequal), and short
enough for the database column and for Windows paths.

A download never keeps the sender's extension: "bien-ban.html" holding a PDF is saved as
"bien-ban.pdf", so what opens it is the program for what it was checked to be, never a
browser, an HTML application host or a command shell.
"""

from __future__ import annotations

import re
import unicodedata

from wardapp.core.text import is_hidden_in_name
from wardapp.media.sniff import SUFFIXES

MAX_NAME_CHARS = 120
_MAX_SUFFIX_CHARS = 10
FALLBACK_NAME = "tệp"
# Reserved on Windows, where the exported ZIP is unpacked.
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
# What counts as an extension to replace: up to ten letters and digits, at least one letter
# (so "Biên bản 12.3.2024" keeps its date).
_EXTENSION = re.compile(r"\.(?=[0-9A-Za-z]*[A-Za-z])[0-9A-Za-z]{1,10}$")


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


def download_name(name: str, content_type: str) -> str:
    """``<clean stem>.<extension of the checked type>``: what a download is called.

    "bien-ban.html" with PDF bytes gives "bien-ban.pdf", "Ảnh 1.JPEG" gives "Ảnh 1.jpg", and a
    name that already ends in the right extension before the wrong one ("x.pdf.hta") loses
    the wrong one only.
    """
    suffix = SUFFIXES[content_type]
    stem = clean_filename(name)
    extension = _EXTENSION.search(stem)
    if extension and extension.start() > 0:
        stem = stem[: extension.start()].rstrip(" .")
    if stem.lower().endswith(suffix):
        stem = stem[: -len(suffix)].rstrip(" .")
    stem = stem[: MAX_NAME_CHARS - len(suffix)].rstrip(" .") or FALLBACK_NAME
    return stem + suffix
