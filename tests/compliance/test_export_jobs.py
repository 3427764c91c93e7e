"""The large exports as jobs: any format, one job for the same export asked twice, links made
from the configured address."""

import io
import re
import zipfile

import pytest
from docx import Document

from support.client import AuthActions
from wardapp.core.urls import external_url


def token(client, query) -> str:
    page = client.get(f"/compliance?{query}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def start(client, query, **data):
    return client.post(
        f"/compliance/exports?{query}",
        data={"csrf_token": token(client, query), **data},
        headers={"HX-Request": "true"},
    )


def file_url(answer) -> str:
    return re.search(r'href="(/compliance/exports/[\w-]+/file)"', answer.get_data(as_text=True))[1]


def test_the_photos_and_the_report_are_built_as_jobs_too(seeded, reviewer, quarter):
    query = quarter["query"]
    zipped = reviewer.get(file_url(start(reviewer, query, format="zip")))
    assert zipped.mimetype == "application/zip"
    assert zipped.headers["Content-Disposition"] == "attachment; filename=cchc-2024-q1.zip"
    direct = zipfile.ZipFile(io.BytesIO(reviewer.get(f"/compliance/export.zip?{query}").data))
    assert zipfile.ZipFile(io.BytesIO(zipped.data)).namelist() == direct.namelist()
    report = reviewer.get(file_url(start(reviewer, query, format="docx")))
    text = "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    assert "BÁO CÁO" in text
    assert start(reviewer, query, format="pdf").status_code == 400


@pytest.mark.app_config(JOBS_IMMEDIATE=False)
def test_the_same_export_asked_twice_while_it_waits_is_one_job(seeded, reviewer, quarter):
    query = quarter["query"]
    first, second = start(reviewer, query), start(reviewer, query)
    assert first.status_code == second.status_code == 202
    ids = [
        re.search(r'/compliance/exports/([\w-]+)"', a.get_data(as_text=True))[1]
        for a in (first, second)
    ]
    assert ids[0] == ids[1]
    assert "hx-trigger" in first.get_data(as_text=True)  # waiting for a worker: it polls
    assert reviewer.get(f"/compliance/exports/{ids[0]}/file").status_code == 404  # not yet
    other = seeded.test_client()
    assert AuthActions(other).login("noivu").status_code == 302
    theirs = re.search(r'/compliance/exports/([\w-]+)"', start(other, query).get_data(as_text=True))
    assert theirs[1] != ids[0]  # a job is its owner's


@pytest.mark.app_config(BASE_URL="https://cchc.bacgiang.gov.vn")
def test_a_link_made_outside_any_request_starts_with_the_configured_address(app):
    with app.app_context():  # as in a worker
        assert external_url("evidence.detail", evidence_id=7) == (
            "https://cchc.bacgiang.gov.vn/evidence/7"
        )
