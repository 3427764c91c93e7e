"""A province's or the country's matrix: a page of units at a time, found by name, or only
those with a part not done; the counts above it and the weekly chart still cover them all."""

import html
import re

import pytest
from sqlalchemy import select

from support.pages import matrix
from wardapp.compliance import rows_page
from wardapp.extensions import db
from wardapp.units.models import Unit


@pytest.fixture
def few_per_page(monkeypatch):
    """Five units a page, so the demo city's 22 units take five pages."""
    monkeypatch.setattr(rows_page, "PAGE_UNITS", 5)


def summary(body: str) -> dict[str, int]:
    return {
        v: int(n)
        for v, n in re.findall(
            r'<span class="verdict verdict-(\w+)">[^<]+</span> <strong>(\d+)</strong>', body
        )
    }


def chart_total(body: str) -> str:
    return re.findall(r'<svg[^>]*aria-label="([^"]+)"', body)


def page(client, q1, query: str = "") -> str:
    return client.get(f"/compliance?plan={q1['plan']}&quarter=1&{query}").get_data(as_text=True)


def test_a_city_sees_all_its_units_on_one_page_without_a_search_box(q1, auth, client):
    auth.login("vhtt")
    body = page(client, q1)
    assert len(matrix(body)) > 20
    assert 'class="rows-find"' not in body and 'class="rows-pages"' not in body


def test_the_matrix_pages_through_the_units_and_the_counts_cover_them_all(
    q1, auth, client, few_per_page
):
    auth.login("vhtt")
    whole = summary(page(client, q1))
    first = page(client, q1)
    assert len(matrix(first)) == 5
    assert "Đơn vị 1–5 trên 22" in first and "Trang 1/5" in first
    seen = []
    for number in range(1, 6):
        body = page(client, q1, f"page={number}")
        assert summary(body) == whole  # the counts are the whole picture's on every page
        assert chart_total(body) == chart_total(first)
        seen += list(matrix(body))
    assert len(seen) == len(set(seen)) == 22
    last = page(client, q1, "page=5")
    assert 'rel="next"' not in last and 'rel="prev"' in last and "Đơn vị 21–22 trên 22" in last
    assert list(matrix(page(client, q1, "page=99"))) == list(matrix(last))  # an old link
    assert list(matrix(page(client, q1, "page=-3"))) == list(matrix(first))
    assert list(matrix(page(client, q1, "page=abc"))) == list(matrix(first))


def test_a_unit_is_found_by_its_name_typed_without_diacritics(q1, auth, client, few_per_page):
    auth.login("vhtt")
    body = page(client, q1, "q=tho+xuong")
    assert list(matrix(body)) == ["Thọ Xương"]
    assert "Đơn vị 1–1 trên 1 (trong 22 đơn vị)" in body
    assert 'value="tho xuong"' in body and "Bỏ lọc" in body
    nothing = page(client, q1, "q=Không+Có+Đâu")
    assert matrix(nothing) == {} and "Không có đơn vị nào khớp." in nothing


def test_only_the_units_with_a_part_not_done_are_shown_on_request(q1, auth, client, few_per_page):
    auth.login("vhtt")
    body = page(client, q1, "only=unmet")
    rows = matrix(body)
    assert rows and all(any(c == "verdict-unmet" for c, _ in cells) for cells in rows.values())
    matched = int(re.search(r"Đơn vị 1–\d+ trên (\d+) \(trong 22 đơn vị\)", body)[1])
    assert 5 < matched < 22
    # The search and the filter go along to the next page.
    following = html.unescape(re.search(r'href="(/compliance\?[^"]+)" rel="next"', body)[1])
    assert "only=unmet" in following and "page=2" in following
    assert list(matrix(page(client, q1, "q=tan+tien&only=unmet"))) == ["Tân Tiến"]
    assert matrix(page(client, q1, "q=tho+xuong&only=unmet")) == {}  # met every week


def test_the_weekly_chart_leaves_out_a_deactivated_units_evidence(q1, seeded, auth, client):
    auth.login("giamsat")  # sees every unit: the chart counts all but those left out
    assert "Nhiệm vụ 3: 31 minh chứng đã duyệt trong 13 tuần" in chart_total(page(client, q1))
    with seeded.app_context():
        db.session.scalar(select(Unit).where(Unit.code == "tan-tien")).active = False
        db.session.commit()
    after = page(client, q1)
    assert "Tân Tiến" not in matrix(after)
    assert "Nhiệm vụ 3: 25 minh chứng đã duyệt trong 13 tuần" in chart_total(after)
