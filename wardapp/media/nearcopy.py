"""The same photo however it was changed: cropped, resized, re-encoded, turned, mirrored,
or shown in a screenshot with borders.

Two steps, so the cost per submission stays bounded however many photos are stored:

1. **Find candidates by index.** Each stored photo keeps perceptual hashes (imagehash's
   DCT ``phash``, made all at once by ``phashes``) of its picture and of windows cropped
   5 % and 10 % from each side and corner, computed after uniform borders are trimmed. A new
   photo is hashed in each of its eight quarter-turn/mirror orientations; a stored photo is
   a candidate when one of its hashes shares a 16-bit band with one of those (looked up by
   index) and lies within ``CANDIDATE_BITS``. Both sets of hashes are made once, by
   ``process_photo`` from the pixels it has decoded anyway (``photo_hashes``). Perceptual
   hashes alone cannot tell a copy from another photo of the same panel taken a moment
   later: both look alike.
2. **Check the few nearest candidates pixel by pixel.** ORB features (OpenCV) of both
   pictures are matched, a similarity transform (turn, scale, shift; mirrored too) is fitted
   with RANSAC, the new photo is laid over the stored one and the grey levels compared,
   allowing a brightness and contrast change. A copy leaves a residual of about one grey level
   (re-encoding); another photo of the same scene does not line up that way (the camera moved,
   nearer things shifted more, the light changed, people walked by) and leaves ten or more.
   Only then are the display copies decoded again (``work_image``): most photos have no
   candidate, and pay for the hashes alone.

Hashes are made from a picture ``HASH_EDGE`` = 128 px long, its borders trimmed at twice
that: phash looks at 32 × 32 anyway, and shrinking 128 px to 32 costs a quarter of 256. They
were made at 256 px (trimmed at 256) before; such hashes stay in ``photo_hash`` as they are,
and a new photo's hashes lie as near them as its own (median 0 bits, 95 % within 4): a copy
of a photo hashed the old way is still found (98.8 % in the bench, 99.4 % for new ones).

``tests/benchmarks/bench_nearcopy.py`` measures recall, false flags and cost.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
from PIL import Image

WORK_EDGE = 768  # the long edge both pictures are compared at
HASH_EDGE = 128  # hashes are made from a copy this size (phash itself looks at 32 × 32)
_PHASH_BITS = 8  # imagehash.phash's hash_size: 8 × 8 bits
_PHASH_EDGE = 32  # what it shrinks a picture to first (hash_size × highfreq_factor 4)
CANDIDATE_BITS = 12  # of 64: how near a hash must be for the pixel check
MAX_CHECKS = 3  # candidates checked pixel by pixel, nearest first
SAME_RESIDUAL = 2.0  # median grey-level difference after alignment: a copy is below
MIN_INLIERS = 10
MIN_INLIER_RATIO = 0.4
MIN_OVERLAP = 0.3
_BORDER_STD = 3.0  # a row or column this uniform is a border, up to 35 % of each side
_ORB_FEATURES = 1000

_T = Image.Transpose
ORIENTATIONS = (
    None,
    _T.ROTATE_90,
    _T.ROTATE_180,
    _T.ROTATE_270,
    _T.FLIP_LEFT_RIGHT,
    _T.TRANSPOSE,
    _T.FLIP_TOP_BOTTOM,
    _T.TRANSVERSE,
)


def _windows() -> list[tuple[float, float, float, float]]:
    boxes = [(0.0, 0.0, 1.0, 1.0)]
    for p in (0.05, 0.1):
        boxes += [(p, 0, 1, 1), (0, p, 1, 1), (0, 0, 1 - p, 1), (0, 0, 1, 1 - p)]  # one side
        boxes += [(p / 2, p / 2, 1 - p / 2, 1 - p / 2)]  # all round
        boxes += [(p, p, 1, 1), (0, p, 1 - p, 1), (p, 0, 1, 1 - p), (0, 0, 1 - p, 1 - p)]
    return boxes


WINDOWS = _windows()


def work_image(data: bytes) -> Image.Image:
    """The grey picture compared, from a stored display copy (a JPEG): borders trimmed."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG":
            image.draft("L", (2 * WORK_EDGE, 2 * WORK_EDGE))
        grey = image.convert("L")
    # Trimmed before it is made small: a screenshot's picture may fill a third of it.
    grey.thumbnail((2 * WORK_EDGE, 2 * WORK_EDGE), Image.Resampling.BILINEAR)
    grey = trim_borders(grey)
    grey.thumbnail((WORK_EDGE, WORK_EDGE), Image.Resampling.BILINEAR)
    return grey


