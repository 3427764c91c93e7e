"""A perceptual hash, so the reviewer is warned when the same scene is sent again.

A resent photo is rarely byte-identical: the phone re-compresses or re-sizes it, so the
sha256 differs. A difference hash (dHash) of the thumbnail survives that: it records only
whether each cell of a 9×8 grey grid is darker than its right-hand neighbour.
"""

from __future__ import annotations

from PIL import Image

_GRID_W, _GRID_H = 9, 8


def dhash(image: Image.Image) -> str:
    """64 bits as 16 hex digits; computed on the upright picture, so rotation is not a change."""
    grid = image.convert("L").resize((_GRID_W, _GRID_H), Image.Resampling.BOX).tobytes()
    bits = 0
    for row in range(_GRID_H):
        for col in range(_GRID_W - 1):
            left = grid[row * _GRID_W + col]
            right = grid[row * _GRID_W + col + 1]
            bits = (bits << 1) | (left < right)
    return f"{bits:016x}"


def phash_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ: about ≤ 10 is the same picture, ~32 an unrelated one."""
    if len(a) != 16 or len(b) != 16:
        raise ValueError("a perceptual hash has 16 hex digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()
