"""Accounts by the hundred: a file checked whole (one bad row refuses it, with its number),
every account made once, a one-time sign-in link each, and the printable sheet with QR codes."""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

from docx import Document
from openpyxl import Workbook
from sqlalchemy import func, select

from support.client import AuthActions, csrf_token, signed_in
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import SignInLink, User
from wardapp.extensions import db
from wardapp.organisation.sheet import qr_png

HEADER = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị", "Thư điện tử", "Điện thoại"]
GOOD = [
    ["tx-lan", "Nguyễn Thị Lan", "Cán bộ", "tho-xuong", "lan@example.vn", "0912 345 678"],
    ["nq-hung", "Trần Văn Hùng", "cán bộ", "ngo-quyen", "", ""],
    ["vhtt-mai", "Lê Thị Mai", "Người duyệt", "", "mai@example.vn", ""],
]
LINK = re.compile(r"http://127\.0\.0\.1:8000/welcome/([\w-]+)")


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Danh sách cán bộ phường, xã"])  # a title above the header, as people write
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def upload(client, data: bytes, name="can-bo.xlsx"):
    return client.post(
        "/admin/users/import",
        data={
            "csrf_token": csrf_token(client, "/admin/users/import"),
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def confirm(client, preview_page: str):
    """The preview's button pressed, and the page it leads to."""
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', preview_page)
    filename = re.search(r'name="filename" type="hidden" value="([^"]*)"', preview_page)
    return client.post(
        "/admin/users/import/confirm",
        data={
            "csrf_token": csrf_token(client, "/admin/users/import"),
            "content": content[1],
            "filename": filename[1],
        },
        follow_redirects=True,
    )


def accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_a_file_with_one_bad_row_is_refused_whole_with_that_rows_number(seeded):
    admin, _token = signed_in(seeded, "admin")
    before = accounts(seeded)
    bad = [*GOOD, ["xx-nam", "Phạm Nam", "cán bộ", "no-such-unit", "", ""]]
    response = upload(admin, xlsx(bad))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert 'Dòng 6: không có đơn vị mã "no-such-unit"' in page
    assert "Tạo 4 tài khoản" not in page
    assert accounts(seeded) == before
    for rows, told in (
        ([["Bad Name", "A", "cán bộ", "tho-xuong", "", ""]], "Dòng 2: tên đăng nhập"),
        ([["a1", "A", "thủ trưởng", "tho-xuong", "", ""]], 'Dòng 2: vai trò "thủ trưởng"'),
        ([["a1", "A", "cán bộ", "", "", ""]], "Dòng 2: cán bộ cần có mã đơn vị"),
        ([["a1", "A", "cán bộ", "tho-xuong", "not-mail", ""]], "Dòng 2: thư điện tử"),
        ([GOOD[0], GOOD[0]], 'Dòng 3: tên đăng nhập "tx-lan" bị trùng (đã có ở dòng 2)'),
    ):
        refused = upload(admin, csv_bytes(rows), "can-bo.csv")
        assert refused.status_code == 422
        assert told in html.unescape(refused.get_data(as_text=True)), told
    assert upload(admin, b"\x00\x01 not a workbook", "x.xlsx").status_code == 422
    assert accounts(seeded) == before


def test_a_good_file_makes_every_account_once_with_a_link_each(seeded):
    admin, _token = signed_in(seeded, "admin")
    before = accounts(seeded)
    preview = upload(admin, xlsx(GOOD))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "3 tài khoản mới, 0 đã có" in page
    assert accounts(seeded) == before  # a preview makes nothing
    made = confirm(admin, page)
    assert made.status_code == 200
    links = LINK.findall(made.get_data(as_text=True))
    assert len(set(links)) == 3
    assert accounts(seeded) == before + 3
    with seeded.app_context():
        lan = db.session.scalar(select(User).where(User.username == "tx-lan"))
        assert (lan.display_name, lan.role, lan.unit.code) == (
            "Nguyễn Thị Lan",
            "officer",
            "tho-xuong",
        )
        assert (lan.email, lan.phone) == ("lan@example.vn", "0912 345 678")
        assert db.session.scalar(select(User.role).where(User.username == "vhtt-mai")) == "reviewer"
        assert db.session.scalar(select(func.count()).select_from(SignInLink)) == 3
        assert db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.import")
        ).one()

    again = upload(admin, xlsx([*GOOD, ["da-minh", "Đỗ Minh", "cán bộ", "da-mai", "", ""]]))
    assert "1 tài khoản mới, 3 đã có" in again.get_data(as_text=True)
    confirm(admin, again.get_data(as_text=True))
    assert accounts(seeded) == before + 4
    # The same preview confirmed twice (a double click) makes nothing the second time.
    confirm(admin, again.get_data(as_text=True))
    assert accounts(seeded) == before + 4


def test_a_sign_in_link_works_once_sets_a_password_under_the_policy_and_expires(seeded):
    admin, _token = signed_in(seeded, "admin")
    made = confirm(admin, upload(admin, xlsx(GOOD)).get_data(as_text=True))
    lan_token, hung_token, _mai = LINK.findall(made.get_data(as_text=True))
    assert AuthActions(seeded.test_client()).login("tx-lan", "!unset").status_code == 401

    phone = seeded.test_client()
    page = phone.get(f"/welcome/{lan_token}")
    assert page.status_code == 200 and "tx-lan" in page.get_data(as_text=True)
    token = csrf_token(phone, f"/welcome/{lan_token}")
    weak = phone.post(
        f"/welcome/{lan_token}",
        data={"csrf_token": token, "password": "12345678", "confirm": "12345678"},
    )
    assert weak.status_code == 422 and "ít nhất 10" in weak.get_data(as_text=True)
    good = phone.post(
        f"/welcome/{lan_token}",
        data={"csrf_token": token, "password": "lan-tho-xuong-25", "confirm": "lan-tho-xuong-25"},
    )
    assert good.status_code == 303
    assert phone.get("/api/v1/tasks").status_code == 200  # signed in
    assert seeded.test_client().get(f"/welcome/{lan_token}").status_code == 404  # once
    assert AuthActions(seeded.test_client()).login("tx-lan", "lan-tho-xuong-25").status_code == 302

    with seeded.app_context():  # three days and a minute later
        link = db.session.scalar(select(SignInLink).join(User).where(User.username == "nq-hung"))
        link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    assert seeded.test_client().get(f"/welcome/{hung_token}").status_code == 404
    assert seeded.test_client().get("/welcome/not-a-token").status_code == 404


def test_the_links_last_seventy_two_hours(seeded):
    admin, _token = signed_in(seeded, "admin")
    confirm(admin, upload(admin, xlsx(GOOD[:1])).get_data(as_text=True))
    with seeded.app_context():
        link = db.session.scalars(select(SignInLink)).one()
        assert link.expires_at - link.created_at == timedelta(hours=72)


def test_the_sheet_opens_and_holds_one_qr_code_per_account(seeded):
    admin, _token = signed_in(seeded, "admin")
    made = confirm(admin, upload(admin, xlsx(GOOD)).get_data(as_text=True)).get_data(as_text=True)
    links = [m[0] for m in re.finditer(LINK, made)]
    sheet = re.search(r'href="(/admin/users/import/sheets/[0-9a-f]{32}\.docx)"', made)[1]
    response = admin.get(sheet)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    [table] = document.tables
    assert len(table.rows) == 1 + 3
    text = "\n".join(c.text for row in table.rows for c in row.cells)
    for name, link in zip(("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai"), links, strict=True):
        assert name in text and link in text
    images = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 3
    assert sorted(images) == sorted(qr_png(link) for link in links)  # each code is its link's
    assert "Phường Thọ Xương" in text
    assert signed_in(seeded, "vhtt")[0].get(sheet).status_code == 403


def test_the_command_prints_each_new_accounts_username_and_link(seeded, tmp_path):
    path = tmp_path / "can-bo.csv"
    path.write_bytes(csv_bytes(GOOD))
    result = seeded.test_cli_runner().invoke(args=["wardapp", "import-users", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if LINK.search(line)]
    assert [line.split()[0] for line in lines] == ["tx-lan", "nq-hung", "vhtt-mai"]
    again = seeded.test_cli_runner().invoke(args=["wardapp", "import-users", str(path)])
    assert again.exit_code == 0 and not LINK.search(again.output)
    path.write_bytes(csv_bytes([["a-b", "A", "cán bộ", "nowhere", "", ""]]))
    refused = seeded.test_cli_runner().invoke(args=["wardapp", "import-users", str(path)])
    assert refused.exit_code != 0 and 'Dòng 2: không có đơn vị mã "nowhere"' in refused.output


def test_the_admin_makes_a_new_link_and_the_old_one_stops_working(seeded):
    admin, token = signed_in(seeded, "admin")
    made = confirm(admin, upload(admin, xlsx(GOOD[:1])).get_data(as_text=True))
    [old] = LINK.findall(made.get_data(as_text=True))
    with seeded.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "tx-lan"))
    page = admin.post(f"/admin/users/{user_id}/sign-in-link", data={"csrf_token": token})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    [new] = LINK.findall(body)
    assert new != old and 'src="data:image/svg+xml' in body
    assert seeded.test_client().get(f"/welcome/{old}").status_code == 404
    assert seeded.test_client().get(f"/welcome/{new}").status_code == 200
    assert (
        signed_in(seeded, "vhtt")[0]
        .post(f"/admin/users/{user_id}/sign-in-link", data={"csrf_token": token})
        .status_code
        == 403
    )
