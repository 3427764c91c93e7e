"""The one password policy, asked by the admin's forms, ``flask wardapp create-user`` and every
service that sets a password.

Long beats clever on a phone keyboard: at least ten characters, counted the way a person
sees them (NFC, surrounding whitespace and runs of spaces not counted, so ten spaces and a
letter are one character), not all digits or all letters, not one of the passwords guessers
try first (``data/common-passwords.txt``), and not containing the account's own name.
"""

import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"
# An account name this long or longer may not appear anywhere in its password; a shorter one
# ("vp", "xa1") is too short to be a password alone and may stand inside one.
NAME_INSIDE_FROM = 4


class WeakPassword(ValueError):
    """A password the policy refuses; ``str()`` is the message for the person who chose it."""


def password_problem(password: str, username: str | None = None):
    """What is wrong with this password for this account, in Vietnamese; None if nothing."""
    visible = " ".join(unicodedata.normalize("NFC", password or "").split())
    if len(visible) < MIN_LENGTH:
        return _l("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_LENGTH)
    if visible.isdigit() or visible.isalpha():
        return _l("Mật khẩu cần có cả chữ và số hoặc ký tự khác.")
    if visible.replace(" ", "").casefold() in common_passwords():
        return _l("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")
    if username and _contains_name(visible, username):
        return _l("Mật khẩu không được chứa tên đăng nhập.")
    return None


def require_acceptable(password: str, username: str | None = None) -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise WeakPassword(str(problem))


@cache
def common_passwords() -> frozenset[str]:
    """Read once, on first use (never at import)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _contains_name(password: str, username: str) -> bool:
    """Letters and digits only, case folded: "Tho.Xuong-2024" contains tho-xuong."""
    name = _letters_and_digits(username)
    return len(name) >= NAME_INSIDE_FROM and name in _letters_and_digits(password)


def _letters_and_digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())
