"""A photo's display copy and thumbnail, made again from its original when they are lost.

``flask wardapp fsck --repair`` does it for every photo at once; a photo asked for whose copy
is missing is handed to a worker (``remake_copies``), so a lost disk mends itself as people
look at the pages.
"""

from flask import current_app

from wardapp import jobs
from wardapp.evidence.models import Media
from wardapp.extensions import db
from wardapp.media import Storage, process_photo
from wardapp.media.app_store import storage


def lost_copies(store: Storage, media: Media) -> dict[str, str]:
    """The variants (original, display, thumb) a row names whose file is gone, with their keys."""
    keys = {"original": media.original_key, "display": media.display_key, "thumb": media.thumb_key}
    return {variant: key for variant, key in keys.items() if key and not store.exists(key)}


def remake(store: Storage, media: Media, max_pixels: int) -> bool:
    """Both copies made again from the original; False when the original itself is lost."""
    if not store.exists(media.original_key):
        return False
    with store.open(media.original_key) as handle:
        photo = process_photo(handle.read(), max_pixels=max_pixels)
    media.display_key = store.put(photo.display, ".jpg")
    media.thumb_key = store.put(photo.thumb, ".jpg")
    return True


@jobs.task(retries=2, retry_delay=30, name="wardapp.evidence.remake_copies")
def remake_copies(media_id: int) -> None:
    media = db.session.get(Media, media_id)
    if media is None or not (media.display_key or media.thumb_key):
        return
    store = storage()
    lost = lost_copies(store, media)
    if lost and "original" not in lost:
        remake(store, media, current_app.config["MAX_IMAGE_PIXELS"])
        current_app.logger.info("media %s: %s made again", media_id, ", ".join(lost))
