"""Names shown to people for the codes stored in the database."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "site_photo": _l("Ảnh hiện trường (pano, khẩu hiệu, áp phích)"),
    "broadcast": _l("Phát thanh, truyền thanh"),
    "meeting": _l("Hội nghị, lớp tập huấn, tham quan"),
    "publication": _l("Tin bài, clip, bài đăng"),
    "procedure_update": _l("Cập nhật danh mục TTHC"),
}

STATUS_LABELS = {
    "submitted": _l("Chờ duyệt"),
    "approved": _l("Đã duyệt"),
    "returned": _l("Trả lại"),
    "withdrawn": _l("Đã rút"),
}

RULE_LABELS = {
    "weekly": _l("Mỗi tuần 1 lần"),
    "deadline": _l("Hoàn thành trước hạn"),
    "per_period": _l("Thường xuyên"),
    "on_change": _l("Khi có thay đổi (không chấm điểm)"),
}
