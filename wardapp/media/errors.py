"""The one error the media pipeline raises for anything a user sent wrong.

Every refusal carries the HTTP status the API answers with and a Vietnamese message an
officer can act on, so a view only has to copy them into ``{"error": …, "fields": {…}}``.
The messages are built here, in one place, so the wording stays consistent.
"""

from __future__ import annotations


class MediaError(Exception):
    """A file refused: 413 too large, 415 not an accepted type, 422 empty or unreadable;
    or 503, the process too busy with other files to take these now (send them again)."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"MediaError({self.status}, {self.message!r}, field={self.field!r})"


def _megabytes(size: int) -> str:
    """Vietnamese writes a decimal comma: 1,5 MB."""
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",")
    return text.removesuffix(",0") + " MB"


def too_large(name: str, size: int, limit: int, field: str | None) -> MediaError:
    return MediaError(
        413,
        f'Tệp "{name}" quá lớn ({_megabytes(size)}); mỗi tệp tối đa {_megabytes(limit)}.',
        field,
    )


def empty(name: str, field: str | None) -> MediaError:
    return MediaError(422, f'Tệp "{name}" rỗng (0 byte); hãy chọn lại tệp.', field)


def not_a_photo(name: str, field: str | None) -> MediaError:
    return MediaError(415, f'Tệp "{name}" không phải ảnh JPEG, PNG, WebP hay HEIC.', field)


def not_an_attachment(name: str, field: str | None, *, is_photo: bool = False) -> MediaError:
    if is_photo:
        return MediaError(415, f'Tệp "{name}" là ảnh; hãy gửi ở mục ảnh.', field)
    return MediaError(
        415,
        f'Tệp "{name}" không phải PDF, Word (DOCX), Excel (XLSX) hay âm thanh (MP3, M4A, WAV).',
        field,
    )


def corrupt_photo(name: str, field: str | None) -> MediaError:
    return MediaError(
        422, f'Ảnh "{name}" bị hỏng hoặc chưa tải lên hết; hãy chụp hoặc chọn lại ảnh.', field
    )


def _millions(pixels: int) -> str:
    return f"{round(pixels / 1_000_000, 1):g}".replace(".", ",")


def too_many_pixels(name: str, max_pixels: int, field: str | None) -> MediaError:
    return MediaError(
        422,
        f'Ảnh "{name}" có quá nhiều điểm ảnh (tối đa {_millions(max_pixels)} triệu); '
        "hãy gửi ảnh nhỏ hơn.",
        field,
    )


def too_much_to_decode(pixels: int, max_pixels: int, field: str | None) -> MediaError:
    return MediaError(
        413,
        f"Các ảnh của lần gửi này quá lớn để xử lý cùng lúc ({_millions(pixels)} triệu điểm "
        f"ảnh, tối đa {_millions(max_pixels)} triệu mỗi lần gửi); hãy gửi ít ảnh hơn mỗi lần "
        "hoặc ảnh nhỏ hơn.",
        field,
    )


def busy(field: str | None) -> MediaError:
    return MediaError(
        503,
        "Máy chủ đang bận xử lý ảnh và tệp của các lần gửi khác nên chưa nhận lần gửi "
        "này; hãy gửi lại sau ít phút.",
        field,
    )


def corrupt_pdf(name: str, field: str | None) -> MediaError:
    return MediaError(
        422,
        f'Tệp PDF "{name}" bị hỏng hoặc chưa tải lên hết (không đọc được trang nào); '
        "hãy xuất lại tệp PDF rồi gửi lại.",
        field,
    )


def locked_pdf(name: str, field: str | None) -> MediaError:
    return MediaError(
        422,
        f'Tệp PDF "{name}" có mật khẩu mở nên người duyệt không xem được; '
        "hãy gửi bản không đặt mật khẩu.",
        field,
    )
