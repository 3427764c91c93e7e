"""What the property tests share: hypothesis's bounds, edge values, tiny photos."""

import functools

from hypothesis import HealthCheck, settings

from support import images
from support.evidence import CITY_CENTRE, TAKEN

# 60 examples a property, no deadline, no example database on disk: the suite stays fast.
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EDGES = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-inf",
    "9" * 30,
    "2024-02-30T25:61",
    "1900-01-01T00:00",
    "9999-12-31T23:59:59+14:00",
    "00000000-0000-0000-0000-000000000000",
    "[]",
    "{}",
    '[{"lat": "x"}]',
    "Hội nghị",
    "Zalo",
    "https://",
    "javascript:alert(1)",
    "\x00",
    "\ud7ff\ue000",
    "‮",
    "²",
    "①",
    "0001-01-01T00:00",
    "\ufffe",
    "[" * 3000 + "]" * 3000,
]


@functools.cache
def tiny_jpeg() -> bytes:
    return images.jpeg(64, 48, gps=CITY_CENTRE, taken_at=TAKEN, offset="+07:00", seed=11)


@functools.cache
def tiny_png() -> bytes:
    return images.png(48, 32, seed=12)
