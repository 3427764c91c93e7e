"""A province's units from a spreadsheet: one bad row refuses the file with its number; a good
one makes every unit once."""

import html
import io

from openpyxl import Workbook
from sqlalchemy import func, select

from support.client import csrf_token, signed_in
from wardapp.extensions import db
from wardapp.units.models import Unit


def xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(["Danh sách đơn vị hành chính cấp xã"])
    book.active.append(["Mã đơn vị", "Tên đơn vị", "Loại", "Tên ngắn"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes):
    return client.post(
        "/admin/units/import",
        data={
            "csrf_token": csrf_token(client, "/admin/units/import"),
            "file": (io.BytesIO(data), "don-vi.xlsx"),
        },
        content_type="multipart/form-data",
    )


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Unit))


GOOD = [
    ["", "Phường Bắc Giang", "", ""],
    ["kinh-bac", "Phường Kinh Bắc", "phường", "Kinh Bắc"],
    ["", "Xã Yên Dũng", "xã", ""],
    ["", "Sở Nội vụ", "cơ quan", "Sở Nội vụ"],
]


def test_a_bad_row_refuses_the_file_and_a_good_one_makes_each_unit_once(seeded):
    admin, _token = signed_in(seeded, "admin")
    before = count(seeded)
    bad = upload(admin, xlsx([*GOOD, ["", "", "xã", ""], ["Bad Code", "Xã X", "", ""]]))
    assert bad.status_code == 422
    page = html.unescape(bad.get_data(as_text=True))
    assert "Dòng 7: thiếu tên đơn vị" in page and 'Dòng 8: mã "bad code"' in page
    assert count(seeded) == before
    dup = upload(admin, xlsx([GOOD[1], ["kinh-bac", "Phường Khác", "", ""]]))
    assert dup.status_code == 422 and "đã có ở dòng 3" in dup.get_data(as_text=True)

    assert upload(admin, xlsx(GOOD)).status_code == 303
    assert count(seeded) == before + 4
    assert upload(admin, xlsx(GOOD)).status_code == 303
    assert count(seeded) == before + 4
    with seeded.app_context():
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        assert (units["bac-giang"].kind, units["bac-giang"].short_name) == ("ward", "Bắc Giang")
        assert units["yen-dung"].kind == "commune"
        assert units["so-noi-vu"].kind == "agency"
