"""The near-copy hashes: the same bits as imagehash's phash, made in one go."""

import io

import imagehash
from PIL import Image

from support import images
from wardapp.media import nearcopy


def _small(seed: int) -> Image.Image:
    if seed % 3:
        return nearcopy.hash_image(images.photo_like(800, 600, seed=seed))
    street = images.moment(images.street(seed), seed=1, size=(800, 600))
    return nearcopy.hash_image(Image.open(io.BytesIO(street)))


def test_phashes_are_imagehash_phashes_bit_for_bit():
    """Hashes already stored were made by imagehash.phash: a new photo's must be comparable."""
    for seed in range(6):
        small = _small(seed)
        pictures = [nearcopy._window(small, box) for box in nearcopy.WINDOWS]
        pictures += [small.transpose(turn) for turn in nearcopy.ORIENTATIONS[1:]]
        assert nearcopy.phashes(pictures) == [str(imagehash.phash(p)) for p in pictures]


def test_a_photo_looks_for_itself_in_every_orientation():
    """The probe turns the 32-px picture, not the hash image: the hashes stay within a few bits
    of those of the turned hash image, as phash would make them."""
    small = _small(3)
    probe = nearcopy.photo_hashes(small).probe
    for turn in nearcopy.ORIENTATIONS[1:]:
        turned = str(imagehash.phash(small.transpose(turn)))
        assert min(nearcopy.distance(turned, value) for value in probe) <= 2
