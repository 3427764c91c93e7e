"""Photo and file intake: type from bytes, size and pixel limits, display copies, storage.

Pure Python on Pillow and pypdf: no database, and no Flask but in ``app_store`` (the store
of the running app, made from its settings). A view calls ``inspect_uploads``
with a submission's files and its ``UploadLimits``, answers a ``MediaError`` with its status
and message, puts accepted bytes in a ``Storage`` and hands each file out under its
``download_name``. Importing this package does no work: HEIC support is registered on first
use.
"""

from wardapp.media.errors import MediaError
from wardapp.media.limits import UploadLimits
from wardapp.media.names import clean_filename, download_name
from wardapp.media.phash import phash_distance
from wardapp.media.photos import ProcessedPhoto, process_photo
from wardapp.media.sniff import ATTACHMENT_TYPES, PHOTO_TYPES, sniff
from wardapp.media.storage import LocalStorage, Storage
from wardapp.media.upload import Upload, check_attachment, inspect_upload, inspect_uploads

__all__ = [
    "ATTACHMENT_TYPES",
    "PHOTO_TYPES",
    "LocalStorage",
    "MediaError",
    "ProcessedPhoto",
    "Storage",
    "Upload",
    "UploadLimits",
    "check_attachment",
    "clean_filename",
    "download_name",
    "inspect_upload",
    "inspect_uploads",
    "phash_distance",
    "process_photo",
    "sniff",
]
