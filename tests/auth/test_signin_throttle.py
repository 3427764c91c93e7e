"""Sign-in throttling that cannot be stepped round and does not lock out the innocent: one
counter per account whatever way its name is typed, an address only slowed down, counts shared
by every app process through the database, and failures that outlive their 401."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from support.app import make_app
from support.client import AuthActions
from support.races import at_once
from wardapp.audit.models import AuditEvent
from wardapp.auth import counters, services, throttle
from wardapp.auth.models import LoginCounter, User
from wardapp.db import now_utc
from wardapp.extensions import db

LOCK_AFTER_FOUR = pytest.mark.app_config(
    LOGIN_FAILURES_BEFORE_DELAY=100, LOGIN_FAILURES_BEFORE_LOCK=4
)


class Clock:
    """The counters' clock, moved by hand: a wait runs out without the test waiting for it."""

    def __init__(self, monkeypatch):
        self.now = now_utc()
        monkeypatch.setattr(counters, "now_utc", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@LOCK_AFTER_FOUR
@pytest.mark.parametrize("typed", [" Tan-Tien ", "tan-tien\t", "TAN-TIEN"])
def test_a_locked_account_stays_locked_however_its_name_is_typed(seeded, auth, client, typed):
    for i in range(4):
        assert auth.login("tan-tien", f"doan-mat-khau-{i}").status_code == 401
    refused = auth.login(typed)  # the right password, the name typed another way
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.get_data(as_text=True)
    assert client.get("/api/v1/tasks").status_code == 401


@LOCK_AFTER_FOUR
def test_failures_under_differently_typed_names_add_up_to_one_lock(seeded, auth):
    for typed in ("tan-tien", " Tan-Tien", "TAN-TIEN ", "Tan-tien"):
        assert auth.login(typed, "doan-mat-khau").status_code == 401
    assert auth.login("tan-tien").status_code == 429


@pytest.mark.app_config(LOGIN_ADDRESS_FAILURES_BEFORE_DELAY=100)
def test_fifty_failures_from_one_address_do_not_lock_out_the_other_officers_behind_it(seeded):
    """A carrier's NAT puts a whole ward behind one address; one guesser there must not keep
    the others out (before, the fiftieth failure locked the address for fifteen minutes)."""
    guesser = AuthActions(seeded.test_client())
    for i in range(50):
        assert guesser.login(f"ten-doan-{i}", "doan-mat-khau").status_code == 401
    colleague = seeded.test_client()
    assert AuthActions(colleague).login("tho-xuong").status_code == 302
    assert colleague.get("/api/v1/tasks").status_code == 200


def test_a_noisy_address_only_slows_a_right_password_down_and_then_lets_it_in(seeded, monkeypatch):
    clock = Clock(monkeypatch)
    guesser, cap = (
        AuthActions(seeded.test_client()),
        seeded.config["LOGIN_ADDRESS_MAX_WAIT_SECONDS"],
    )
    failures, waits = 0, []
    while failures < 20:  # twenty failures, each on another account name
        answer = guesser.login(f"ten-doan-{failures}", "doan-mat-khau")
        if answer.status_code == 429:
            waits.append(wait_in(answer))
            clock.advance(waits[-1])
        else:
            assert answer.status_code == 401
            failures += 1
    assert waits and max(waits) <= cap  # slowed, at most the cap a time, never locked
    colleague = AuthActions(seeded.test_client())
    first = colleague.login("song-mai")
    if first.status_code == 429:
        assert wait_in(first) <= cap
        clock.advance(wait_in(first))
        first = colleague.login("song-mai")
    assert first.status_code == 302


def wait_in(answer) -> int:
    return int(re.search(r"thử lại sau (\d+) giây", answer.get_data(as_text=True)).group(1))


def test_an_accounts_wait_runs_out_and_the_right_password_then_signs_in(seeded, monkeypatch):
    clock = Clock(monkeypatch)
    auth = AuthActions(seeded.test_client())
    for i in range(3):
        auth.login("vhtt", f"doan-{i}")
    refused = auth.login("vhtt")
    assert refused.status_code == 429
    clock.advance(wait_in(refused))
    assert auth.login("vhtt").status_code == 302


def test_counts_are_shared_by_two_app_processes_on_one_database_without_redis(seeded, tmp_path):
    """Two gunicorn workers, or the app before and after a restart: the same database."""
    first = AuthActions(seeded.test_client())
    assert [first.login("vhtt", f"doan-{i}").status_code for i in range(3)] == [401] * 3
    second_process = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": seeded.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": seeded.config["SQLALCHEMY_ENGINE_OPTIONS"],
        },
        tmp_path,
    )
    try:
        assert second_process.config["RATELIMIT_STORAGE_URI"] == "memory://"
        refused = AuthActions(second_process.test_client()).login("vhtt")
        assert refused.status_code == 429
        assert "Vui lòng thử lại sau" in refused.get_data(as_text=True)
    finally:
        with second_process.app_context():
            db.engine.dispose()