def hash_image(pixels: Image.Image) -> Image.Image:
    """The small grey picture hashes are made from (any size in, borders trimmed)."""
    grey = pixels.convert("L")
    # Trimmed at twice the size: a screenshot's picture may fill a third of it.
    grey.thumbnail((2 * HASH_EDGE, 2 * HASH_EDGE), Image.Resampling.BILINEAR)
    grey = trim_borders(grey)
    grey.thumbnail((HASH_EDGE, HASH_EDGE), Image.Resampling.BILINEAR)
    return grey


def trim_borders(grey: Image.Image) -> Image.Image:
    """Without the flat bands a screenshot or a frame puts round a picture."""
    a = np.asarray(grey, dtype=np.float32)
    h, w = a.shape
    top, bottom, left, right = 0, h, 0, w
    while top < h * 0.35 and a[top, left:right].std() < _BORDER_STD:
        top += 1
    while h - bottom < h * 0.35 and a[bottom - 1, left:right].std() < _BORDER_STD:
        bottom -= 1
    while left < w * 0.35 and a[top:bottom, left].std() < _BORDER_STD:
        left += 1
    while w - right < w * 0.35 and a[top:bottom, right - 1].std() < _BORDER_STD:
        right -= 1
    if right - left < 16 or bottom - top < 16:
        return grey
    return grey.crop((left, top, right, bottom))


def phashes(pictures: list[Image.Image]) -> list[str]:
    """``str(imagehash.phash(p))`` of each grey picture, bit for bit (the tests compare), made
    together: at this size imagehash's own work per call (its copies, its two DCT calls, its
    median, its bit string) costs more than the pixels do, and a photo has 35 hashes.

    As phash does: shrunk to 32 × 32 (Lanczos), DCT-II of the columns then the rows, the
    8 × 8 lowest frequencies each set when above their median."""
    size = (_PHASH_EDGE, _PHASH_EDGE)
    tiny = np.stack(
        [
            np.asarray(p if p.size == size else p.resize(size, Image.Resampling.LANCZOS))
            for p in pictures
        ]
    ).astype(np.float64)
    # imagehash's own DCT, imported here: scipy.fft takes 0.6 s to import, which every
    # process (each ``flask`` command, each worker) would pay at start for a photo it may
    # never see.
    import scipy.fft

    low = scipy.fft.dct(scipy.fft.dct(tiny, axis=1), axis=2)[:, :_PHASH_BITS, :_PHASH_BITS]
    low = low.reshape(len(pictures), -1)
    bits = np.packbits(low > np.median(low, axis=1, keepdims=True), axis=1)
    return [row.tobytes().hex() for row in bits]


def _window(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    w, h = image.size
    return image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))


@dataclass(frozen=True)
class Hashes:
    """A new photo's hashes, all made from one small picture (``hash_image``)."""

    stored: tuple[str, ...]  # what it is found by once stored (the ``photo_hash`` rows)
    probe: tuple[str, ...]  # what it looks for among the photos stored before it


def photo_hashes(pixels: Image.Image) -> Hashes:
    """Both sets of hashes of a photo being stored, from its pixels at any size."""
    small = hash_image(pixels)
    return Hashes(_stored_hashes(small), _probe_hashes(small))


def stored_hashes(pixels: Image.Image) -> list[str]:
    """What a stored photo is found by: its picture's hash and its cropped windows'."""
    return list(_stored_hashes(hash_image(pixels)))


def probe_hashes(pixels: Image.Image) -> list[str]:
    """What a new photo looks for: its hash in each orientation, whole and slightly cropped
    (in case the stored one is the cropped copy)."""
    return list(_probe_hashes(hash_image(pixels)))


def _stored_hashes(small: Image.Image) -> tuple[str, ...]:
    return tuple(dict.fromkeys(phashes([_window(small, box) for box in WINDOWS])))


