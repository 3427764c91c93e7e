"""Accounts by the hundred: a table of officers (XLSX or CSV) checked whole, then made.

Columns, in any order, found by their headings (Vietnamese or English): Tên đăng nhập
(username), Họ và tên (full name), Vai trò (role), Mã đơn vị (unit code), Thư điện tử
(e-mail), Điện thoại (phone). Every row is checked before anything is written, and every
problem is told with the row number Excel shows, as the plan import does: one bad row refuses
the whole file. An account whose username exists already is left as it is and not made
again, so the same file run twice makes every account once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from wardapp.auth import services as accounts
from wardapp.auth.models import User, canonical_username
from wardapp.core.roles import Role
from wardapp.core.spreadsheet import RowsRefused, SpreadsheetError, read_tables
from wardapp.core.text import fold
from wardapp.core.urls import external_url
from wardapp.extensions import db
from wardapp.units.models import Unit

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")

# Each column and how its heading reads, folded.
COLUMNS = (
    ("username", ("ten dang nhap", "username", "tai khoan")),
    ("display_name", ("ho va ten", "ho ten", "full name", "name")),
    ("role", ("vai tro", "role")),
    ("unit", ("ma don vi", "don vi", "unit code", "unit")),
    ("email", ("thu dien tu", "email", "e mail")),
    ("phone", ("dien thoai", "so dien thoai", "phone")),
)
REQUIRED = {"username", "display_name", "role"}
ROLE_WORDS = {
    "officer": Role.OFFICER,
    "can bo": Role.OFFICER,
    "can bo don vi": Role.OFFICER,
    "reviewer": Role.REVIEWER,
    "nguoi duyet": Role.REVIEWER,
    "overseer": Role.OVERSEER,
    "theo doi": Role.OVERSEER,
    "admin": Role.ADMIN,
    "quan tri": Role.ADMIN,
}
MAX_ROWS = 5000


class AccountImportError(RowsRefused):
    """Every problem of the file, as (row number or None, Vietnamese message)."""


@dataclass
class AccountRow:
    row: int
    username: str
    display_name: str
    role: str
    unit_code: str
    email: str
    phone: str
    exists: bool = False


@dataclass
class Checked:
    rows: list[AccountRow] = field(default_factory=list)

    @property
    def new(self) -> list[AccountRow]:
        return [r for r in self.rows if not r.exists]

    @property
    def existing(self) -> list[AccountRow]:
        return [r for r in self.rows if r.exists]


@dataclass
class Made:
    user: User
    link: str


def _heading(cell: str) -> str | None:
    folded = " ".join(fold(cell).replace("-", " ").replace("_", " ").split())
    for name, headings in COLUMNS:
        if folded in headings:
            return name
    return None


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = _heading(cell)
        if name and name not in found:
            found[name] = position
    return found if REQUIRED <= found.keys() else None


def check_file(path: Path) -> Checked:
    """Every row of the file, checked; raises ``AccountImportError`` with every problem."""
    try:
        tables = read_tables(Path(path))
    except SpreadsheetError as exc:
        raise AccountImportError([(None, str(exc))]) from exc
    for table in tables:
        for start, (_n, cells) in enumerate(table):
            if columns := _header(cells):
                return _check_rows(table[start + 1 :], columns)
    raise AccountImportError(
        [(None, "Không tìm thấy dòng tiêu đề: cần các cột Tên đăng nhập, Họ và tên, Vai trò.")]
    )


def _check_rows(table, columns: dict[str, int]) -> Checked:
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    taken = set(db.session.scalars(select(func.lower(User.username))))
    errors: list[tuple[int | None, str]] = []
    checked = Checked()
    first_row_of: dict[str, int] = {}
    for row, raw in table:
        if not any(raw):
            continue
        cells = {
            name: raw[columns[name]] if name in columns and columns[name] < len(raw) else ""
            for name, _h in COLUMNS
        }
        found = len(errors)
        username = canonical_username(cells["username"])
        if not username:
            errors.append((row, "thiếu tên đăng nhập"))
        elif not USERNAME.fullmatch(username):
            errors.append(
                (
                    row,
                    f'tên đăng nhập "{cells["username"][:64]}" chỉ được dùng chữ thường không '
                    "dấu, số, dấu chấm, gạch ngang (tối đa 64 ký tự)",
                )
            )
        elif username in first_row_of:
            errors.append(
                (
                    row,
                    f'tên đăng nhập "{username}" bị trùng (đã có ở dòng {first_row_of[username]})',
                )
            )
        else:
            first_row_of[username] = row
        if not cells["display_name"]:
            errors.append((row, "thiếu họ và tên"))
        elif len(cells["display_name"]) > 200:
            errors.append((row, "họ và tên dài quá 200 ký tự"))
        role = ROLE_WORDS.get(" ".join(fold(cells["role"]).split()))
        if role is None:
            errors.append(
                (
                    row,
                    f'vai trò "{cells["role"][:40]}" không hợp lệ'
                    if cells["role"]
                    else "thiếu vai trò",
                )
            )
        code = cells["unit"].strip().lower()
        unit = units.get(code)
        if code and unit is None:
            errors.append((row, f'không có đơn vị mã "{code[:64]}"'))
        elif unit is not None and not unit.active:
            errors.append((row, f'đơn vị "{code}" đã ngừng hoạt động hoặc đã sáp nhập'))
        elif role == Role.OFFICER and not code:
            errors.append((row, "cán bộ cần có mã đơn vị"))
        if cells["email"] and (len(cells["email"]) > 254 or not EMAIL.fullmatch(cells["email"])):
            errors.append((row, f'thư điện tử "{cells["email"][:60]}" không hợp lệ'))
        if cells["phone"] and not PHONE.fullmatch(cells["phone"]):
            errors.append((row, f'số điện thoại "{cells["phone"][:30]}" không hợp lệ'))
        if len(errors) == found and role is not None:
            checked.rows.append(
                AccountRow(
                    row=row,
                    username=username,
                    display_name=cells["display_name"],
                    role=role,
                    unit_code=code,
                    email=cells["email"].lower(),
                    phone=cells["phone"],
                    exists=username in taken,
                )
            )
        if len(checked.rows) + len(errors) > MAX_ROWS:
            errors.append((row, f"tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ"))
            break
    if not errors and not checked.rows:
        errors.append((None, "Không có tài khoản nào dưới dòng tiêu đề."))
    if errors:
        raise AccountImportError(errors)
    return checked


def make_accounts(actor: User | None, checked: Checked) -> list[Made]:
    """Make the new accounts of a checked file, each with its one-time sign-in link; flush.

    An account made since the file was checked (by another admin, or the same file sent
    twice) is skipped, not made again.
    """
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    taken = set(db.session.scalars(select(func.lower(User.username))))
    fresh = [row for row in checked.new if row.username not in taken]
    users = accounts.create_invited_users(
        actor,
        [
            accounts.Invitation(
                username=row.username,
                display_name=row.display_name,
                role=row.role,
                unit=units.get(row.unit_code),
                email=row.email,
                phone=row.phone,
            )
            for row in fresh
        ],
    )
    tokens = accounts.issue_sign_in_links(actor, users)
    return [
        Made(user, external_url("auth.welcome", token=token))
        for user, token in zip(users, tokens, strict=True)
    ]