def test_failures_racing_on_one_account_from_many_processes_are_all_counted(seeded):
    key = throttle.account_key("vhtt")

    def fail():
        with seeded.app_context():
            return counters.DatabaseCounters().add_failure(key, 900, lambda n: 0)

    seen = at_once(*[fail] * 8)
    assert sorted(seen) == list(range(1, 9))  # each racer saw its own count
    with seeded.app_context():
        assert db.session.get(LoginCounter, key).failures == 8


def test_a_failed_sign_in_is_kept_in_the_audit_record_after_its_401(seeded, auth):
    assert auth.login("vhtt", "doan-mat-khau").status_code == 401
    assert auth.login("khong-co-ai", "doan-mat-khau").status_code == 401
    failed = events(seeded, "login.failed")
    assert sorted(e.details["username"] for e in failed) == ["khong-co-ai", "vhtt"]
    with seeded.app_context():
        vhtt = db.session.scalar(select(User.id).where(User.username == "vhtt"))
    assert {e.actor_id for e in failed} == {vhtt, None}
    assert all(e.address == "127.0.0.1" for e in failed)


@LOCK_AFTER_FOUR
def test_the_failure_that_locks_an_account_leaves_a_lock_event(seeded, auth):
    for i in range(4):
        auth.login("giamsat", f"doan-{i}")
    assert auth.login("giamsat").status_code == 429
    [locked] = events(seeded, "login.locked")
    assert locked.details["username"] == "giamsat" and locked.details["seconds"] == 900
    assert len(events(seeded, "login.failed")) == 4


def test_an_unknown_name_costs_one_password_check_like_a_known_one(seeded, monkeypatch):
    checked = []
    real = services.check_password_hash

    def counting(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    import wardapp.auth.models as models

    monkeypatch.setattr(services, "check_password_hash", counting)
    monkeypatch.setattr(models, "check_password_hash", counting)
    auth = AuthActions(seeded.test_client())
    auth.login("vhtt", "doan-mat-khau")
    known = list(checked)
    checked.clear()
    auth.login("khong-co-ai", "doan-mat-khau")
    assert known == checked == [seeded.config["PASSWORD_HASH_METHOD"]]


def test_a_right_password_clears_the_accounts_count(seeded, auth):
    for i in range(2):
        auth.login("vhtt", f"doan-{i}")
    assert auth.login("vhtt").status_code == 302
    with seeded.app_context():
        assert db.session.get(LoginCounter, throttle.account_key("vhtt")) is None


def test_counters_whose_window_and_wait_are_over_are_removed(seeded, monkeypatch):
    clock = Clock(monkeypatch)
    auth = AuthActions(seeded.test_client())
    auth.login("vhtt", "doan")
    clock.advance(seeded.config["LOGIN_LOCK_SECONDS"] + 1)
    auth.login("giamsat", "doan")
    with seeded.app_context():
        keys = db.session.scalars(select(LoginCounter.key)).all()
        assert throttle.account_key("vhtt") not in keys
        assert throttle.account_key("giamsat") in keys
        assert db.session.scalar(select(func.count()).select_from(LoginCounter)) == 2
