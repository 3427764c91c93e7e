"""The text policy (``wardapp.core.text``) written again, plainly, as the tests' oracle, and the
characters it is about: what an export cannot hold, what disguises a name."""

import unicodedata

from hypothesis import strategies as st

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NONCHARACTERS = "\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff"
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9b"
# Kept: they are text (tab, line breaks, directional marks, a zero-width joiner).
HARMLESS = "\t\n\r\u200e\u200f\u061c\u200d"
NASTY = CONTROLS + BIDI_CONTROLS + NONCHARACTERS + HARMLESS

# Any text a request can carry (no lone surrogate: UTF-8 cannot hold one), the nasty
# characters made common.
TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(NASTY)), max_size=40
)


def is_refused(char: str) -> bool:
    point = ord(char)
    return (
        char in BIDI_CONTROLS
        or 0xFDD0 <= point <= 0xFDEF
        or point & 0xFFFE == 0xFFFE
        or 0xD800 <= point <= 0xDFFF
    )


def is_unsafe(char: str) -> bool:
    """What no stored or exported text may hold (tab and line breaks are text)."""
    return (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or is_refused(char)


def refuses(value: str) -> bool:
    return any(is_refused(c) for c in value)


def as_stored(value: str) -> str:
    """What the policy keeps: line breaks as LF, nothing unsafe, NFC, trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", "".join(c for c in value if not is_unsafe(c))).strip()


def as_exported(value: str) -> str:
    """What an export of an older row holds of ``value``: line breaks as LF, nothing unsafe,
    nothing else changed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if not is_unsafe(c))


def unsafe_in(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if is_unsafe(c)]