def _probe_hashes(small: Image.Image) -> tuple[str, ...]:
    # Shrunk to phash's own 32 × 32 first (as phash would), then turned: turning and
    # shrinking commute (but for rounding), and the other seven shrinks cost nothing.
    views = []
    for view in (small, _window(small, WINDOWS[5])):  # the window is cropped evenly all round
        tiny = view.resize((_PHASH_EDGE, _PHASH_EDGE), Image.Resampling.LANCZOS)
        views += [tiny if turn is None else tiny.transpose(turn) for turn in ORIENTATIONS]
    return tuple(dict.fromkeys(phashes(views)))


def bands(value: str) -> tuple[int, int, int, int]:
    """A 64-bit hash cut in four 16-bit bands: hashes within three bits share one."""
    return tuple(int(value[i : i + 4], 16) for i in range(0, 16, 4))  # type: ignore[return-value]


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class Features:
    grey: np.ndarray
    keypoints: tuple
    descriptors: np.ndarray | None


def features(work: Image.Image, *, mirrored: bool = False) -> Features:
    grey = np.asarray(work, dtype=np.uint8)
    if mirrored:
        grey = np.ascontiguousarray(grey[:, ::-1])
    orb = cv2.ORB.create(nfeatures=_ORB_FEATURES, fastThreshold=5, edgeThreshold=15, patchSize=15)
    # Blurred first: sensor noise makes corners that no copy repeats.
    keypoints, descriptors = orb.detectAndCompute(cv2.GaussianBlur(grey, (0, 0), 1.5), None)
    return Features(grey, tuple(keypoints), descriptors)


class Probe:
    """A new photo's picture, with its features (and its mirror's) made once for all checks.

    Both are made on first use: most photos have no candidate to check pixel by pixel, and
    decoding the display copy again costs more than the rest of the check."""

    def __init__(self, load: Callable[[], Image.Image]) -> None:
        self._load = load

    @cached_property
    def work(self) -> Image.Image:
        return self._load()

    @cached_property
    def views(self) -> list[Features]:
        return [features(self.work), features(self.work, mirrored=True)]


def same_photo(stored: Image.Image, probe: Probe) -> bool | None:
    """True when ``probe`` is ``stored`` moved, scaled, turned or mirrored, with its pixels
    otherwise unchanged; False when it is not; None when either has too little detail to
    tell (a flat wall), so the caller falls back on the hashes."""
    target = features(stored)
    if target.descriptors is None or len(target.keypoints) < MIN_INLIERS:
        return None
    if all(v.descriptors is None or len(v.keypoints) < MIN_INLIERS for v in probe.views):
        return None
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    for view in probe.views:
        if view.descriptors is None or len(view.keypoints) < MIN_INLIERS:
            continue
        if _aligned_residual(view, target, matcher) <= SAME_RESIDUAL:
            return True
    return False


def _aligned_residual(view: Features, target: Features, matcher: cv2.BFMatcher) -> float:
    if view.descriptors is None or target.descriptors is None:
        return float("inf")
    pairs = matcher.knnMatch(view.descriptors, target.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.8 * p[1].distance]
    if len(good) < MIN_INLIERS:
        return float("inf")
    src = np.array([view.keypoints[m.queryIdx].pt for m in good], dtype=np.float32)
    dst = np.array([target.keypoints[m.trainIdx].pt for m in good], dtype=np.float32)
    matrix, inliers = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=2000, confidence=0.995
    )
    if matrix is None or inliers is None:
        return float("inf")
    count = int(inliers.sum())
    if count < MIN_INLIERS or count < MIN_INLIER_RATIO * len(good):
        return float("inf")
    h, w = target.grey.shape
    laid = cv2.warpAffine(view.grey, matrix, (w, h), flags=cv2.INTER_LINEAR)
    inside = cv2.warpAffine(
        np.full(view.grey.shape, 255, np.uint8), matrix, (w, h), flags=cv2.INTER_NEAREST
    )
    mask = cv2.erode(inside, np.ones((5, 5), np.uint8)) > 0
    if mask.sum() < MIN_OVERLAP * h * w:
        return float("inf")
    a = cv2.GaussianBlur(target.grey, (0, 0), 2).astype(np.float32)[mask]
    b = cv2.GaussianBlur(laid, (0, 0), 2).astype(np.float32)[mask]
    # Brightness and contrast may differ (a screen, an app's filter): fit them out first.
    design = np.vstack([b, np.ones_like(b)]).T
    coef, *_ = np.linalg.lstsq(design, a, rcond=None)
    return float(np.median(np.abs(a - design @ coef)))
