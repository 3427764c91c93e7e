"""How long ``process_photo`` takes on phone-sized photos, against a naive Pillow pipeline.

Run from the repository root:  python tests/benchmarks/bench_media.py [--runs 15]
It prints figures; it is not a test and asserts nothing (pass ``--check`` to exit 1 when a
target is missed). Targets on the 2-core reference machine: 12 MP ≤ 150 ms, 2048 px ≤ 25 ms
(median).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # wardapp, and the tests' support

from PIL import Image, ImageOps

from support import images
from wardapp.media import photos, process_photo

MAX_PIXELS = 50_000_000
TARGETS_MS = {"12 MP phone photo (4000×3000)": 150.0, "2048 px phone upload (2048×1536)": 25.0}


def phone_jpeg(width: int, height: int, quality: int, orientation: int = 1) -> bytes:
    """A photographic-looking JPEG with camera EXIF (orientation, time, GPS)."""
    image = images.photo_like(width, height, seed=3)
    exif = images.exif(
        orientation=orientation,
        gps=(21.2731, 106.1946),
        taken_at=datetime(2025, 3, 14, 9, 30),
        offset="+07:00",
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def naive(data: bytes) -> tuple[bytes, bytes]:
    """What one writes first: decode everything, transpose, two LANCZOS resizes, save."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    display = upright.copy()
    display.thumbnail((2048, 2048), Image.Resampling.LANCZOS, reducing_gap=None)
    thumb = upright.copy()
    thumb.thumbnail((320, 320), Image.Resampling.LANCZOS, reducing_gap=None)
    outputs = []
    for copy in (display, thumb):
        out = io.BytesIO()
        copy.save(out, "JPEG", quality=82)
        outputs.append(out.getvalue())
    return outputs[0], outputs[1]


def timings(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds, after one warm-up run."""
    work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 if a median misses its target")
    args = parser.parse_args()

    cases = {
        "12 MP phone photo (4000×3000)": phone_jpeg(4000, 3000, 90),
        "2048 px phone upload (2048×1536)": phone_jpeg(2048, 1536, 80),
        "2048 px, EXIF-rotated, so re-encoded": phone_jpeg(2048, 1536, 80, orientation=6),
    }
    missed = False
    for label, data in cases.items():
        result = process_photo(data, max_pixels=MAX_PIXELS)
        ours = timings(partial(process_photo, data, max_pixels=MAX_PIXELS), args.runs)
        theirs = timings(partial(naive, data), args.runs)
        target = TARGETS_MS.get(label)
        verdict = (
            "no target"
            if target is None
            else (f"target ≤ {target:.0f} ms: {'ok' if ours[0] <= target else 'MISSED'}")
        )
        missed |= target is not None and ours[0] > target
        (dw, dh), (tw, th) = result.display_size, result.thumb_size
        print(
            f"{label}: {len(data) / 1e6:.2f} MB in, "
            f"display {dw}×{dh} {len(result.display) / 1e3:.0f} kB, "
            f"thumb {tw}×{th} {len(result.thumb) / 1e3:.0f} kB"
        )
        print(f"  process_photo  median {ours[0]:6.1f} ms  p95 {ours[1]:6.1f} ms  ({verdict})")
        print(
            f"  naive pipeline median {theirs[0]:6.1f} ms  p95 {theirs[1]:6.1f} ms  "
            f"({theirs[0] / ours[0]:.1f}× slower)"
        )

    # What the ≥ 1920 px draft floor buys over insisting on a ≥ 2048 px decode.
    data = cases["12 MP phone photo (4000×3000)"]
    floor, photos.DISPLAY_DRAFT_EDGE = photos.DISPLAY_DRAFT_EDGE, photos.DISPLAY_EDGE
    try:
        strict = timings(lambda: process_photo(data, max_pixels=MAX_PIXELS), args.runs)
    finally:
        photos.DISPLAY_DRAFT_EDGE = floor
    print(
        f"12 MP with a strict ≥ 2048 px draft (full decode + resize): median {strict[0]:.1f} ms"
        f"  p95 {strict[1]:.1f} ms"
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
