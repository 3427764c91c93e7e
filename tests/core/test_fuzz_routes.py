"""Every route, as each role, with hostile values in every parameter its view reads: never a 500.

No table of parameters to keep up to date: the query string and the form remember which names
a view asked for, present or not. A first request to each route, with no parameters, tells
which groups of ordinary values (``ORDINARY``) it takes; a second, with those, how deep the view
reads. The walk then tries each name it read with each hostile value (``HOSTILE``), taking turns
among the roles that reach the route, and each URL variable with hostile numbers and words. A
property test then sends random mixtures to random routes. Only Thọ Xương and one agency stay
active, so a compliance picture (and each export the walk asks for) is small. SQLite only,
like ``test_fuzz``.
"""

import io
import uuid
from dataclasses import dataclass, field

import pytest
from conftest import AuthActions
from flask import Request, url_for
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_access import EXPECTED, url_args
from test_fuzz import BOUNDED, EDGES, small_photo
from textkit import TEXT
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import AnyConverter, IntegerConverter

from wardapp.auth.services import create_user
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

pytestmark = [
    pytest.mark.parametrize("backend", ["sqlite"]),
    pytest.mark.app_config(
        LOGIN_RATE_LIMIT="100000 per minute",
        LOGIN_FAILURES_BEFORE_DELAY=10**6,
        LOGIN_FAILURES_BEFORE_LOCK=10**6,
        LOGIN_ADDRESS_FAILURES_BEFORE_DELAY=10**6,
        LOGIN_ADDRESS_FAILURES_BEFORE_LOCK=10**6,
    ),
]
ACCOUNTS = {
    "anonymous": None,
    "officer": "tho-xuong",
    "reviewer": "vhtt",
    "overseer": "noivu",
    "admin": "admin",
}
# One of each kind: nothing, numbers past any column or not numbers at all, digits that are
# not ASCII ("²" passes isdigit), dates a datetime holds but a time zone cannot move, cursors
# in year 1 and 9999, text the policy refuses, JSON nested past the parser's recursion, long.
HOSTILE = [
    "",
    "0",
    "-1",
    "9" * 30,
    "1e400",
    "NaN",
    "²",
    "①",
    "١٢",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59:59-14:00",
    "2024-02-30T25:61",
    "-62135596800.000000_1",
    "253402300799.0_1",
    "\x00",
    "\ufffe",
    "Pano \u202egpj.exe",
    "[" * 5000 + "]" * 5000,
    '[{"lat": "x", "taken_at": {"a": [1]}}]',
    "Ư" * 5000,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "javascript:alert(1)",
    "00000000-0000-0000-0000-000000000000",
    "on",
    "https://",
]
WORDS = ["", "x", "²", "..", "%2F", "Ư" * 300, "\u202e", "vi", "en"]
NUMBERS = [0, 2**31, 2**63, 10**30]  # no real row: each is someone else's or nobody's


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
        if ACCOUNTS[self.role]:
            assert auth.login(ACCOUNTS[self.role]).status_code == 302
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
        elif route.endpoint == "auth.logout" or (signed_out and ACCOUNTS[self.role]):
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
            "photo": lambda: (io.BytesIO(small_photo()), "anh.jpg"),
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


@pytest.fixture
def routes(seeded) -> Map:
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
    walkers = {role: Walker(seeded, role, args) for role in ACCOUNTS}
    return Map(walkers, ordinary_values(seeded, args)).discover(seeded)


def url_variants(route: Route) -> list[dict]:
    """Each URL variable with hostile values its converter lets through."""
    variants = []
    for name, converter in route.arguments.items():
        if isinstance(converter, AnyConverter):
            variants += [{name: item} for item in sorted(converter.items)]
        elif isinstance(converter, IntegerConverter):
            variants += [{name: n} for n in NUMBERS]
        else:
            variants += [{name: word} for word in WORDS]
    return variants


def families(routes: Map) -> dict[frozenset, list[Route]]:
    """Routes by the names they read: the compliance pages and exports all read theirs
    through one function, so one sweep of those names serves them all, in turns."""
    found: dict[frozenset, list[Route]] = {}
    for route, names in routes.routes.items():
        found.setdefault(frozenset(names), []).append(route)
    return found


def test_every_parameter_of_every_route_takes_every_hostile_value_without_a_500(routes):
    assert len(routes.routes) >= 45 and "from" in routes.routes[Route("review.gallery", "GET", {})]
    tries = []  # (route, role, the change from the ordinary values, params, url values)
    for names, members in families(routes).items():
        ordinary = routes.ordinary_for(names)
        turns = [(route, role) for route in members for role in routes.roles[route]]
        changes = [{name: value} for name in sorted(names) for value in HOSTILE]
        tries += [
            (*turns[i % len(turns)], change, {**ordinary, **change}, {})
            for i, change in enumerate(changes)
        ]
        tries += [
            (route, routes.roles[route][i % len(routes.roles[route])], {}, ordinary, values)
            for route in members
            for i, values in enumerate(url_variants(route))
        ]
    failures = []
    for route, role, change, params, url_values in tries:
        status = routes.walkers[role].send(route, params, url_values)
        if not isinstance(status, int) or status >= 500:
            shown = {k: v[:40] for k, v in change.items()}
            failures.append((role, route.method, route.endpoint, shown, url_values, status))
    assert not failures, "\n".join(map(repr, failures))


PARAMS = st.one_of(
    st.sampled_from(HOSTILE + EDGES),
    TEXT,
    st.integers().map(str),
    st.floats().map(repr),
    st.dates().map(str),
    st.datetimes().map(str),
)


@settings(BOUNDED, max_examples=300)
@given(data=st.data())
def test_random_mixtures_of_parameters_on_random_routes_never_get_a_500(routes, data):
    route = data.draw(st.sampled_from(sorted(routes.routes, key=str)), label="route")
    role = data.draw(st.sampled_from(routes.roles[route]), label="role")
    names = sorted(routes.routes[route] | set(routes.ordinary_for(routes.routes[route])))
    params = data.draw(
        st.dictionaries(st.sampled_from(names or ["x"]), PARAMS, max_size=6), label="params"
    )
    url_values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                name: st.sampled_from(
                    [variant[name] for variant in url_variants(route) if name in variant]
                )
                for name in route.arguments
            },
        ),
        label="url",
    )
    status = routes.walkers[role].send(
        route,
        {**routes.ordinary_for(routes.routes[route]), **params},
        url_values,
        htmx=data.draw(st.booleans(), label="htmx"),
    )
    assert isinstance(status, int) and status < 500, status
