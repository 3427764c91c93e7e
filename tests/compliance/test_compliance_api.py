"""GET /api/v1/compliance: the matrix as data, for the units the caller may see."""

from support.client import SignedIn
from support.pages import matrix
from support.review import Reviewer
from wardapp.auth.services import create_user
from wardapp.extensions import db
from wardapp.units.models import Unit

FIELDS = {
    "unit_id",
    "task_id",
    "verdict",
    "expected",
    "accepted",
    "pending_count",
    "explanations",
    "urged_at",
}


def cell(body, ids, unit, number):
    [found] = [
        c
        for c in body["cells"]
        if c["unit_id"] == ids["units"][unit] and c["task_id"] == ids["tasks"][number]
    ]
    return found


def song_mai_reviewer(app, ids):
    """A reviewer of Song Mai alone, signed in."""
    with app.app_context():
        create_user(
            None,
            username="vhtt-song-mai",
            password="wardapp-demo",
            display_name="VHTT Song Mai",
            role="reviewer",
            scoped_units=[db.session.get(Unit, ids["units"]["song-mai"])],
        )
        db.session.commit()
    return SignedIn(app, "vhtt-song-mai").client


def test_the_quarter_as_data_matches_the_matrix(seeded, q1):
    ids = q1
    client = Reviewer(seeded).client
    response = client.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1")
    assert response.status_code == 200
    body = response.json
    assert body["period"]["kind"] == "quarter" and body["period"]["start"] == "2024-01-01"
    assert body["period"]["end"] == "2024-03-31" and body["plan"]["id"] == ids["plan"]
    assert {t["number"] for t in body["tasks"]} == set(range(1, 11))
    shown = matrix(client.get(f"/compliance?plan={ids['plan']}&quarter=1").get_data(as_text=True))
    assert [u["short_name"] for u in body["units"]] == list(shown)
    assert all(FIELDS <= set(c) for c in body["cells"])
    verdicts = {}
    for c in body["cells"]:
        verdicts.setdefault(c["unit_id"], []).append("verdict-" + c["verdict"])
    assert [verdicts[u["id"]] for u in body["units"]] == [
        [cls for cls, _ratio in row if cls != "none"] for row in shown.values()
    ]
    tho_xuong, ngo_quyen, tan_tien = (
        cell(body, ids, u, 3) for u in ("tho-xuong", "ngo-quyen", "tan-tien")
    )
    assert (tho_xuong["verdict"], tho_xuong["expected"], tho_xuong["accepted"]) == ("met", 13, 13)
    assert (ngo_quyen["verdict"], ngo_quyen["pending_count"]) == ("pending", 1)
    assert (tan_tien["verdict"], tan_tien["accepted"], tan_tien["urged_at"]) == ("unmet", 6, None)
    assert cell(body, ids, "tan-tien", 7)["verdict"] == "unscored"  # on change: reported only
    assert body["counts"]["met"] >= 1 and body["counts"]["explained"] == 0


def test_a_month_and_the_year(seeded, q1):
    ids = q1
    client = Reviewer(seeded).client
    march = client.get(f"/api/v1/compliance?plan={ids['plan']}&month=3").json
    assert march["period"]["kind"] == "month" and march["period"]["start"] == "2024-03-01"
    assert cell(march, ids, "tho-xuong", 3)["expected"] == 4  # weeks whose Thursday is in March
    year = client.get(f"/api/v1/compliance?plan={ids['plan']}&year=2024").json
    assert year["period"]["kind"] == "year" and year["period"]["end"] == "2024-12-31"
    assert cell(year, ids, "tho-xuong", 3)["expected"] == 52


def test_a_scoped_reviewer_sees_their_units_and_an_officer_nothing(seeded, q1, app):
    ids = q1
    scoped = song_mai_reviewer(seeded, ids)
    body = scoped.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1").json
    assert {u["id"] for u in body["units"]} == {ids["units"]["song-mai"]}
    assert {c["unit_id"] for c in body["cells"]} == {ids["units"]["song-mai"]}
    officer = SignedIn(seeded, "tho-xuong").client
    refused = officer.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1")
    assert refused.status_code == 403 and refused.is_json


def test_bad_arguments_are_refused_in_vietnamese(seeded, q1):
    ids = q1
    client = Reviewer(seeded).client
    for query, status in (
        ("quarter=5", 422),
        ("quarter=x", 422),
        ("month=13", 422),
        ("year=2023", 422),
        ("plan=abc", 422),
        ("plan=99999999999999999999", 422),
        ("plan=9999", 404),
    ):
        if not query.startswith("plan="):
            query = f"plan={ids['plan']}&{query}"
        response = client.get(f"/api/v1/compliance?{query}")
        assert response.status_code == status, query
        assert response.is_json and response.json["error"], query


def test_one_units_part_of_the_picture_by_its_code(seeded, q1):
    ids = q1
    client = Reviewer(seeded).client
    whole = client.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1").json
    one = client.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1&unit=ngo-quyen").json
    unit = ids["units"]["ngo-quyen"]
    assert [u["id"] for u in one["units"]] == [unit]
    assert one["cells"] == [c for c in whole["cells"] if c["unit_id"] == unit]
    assert one["counts"]["pending"] == sum(c["verdict"] == "pending" for c in one["cells"]) > 0
    for code in ("khong-co", ""):
        refused = client.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1&unit={code}")
        assert refused.status_code == 422 and refused.json["fields"]["unit"]


def test_a_scoped_reviewer_cannot_reach_another_unit_by_its_code(seeded, q1):
    scoped = song_mai_reviewer(seeded, q1)
    base = f"/api/v1/compliance?plan={q1['plan']}&quarter=1"
    other = scoped.get(f"{base}&unit=tho-xuong")
    missing = scoped.get(f"{base}&unit=khong-co")
    assert other.status_code == missing.status_code == 422
    assert other.json == missing.json  # nothing says whether the unit exists
    own = scoped.get(f"{base}&unit=song-mai").json
    assert {c["unit_id"] for c in own["cells"]} == {q1["units"]["song-mai"]}
