"""The printable sheet of new accounts (DOCX): each officer's name, unit, username, sign-in
link and its QR code, so a ward can hand them out at a meeting."""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from docx import Document
from docx.shared import Cm, Pt

from wardapp.organisation.accounts import Made

# Every QR mask is read alike by every reader; choosing the "best" of the eight, segno's
# default, takes six times as long in pure Python (20 ms a code: 6 s for 300 officers).
MASK = 0


def qr_png(link: str) -> bytes:
    """The link as a QR code, PNG; medium error correction survives a smudged print-out."""
    buffer = io.BytesIO()
    segno.make(link, error="m", mask=MASK).save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def sheet_docx(made: Sequence[Made], hours: int) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    document.add_heading("Tài khoản đăng nhập hệ thống minh chứng CCHC", level=1)
    document.add_paragraph(
        f"Mỗi người quét mã QR (hoặc mở liên kết) của mình để đặt mật khẩu. Liên kết dùng được "
        f"một lần, trong {hours} giờ kể từ khi tạo; sau đó hãy nhờ quản trị viên tạo lại."
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text, head[2].text = "Họ và tên, đơn vị", "Liên kết đăng nhập", "Mã QR"
    for item in made:
        user = item.user
        cells = table.add_row().cells
        who = cells[0].paragraphs[0]
        who.add_run(user.display_name).bold = True
        cells[0].add_paragraph(user.unit.name if user.unit else "")
        cells[0].add_paragraph(f"Tên đăng nhập: {user.username}")
        cells[1].text = item.link
        cells[2].paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(item.link)), width=Cm(3.5))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
