"""Walking every route as each role, to learn which parameter names each view reads, present
or not: the query string and the form remember what they were asked for. For the route fuzz
tests (``core/test_fuzz_routes.py``)."""

import io
import uuid
from dataclasses import dataclass, field

from flask import Request, url_for
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict

from support.access import ACCOUNTS, ANON, EXPECTED, url_args
from support.client import AuthActions
from support.fuzz import tiny_jpeg
from wardapp.auth.services import create_user
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

WALKERS = {ANON: None, **ACCOUNTS}  # who walks: each role's account, and nobody signed in


class Recorded(ImmutableMultiDict):
    """Parameters that remember the names they were asked for, present or not."""

    asked: set[str] = set()

    def __getitem__(self, key):
        Recorded.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        Recorded.asked.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        Recorded.asked.add(key)
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = Recorded


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    arguments: dict = field(compare=False)  # URL variable → its converter


@dataclass
class Walker:
    """One role's signed-in client; ``send`` answers a status, or the exception that escaped."""

    app: object
    role: str
    url_values: dict

    def __post_init__(self):
        self.asked: set[str] = set()  # the names the last request's view asked for
        self.sign_in()

    def sign_in(self) -> None:
        self.client = self.app.test_client()
        auth = AuthActions(self.client)
        if WALKERS[self.role]:
            assert auth.login(WALKERS[self.role]).status_code == 302
        self.token = auth.token("/login")

    def send(self, route: Route, params: dict, url_values: dict | None = None, htmx=False):
        """``params`` in the query (GET) or the form (POST); a callable is called for its
        value each time (a fresh UUID, a photo), and a file is left out of a query."""
        values = {**self.url_values, **(url_values or {})}
        headers = {"HX-Request": "true"} if htmx else {}
        params = {k: v() if callable(v) else v for k, v in params.items()}
        Recorded.asked = set()
        try:
            with self.app.test_request_context():
                query = {
                    k: v
                    for k, v in params.items()
                    if k not in route.arguments and isinstance(v, str)
                }
                url = url_for(
                    route.endpoint,
                    **{a: values[a] for a in route.arguments},
                    **(query if route.method == "GET" else {}),
                )
            if route.method == "GET":
                response = self.client.get(url, headers=headers)
            else:
                response = self.client.post(
                    url, headers=headers, data={"csrf_token": self.token, **params}
                )
            response.get_data()  # a streamed body fails while it is read
            self.asked = Recorded.asked - {"csrf_token"}  # before a sign-in asks its own
            status = response.status_code
            signed_out = "/login" in response.headers.get("Location", "")
        except Exception as exc:  # noqa: BLE001  (reported as the failure it is)
            return repr(exc)[:300]
        if route.endpoint == "auth.login" and route.method == "POST" and status == 302:
            self.sign_in()  # signed in as an account the admin's walk made: be oneself again
        elif route.endpoint == "auth.logout" or (signed_out and WALKERS[self.role]):
            self.sign_in()
        elif status == 400:  # perhaps a token the request's change of session made stale
            self.token = AuthActions(self.client).token("/login")
        return status


@dataclass
class Map:
    """What the first requests found: the routes, the names each reads, and the roles that
    reach each (``test_access``'s table; anyone, if nobody may)."""

    walkers: dict[str, Walker]
    ordinary: dict[str, dict[str, str]]
    routes: dict[Route, set[str]] = field(default_factory=dict)
    roles: dict[Route, list[str]] = field(default_factory=dict)

    def ordinary_for(self, asked: set[str]) -> dict[str, str]:
        """Every group of ordinary values one of whose names the view asked for."""
        return {
            name: value
            for group in self.ordinary.values()
            if asked & group.keys()
            for name, value in group.items()
        }

    def discover(self, app) -> "Map":
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            for method in sorted({"GET", "POST"} & rule.methods):
                route = Route(rule.endpoint, method, dict(rule._converters))
                allowed = EXPECTED[rule.endpoint][1]
                self.roles[route] = [r for r in self.walkers if r in allowed] or list(self.walkers)
                names = set()
                for role in self.roles[route]:
                    walker = self.walkers[role]
                    walker.send(route, {})
                    asked = walker.asked
                    walker.send(route, self.ordinary_for(asked))
                    names |= asked | walker.asked
                self.routes[route] = {n for n in names if not n.endswith("csrf_token")}
        return self


