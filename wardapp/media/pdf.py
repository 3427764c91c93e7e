"""Whether a file that starts like a PDF is one: read by pypdf, within a bounded cost.

``%PDF-`` is five bytes anyone can put in front of a web page or a script, so the prefix
only makes a file a candidate. It is a PDF when pypdf finds its cross-reference table and
trailer where the file says they are, a document catalogue, and a first page at the end of
a short walk down the page tree. pypdf reads lazily: nothing but the table, the trailer and
the few objects on that walk is parsed, so the check costs about 30 ms a megabyte at worst
(a 25 MB file made of nothing but cross-reference entries or one huge array: 0.3–0.75 s).

A file whose table is off, as some tools write, is repaired the way viewers repair it, by
scanning the whole file for objects; that scan costs about half a second a megabyte on a
crafted file (14 s for 28 MB), so only files up to ``REPAIR_MAX_BYTES`` get it (0.55 s at
worst); a larger one is refused as broken, to be exported again.

pypdf is imported on the first PDF, not with the package: it takes 0.3 s to import.
"""

from __future__ import annotations

import io
import logging
import re

from wardapp.media import errors

log = logging.getLogger(__name__)

REPAIR_MAX_BYTES = 1024 * 1024
# A page tree is balanced by its writer; real ones are a few levels deep.
MAX_TREE_DEPTH = 32
# "12 0 obj": a file with not one object in it was never a PDF, only dressed as one. Written
# as "obj" then a look back, so the search runs at the speed of finding "obj" (14 ms for
# 25 MB); a pattern starting with digits takes seconds on a file of digits.
_OBJECT = re.compile(rb"obj(?<=\d[ \t\r\n\f\x00]obj)")


def check_pdf(data: bytes, name: str, field: str | None) -> None:
    """Return when ``data`` is a readable PDF with a page; raise MediaError otherwise.

    415 when there is no PDF behind the prefix, 422 when there is one but it is broken or
    cut short, or opens only with a password (a reviewer could not read it).
    """
    from pypdf.errors import FileNotDecryptedError

    for strict in (True, False) if len(data) <= REPAIR_MAX_BYTES else (True,):
        try:
            if _has_a_page(data, strict=strict):
                return
            break  # read, and no page in it: a repair would not find one either
        except FileNotDecryptedError:
            raise errors.locked_pdf(name, field) from None
        except Exception as exc:  # noqa: BLE001  (a hostile file can make pypdf raise anything)
            log.info("PDF %r unreadable (strict=%s): %r", name, strict, exc)
    if not _OBJECT.search(data):
        raise errors.not_an_attachment(name, field)
    raise errors.corrupt_pdf(name, field)


def _has_a_page(data: bytes, *, strict: bool) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import DictionaryObject

    reader = PdfReader(io.BytesIO(data), strict=strict)
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):
        raise PdfReadError("the document catalog is not a dictionary")
    node = root["/Pages"].get_object()
    for _ in range(MAX_TREE_DEPTH):
        if not isinstance(node, DictionaryObject):
            raise PdfReadError("a node of the page tree is not a dictionary")
        kids = node.get("/Kids")
        if kids is None:
            return node.get("/Type", "/Page") == "/Page"
        kids = kids.get_object()
        if not kids:
            return False
        node = kids[0].get_object()
    return False
