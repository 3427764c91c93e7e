"""Past a few hundred units (a province, the country) the queue's unit is typed, not picked
from a list: one match filters by it, several are offered, none says so; a city keeps its
list."""

import re

import pytest
from sqlalchemy import select

from support.evidence import unit_coded
from support.review import Reviewer
from wardapp.auth.services import create_user
from wardapp.extensions import db
from wardapp.review import unit_choice
from wardapp.units.models import Unit


def ids_on(page) -> list[int]:
    return [int(i) for i in re.findall(r'id="review-(\d+)"', page.get_data(as_text=True))]


@pytest.fixture
def many_units(monkeypatch):
    """The demo city's 16 units counted as "too many to list"."""
    monkeypatch.setattr(unit_choice, "SELECT_MAX", 5)


def test_a_city_picks_its_unit_from_a_list(mix):
    app, _ = mix
    body = Reviewer(app).queue().get_data(as_text=True)
    assert '<select name="unit">' in body and 'name="unit_name"' not in body


def test_a_name_typed_without_diacritics_filters_by_its_one_unit(mix, many_units):
    app, rows = mix
    page = Reviewer(app).queue("status=all&unit_name=song+mai")
    body = page.get_data(as_text=True)
    assert '<select name="unit">' not in body
    assert 'name="unit_name" value="Xã Song Mai"' in body
    assert sorted(ids_on(page)) == sorted([rows["c"], rows["d"]])


def test_a_name_that_matches_several_units_offers_them_and_lists_nothing(mix, many_units):
    app, _ = mix
    page = Reviewer(app).queue("status=all&unit_name=mai")
    body = page.get_data(as_text=True)
    assert ids_on(page) == []
    assert "đơn vị khớp «mai»: chọn một." in body
    links = re.findall(r'<a href="/review\?([^"]+)">((?:Xã|Phường) [^<]+)</a>', body)
    names = {name for _, name in links}
    assert {"Xã Song Mai", "Phường Đa Mai"} <= names
    song_mai = next(q for q, name in links if name == "Xã Song Mai")
    assert "unit_name" not in song_mai and "status=all" in song_mai
    chosen = Reviewer(app).queue(song_mai.replace("&amp;", "&"))
    assert len(ids_on(chosen)) == 2


def test_a_name_that_matches_nothing_says_so_and_lists_nothing(mix, many_units):
    app, _ = mix
    page = Reviewer(app).queue("status=all&unit_name=Phường+Không+Có")
    assert ids_on(page) == []
    assert "Không có đơn vị nào tên «Phường Không Có»" in page.get_data(as_text=True)


def test_a_scoped_reviewer_cannot_reach_another_unit_by_its_name(mix, many_units):
    app, rows = mix
    with app.app_context():
        units = [unit_coded(code) for code in ("tho-xuong", "song-mai", "da-mai")]
        units += db.session.scalars(select(Unit).where(Unit.kind == "agency").limit(3)).all()
        create_user(
            None,
            username="duyet-6",
            password="wardapp-demo",
            display_name="R",
            role="reviewer",
            scoped_units=units,
        )
        db.session.commit()
    reviewer = Reviewer(app, "duyet-6")
    assert sorted(ids_on(reviewer.queue("status=all&unit_name=Song+Mai"))) == [rows["c"], rows["d"]]
    page = reviewer.queue("status=all&unit_name=Ngô+Quyền")
    assert ids_on(page) == []
    assert "Không có đơn vị nào tên «Ngô Quyền» trong phạm vi bạn được xem." in page.get_data(
        as_text=True
    )