def ordinary_values(app, args: dict) -> dict[str, dict[str, str]]:
    """Values each parameter name accepts, in the groups views read them in.

    The walk submits evidence by the hundred, for task 6 in the second quarter; the filters
    look at task 3 in the first, so the pages and exports it asks for stay small."""
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "tho-xuong"))
        filtered_task = db.session.scalar(select(Task.id).where(Task.number == 3))
    task, rules = args["task_id"], f"t{args['task_id']}-"
    groups = {
        "filters": {
            "task": filtered_task,
            "unit": unit_id,
            "status": "all",
            "from": "2024-01-01",
            "to": "2024-03-31",
            "size": 5,
            "warnings": "1",
            "plan": args["plan_id"],
            "quarter": 1,
            "month": 3,
            "period": "quarter",
            "limit": 10,
            "unit_id": unit_id,
        },
        "evidence": {
            "client_uuid": lambda: str(uuid.uuid4()),
            "task_id": task,
            "photo": lambda: (io.BytesIO(tiny_jpeg()), "anh.jpg"),
            "kind": "site_photo",
            "occurred_at": "2024-05-20T09:00",
            "place": "Đường Hùng Vương",
            "installed": "Pano",
            "quantity": 2,
            "lat": 21.27,
            "lon": 106.19,
            "accuracy": 10,
            "located_at": "2024-05-20T09:01",
            "note": "Ghi chú",
            "photo_meta": '{"taken_at": "2024-05-20T08:30", "lat": 21.27}',
        },
        "account": {
            "username": "khach-la",
            "password": "hoa-sen-2024",
            "display_name": "Cán bộ mới",
            "role": "officer",
            "active": "y",
            "remember": "y",
        },
        "rule": {
            rules + "min_count": 1,
            rules + "period": "month",
            rules + "deadline": "2024-06-30",
            rules + "scored": unit_id,
        },
        "decision": {
            "reason": "Ảnh không rõ",
            "reason_pick": "Sai địa điểm",
            "ids": args["evidence_id"],
            "confirm": "yes",
            "next": "/review",
        },
        "plan": {"title": "Kế hoạch", "year": 2025, "city": "Bắc Giang"},
    }
    return {
        g: {name: value if callable(value) else str(value) for name, value in values.items()}
        for g, values in groups.items()
    }


def small_world(app) -> None:
    """Two active units: every picture, and so every export, stays small."""
    with app.app_context():
        for unit in db.session.scalars(select(Unit)):
            unit.active = unit.code in ("tho-xuong", "vhtt")
        db.session.commit()


def walked_routes(seeded) -> "Map":
    """Every route walked as each role: the names its view reads, who reaches it (the
    ``routes`` fixture). Only Thọ Xương and one agency stay active."""
    args = url_args(seeded)
    with seeded.app_context():  # the accounts pages edit someone nobody signs in as
        unit = db.session.scalar(select(Unit).where(Unit.code == "tho-xuong"))
        args["user_id"] = create_user(
            None,
            username="can-bo-thu",
            password="wardapp-demo",
            display_name="Cán bộ thử",
            role="officer",
            unit=unit,
        ).id
        db.session.commit()
    small_world(seeded)
    seeded.request_class = RecordingRequest
    walkers = {role: Walker(seeded, role, args) for role in WALKERS}
    return Map(walkers, ordinary_values(seeded, args)).discover(seeded)
