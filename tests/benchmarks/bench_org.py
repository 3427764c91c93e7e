"""Setting up a province through the admin's pages: prints figures, asserts nothing.

Run from the repository root:  python tests/benchmarks/bench_org.py [--units 100] [--accounts 300]

The steps an admin takes on a fresh installation, each through the real views (the Flask test
client, a fresh SQLite database, the production password hash): import the units from a
spreadsheet, import the plan's appendix table, import the accounts (the preview, then the
accounts made with their one-time links and the printable DOCX sheet of QR codes), one
officer's first sign-in through a link, a merge of two units, the dashboard, the plan's
export and its copy to a new year, the audit page and its CSV.
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook

from wardapp import create_app
from wardapp.auth import services
from wardapp.extensions import db

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def xlsx(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(label: str, call):
    start = time.perf_counter()
    result = call()
    print(f"{label:<58} {1000 * (time.perf_counter() - start):9.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--accounts", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-org-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "MEDIA_DIR": str(folder / "media"),
            "SECRET_KEY": "bench",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "MFA_REQUIRED_ROLES": [],  # the bench admin signs in with the password alone
        }
    )
    with app.app_context():
        db.create_all()
        services.create_user(
            None, username="admin", password="quan-tri-tinh-2025", display_name="QT", role="admin"
        )
        db.session.commit()
    client = app.test_client()

    def token(path="/"):
        return CSRF.search(client.get(path).get_data(as_text=True))[1]

    login = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={
            "username": "admin",
            "password": "quan-tri-tinh-2025",
            "csrf_token": CSRF.search(login)[1],
        },
    )
    wards = int(args.units * 0.6)
    communes = int(args.units * 0.3)
    agencies = args.units - wards - communes
    unit_rows = (
        [[f"p{i:03d}", f"Phường Số {i}", "phường", f"P. {i}"] for i in range(wards)]
        + [[f"x{i:03d}", f"Xã Số {i}", "xã", f"X. {i}"] for i in range(communes)]
        + [[f"cq{i:02d}", f"Sở Ngành {i}", "cơ quan", f"Sở {i}"] for i in range(agencies)]
    )
    units_file = xlsx(["Mã đơn vị", "Tên đơn vị", "Loại", "Tên ngắn"], unit_rows)
    print(f"{args.units} units, {args.accounts} accounts, SQLite")
    response = timed(
        f"1. import {args.units} units (XLSX)",
        lambda: client.post(
            "/admin/units/import",
            data={"csrf_token": token(), "file": (io.BytesIO(units_file), "don-vi.xlsx")},
            content_type="multipart/form-data",
        ),
    )
    assert response.status_code == 303, response.status_code

    tasks = [
        [
            n,
            f"Nhiệm vụ tuyên truyền số {n}",
            "UBND các phường, xã",
            "Các cơ quan, đơn vị",
            when,
            kind,
        ]
        for n, (when, kind) in enumerate(
            [("Hằng tuần", "Truyền thanh"), ("Quý II", "Ảnh"), ("Thường xuyên", "Tin bài")] * 7,
            start=1,
        )
    ]
    plan_file = xlsx(
        [
            "TT",
            "Nội dung, nhiệm vụ",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Thời gian thực hiện",
            "Minh chứng",
        ],
        tasks,
    )
    response = timed(
        f"2. import the plan's appendix ({len(tasks)} tasks)",
        lambda: client.post(
            "/plans/import",
            data={
                "csrf_token": token(),
                "year": "2025",
                "city": "Tỉnh Bắc Ninh",
                "title": "",
                "file": (io.BytesIO(plan_file), "ke-hoach.xlsx"),
            },
            content_type="multipart/form-data",
        ),
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    plan_path = response.headers["Location"]

    codes = [row[0] for row in unit_rows]
    account_rows = [
        [
            f"cb{i:04d}",
            f"Cán bộ Số {i}",
            "cán bộ",
            codes[i % len(codes)],
            f"cb{i}@example.vn",
            "0912345678",
        ]
        for i in range(args.accounts)
    ]
    accounts_file = xlsx(
        ["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị", "Thư điện tử", "Điện thoại"],
        account_rows,
    )
    preview = timed(
        f"3a. accounts: check {args.accounts} rows and preview",
        lambda: client.post(
            "/admin/users/import",
            data={"csrf_token": token(), "file": (io.BytesIO(accounts_file), "can-bo.xlsx")},
            content_type="multipart/form-data",
        ),
    )
    assert preview.status_code == 200
    made = timed(
        f"3b. accounts: make {args.accounts}, links, DOCX sheet of QR codes",
        lambda: client.post(
            "/admin/users/import/confirm",
            data={
                "csrf_token": token(),
                "content": base64.b64encode(accounts_file).decode(),
                "filename": "can-bo.xlsx",
            },
        ),
    )
    assert made.status_code == 303
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    links = re.findall(r"/welcome/[\w-]+", page)
    sheet = re.search(r"/admin/users/import/sheets/[0-9a-f]{32}\.docx", page)[0]
    docx = timed("3c. download the sheet", lambda: client.get(sheet))
    print(f"{'    sheet size':<58} {len(docx.data) / 1e6:9.2f} MB, {len(links)} links")

    officer = app.test_client()
    welcome = officer.get(links[0]).get_data(as_text=True)
    response = timed(
        "4. an officer's first sign-in through a link (scrypt)",
        lambda: officer.post(
            links[0],
            data={
                "csrf_token": CSRF.search(welcome)[1],
                "password": "mat-khau-rieng-2025",
                "confirm": "mat-khau-rieng-2025",
            },
        ),
    )
    assert response.status_code == 303

    with app.app_context():
        from sqlalchemy import select

        from wardapp.units.models import Unit

        ids = dict(db.session.execute(select(Unit.code, Unit.id)).all())
    response = timed(
        "5. merge two wards into a new one (page)",
        lambda: client.post(
            "/admin/units/merge",
            data={
                "csrf_token": token(),
                "source_ids": [ids["p000"], ids["p001"]],
                "into_id": 0,
                "new_name": "Phường Hợp Nhất",
                "on": "2025-07-01",
            },
        ),
    )
    assert response.status_code == 303
    plan_id = int(plan_path.rsplit("/", 1)[1])
    timed(
        f"6. the dashboard, Q3/2025 ({args.units} units)",
        lambda: client.get(f"/compliance?plan={plan_id}&quarter=3"),
    )
    timed(
        "7a. the plan as its appendix table (XLSX)",
        lambda: client.get(f"/plans/{plan_id}/export.xlsx"),
    )
    response = timed(
        "7b. copy the plan to 2026",
        lambda: client.post(
            f"/plans/{plan_id}/copy",
            data={
                "csrf_token": token(),
                "year": "2026",
                "number": "1/KH",
                "decision_date": "2026-01-05",
            },
        ),
    )
    assert response.status_code == 303
    timed("8a. the audit page", lambda: client.get("/admin/audit"))
    timed("8b. the audit record as CSV", lambda: client.get("/admin/audit.csv"))


if __name__ == "__main__":
    main()
