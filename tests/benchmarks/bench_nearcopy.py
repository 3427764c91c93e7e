"""Does the duplicate check find a photo however it was changed, and leave other photos of
the same place alone? And what does it cost per submission?

Run from the repository root:  python tests/benchmarks/bench_nearcopy.py [--photos 20]
It prints figures; it asserts nothing (``--check`` exits 1 when a target is missed).
Targets: recall ≥ 95 % over the changed copies, false flags ≤ 2 % over photos of the same
scene taken moments apart.

Each distinct photo goes through ``process_photo`` as an upload does and is indexed by its
``copy_hashes``, as the ``photo_hash`` table holds them; each probe then runs the check the
submission runs (``evidence.warnings``: the hashes of its every orientation, the band lookup,
the pixel check of the nearest few) against that index. The cost counted is that check's, on
top of the capture pipeline's own (``bench_media.py``), plus the hashes ``process_photo``
makes (those the index holds and those the check looks for).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from PIL import Image

from support import images
from wardapp.media import nearcopy, process_photo
from wardapp.media.photos import ProcessedPhoto

T = Image.Transpose
CHANGES = {
    "crop 4 % evenly": lambda d: images.cropped(d, 0.04),
    "crop 4 % corner": lambda d: images.cropped(d, 0.04, side="corner"),
    "crop 10 % evenly": lambda d: images.cropped(d, 0.10),
    "crop 10 % corner": lambda d: images.cropped(d, 0.10, side="corner"),
    "crop 10 % left": lambda d: images.cropped(d, 0.10, side="left"),
    "resized to half": lambda d: images.recompressed(d, scale=0.5, quality=80),
    "re-encoded q60": lambda d: images.recompressed(d, quality=60),
    "quarter turn": lambda d: images.transposed(d, T.ROTATE_90),
    "half turn": lambda d: images.transposed(d, T.ROTATE_180),
    "three-quarter turn": lambda d: images.transposed(d, T.ROTATE_270),
    "mirrored": lambda d: images.transposed(d, T.FLIP_LEFT_RIGHT),
    "screenshot with borders": images.screenshot,
    "turned and cropped 4 %": lambda d: images.cropped(images.transposed(d, T.ROTATE_90), 0.04),
}


class Index:
    """The ``photo_hash`` table in memory: the same band lookup and the same nearest-first
    choice as ``evidence.warnings._candidates``."""

    def __init__(self) -> None:
        self.by_band: dict[tuple[int, int], list[tuple[str, int]]] = defaultdict(list)
        self.display: dict[int, bytes] = {}

    def add(self, photo_id: int, photo: ProcessedPhoto) -> None:
        self.display[photo_id] = photo.display
        for value in photo.copy_hashes:
            for band, part in enumerate(nearcopy.bands(value)):
                self.by_band[(band, part)].append((value, photo_id))

    def check(self, photo: ProcessedPhoto) -> int | None:
        """The stored photo this one is a copy of, or None."""
        probe = nearcopy.Probe(lambda: nearcopy.work_image(photo.display))
        probes = photo.probe_hashes
        best: dict[int, int] = {}
        for value in probes:
            for band, part in enumerate(nearcopy.bands(value)):
                for stored, photo_id in self.by_band.get((band, part), ()):
                    bits = min(nearcopy.distance(stored, p) for p in probes)
                    if bits <= nearcopy.CANDIDATE_BITS and bits < best.get(photo_id, 65):
                        best[photo_id] = bits
        for bits, photo_id in sorted((b, i) for i, b in best.items())[: nearcopy.MAX_CHECKS]:
            stored = nearcopy.work_image(self.display[photo_id])
            verdict = nearcopy.same_photo(stored, probe)
            if verdict or (verdict is None and bits <= 6):
                return photo_id
        return None


def processed(data: bytes) -> ProcessedPhoto:
    return process_photo(data, max_pixels=50_000_000)


def camera(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20, help="distinct photos, and streets")
    parser.add_argument("--moments", type=int, default=4, help="photos of each street")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    index, originals, costs, cpu = Index(), [], [], []
    hash_costs = []
    # Distinct photos: the suite's scenes as a phone takes them, and street panels.
    for n in range(args.photos):
        originals.append(camera(images.photo_like(1600, 1200, seed=1000 + n)))
        originals.append(images.moment(images.street(5000 + n), seed=1))
    for photo_id, data in enumerate(originals):
        photo = processed(data)
        pixels = Image.open(io.BytesIO(photo.display))
        pixels.draft("RGB", (320, 320))  # about the pixels process_photo has at hand
        pixels.load()
        started = time.process_time()
        nearcopy.photo_hashes(pixels)
        hash_costs.append(time.process_time() - started)
        index.add(photo_id, photo)

    found, tried, missed = 0, 0, defaultdict(int)
    for photo_id, data in enumerate(originals):
        for name, change in CHANGES.items():
            copy = processed(change(data))
            started, used = time.perf_counter(), time.process_time()
            match = index.check(copy)
            costs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            tried += 1
            if match == photo_id:
                found += 1
            else:
                missed[name] += 1

    # Other photos of an indexed street, moments apart: none may be taken for the indexed one.
    flagged, others = 0, 0
    for n in range(args.photos):
        place = images.street(5000 + n)
        for seed in range(2, 2 + args.moments):
            photo = processed(images.moment(place, seed=seed))
            started, used = time.perf_counter(), time.process_time()
            match = index.check(photo)
            costs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            others += 1
            flagged += match is not None
    # And photos nobody sent before.
    fresh_flagged = 0
    for n in range(args.photos):
        photo = processed(camera(images.photo_like(1600, 1200, seed=9000 + n)))
        fresh_flagged += index.check(photo) is not None

    recall = found / tried
    false_rate = flagged / others
    ms = sorted(c * 1000 for c in costs)
    print(f"stored photos: {len(originals)}; changed copies: {tried}; same-scene photos: {others}")
    print(f"recall: {recall:.1%} ({found}/{tried})")
    for name, count in sorted(missed.items()):
        print(f"  missed {count} × {name}")
    print(f"false flags, same scene moments apart: {false_rate:.1%} ({flagged}/{others})")
    print(f"false flags, unrelated new photos: {fresh_flagged}/{args.photos}")
    print(
        f"check per photo: median {statistics.median(ms):.0f} ms, "
        f"p95 {ms[int(len(ms) * 0.95)]:.0f} ms, max {ms[-1]:.0f} ms"
    )
    print(f"CPU time of the check per photo: median {statistics.median(cpu) * 1000:.0f} ms")
    print(
        "CPU time of the hashes per photo (in process_photo: index and probe): "
        f"{statistics.median(hash_costs) * 1000:.1f} ms"
    )
    ok = recall >= 0.95 and false_rate <= 0.02
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
