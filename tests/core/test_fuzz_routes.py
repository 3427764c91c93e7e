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

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from support.fuzz import BOUNDED, EDGES
from support.text import TEXT
from support.walk import Map, Route

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
