"""Text a person typed, made fit to keep, show and export: one policy for every door.

Three kinds of character never belong in what an officer, a reviewer or an admin writes:

- **Controls** (C0 but tab and line feed, DEL, C1). No keyboard types them; they come in
  with text pasted from a terminal or a broken client, and XML (so XLSX and DOCX) cannot
  hold most of them. They are removed. A carriage return is a line break: CRLF (what a
  browser sends from a ``<textarea>``) and a lone CR become LF.
- **Bidi controls** (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates). They
  make text show in another order than it is stored (after a U+202E, "gpj.exe" shows as
  "exe.jpg"), so what a reader sees is not what a search or an export finds. Vietnamese
  never needs them.
- **Non-characters and lone surrogates** (U+FDD0–U+FDEF, U+FFFE and U+FFFF in every plane,
  U+D800–U+DFFF alone). They are not text; a workbook holding one does not open.

Where the sender can be told which field is at fault (an evidence kind's fields and its note),
the last two kinds are refused: :func:`refused_characters` names them for the message. Where
nobody can be told (a display name, a reviewer's reason, a file name), :func:`clean_text`
removes them. The directional marks U+200E, U+200F and U+061C are kept in free text (they
reorder nothing but neighbouring punctuation) and removed from names of files and folders
with every other format character (:func:`is_hidden_in_name`).

The exports pass every cell through :func:`export_safe`, for rows stored before this policy.
"""

import re
import unicodedata

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
SURROGATES = "\ud800-\udfff"
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # a CR is made LF before these go

REFUSED = re.compile(f"[{BIDI_CONTROLS}{NONCHARACTERS}{SURROGATES}]")
BIDI = re.compile(f"[{BIDI_CONTROLS}]")
UNSAFE = re.compile(f"[{CONTROLS}{BIDI_CONTROLS}{NONCHARACTERS}{SURROGATES}]")
LINE_BREAK = re.compile(r"\r\n?")
UNSAFE_OR_CR = re.compile(f"[\r{CONTROLS}{BIDI_CONTROLS}{NONCHARACTERS}{SURROGATES}]")
# The exports' quick look: the BMP's unsafe characters or anything past the BMP. The astral
# non-characters, one by one in a class, make a search ten times slower (6 µs a cell, 4 s of
# a 250,000-item export); a text past the BMP (an emoji) is then looked at closely.
MAYBE_UNSAFE = re.compile(
    f"[\r{CONTROLS}{BIDI_CONTROLS}\ufdd0-\ufdef\ufffe\uffff{SURROGATES}\U00010000-\U0010ffff]"
)


def code_points(chars) -> str:
    """ "U+202E, U+FFFE": each character once, in the order met."""
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


def refused_characters(text: str | None) -> list[str]:
    """The bidi controls, non-characters and lone surrogates in ``text``, in order."""
    return REFUSED.findall(text or "")


def has_bidi_control(chars) -> bool:
    return any(BIDI.match(c) for c in chars)


def clean_text(text: str | None) -> str:
    """NFC, line breaks as LF, no control, bidi control or non-character; trimmed."""
    text = UNSAFE.sub("", LINE_BREAK.sub("\n", text or ""))
    return unicodedata.normalize("NFC", text).strip()


def export_safe(text: str) -> str:
    """``text`` as :func:`clean_text` would leave it, but neither normalised nor trimmed: for
    an export, which must not fail on a row stored before the policy. Fast when there is
    nothing to do, which is nearly always."""
    if MAYBE_UNSAFE.search(text) is None or UNSAFE_OR_CR.search(text) is None:
        return text
    return UNSAFE.sub("", LINE_BREAK.sub("\n", text))


def is_hidden_in_name(char: str) -> bool:
    """Controls, format characters (bidi controls and marks, zero widths), lone surrogates
    and non-characters: nothing a file or folder name may hold."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs") or REFUSED.match(char) is not None


def fold(text: str) -> str:
    """Lower-case ASCII, diacritics removed (đ→d): for matching names spelt with and without
    them ("Thọ Xương", "Tho Xuong"), never for keeping or showing text."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
