"""A next year's plan as the city writes it: the header row and five good rows."""

HEADER = [
    "TT",
    "Nội dung, nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Minh chứng",
]
GOOD_ROWS = [
    [
        "1",
        "Tuyên truyền chuyển đổi số trên hệ thống truyền thanh các phường, xã.",
        "UBND các phường, xã",
        "Phòng Văn hóa và Thông tin",
        "Mỗi tuần 1 lần",
        "",
    ],
    [
        "2",
        "Lắp đặt pano, khẩu hiệu về CCHC trên đường Hùng Vương.",
        "Phòng Văn hóa và Thông tin thành phố",
        "Trung tâm VHTT&TT",
        "Quý II/2025",
        "",
    ],
    [
        "3",
        "Cập nhật danh mục TTHC trên phần mềm một cửa.",
        "Các cơ quan, đơn vị thành phố và UBND phường, xã",
        "",
        "Thường xuyên (thực hiện khi có sự thay đổi về TTHC)",
        "Cập nhật TTHC, Hội nghị",
    ],
    [
        "4",
        "Tuyên truyền chủ trương của Đảng về CCHC.",
        "Văn phòng HĐND-UBND thành phố",
        "Các cơ quan, đơn vị liên quan và UBND phường, xã",
        "Thường xuyên",
        "Ảnh, Bài đăng",
    ],
    [
        "5",
        "Học sinh THCS tham quan bộ phận một cửa.",
        "Phòng GD&ĐT",
        "Các trường THCS",
        "Trước ngày 30/11/2025",
        "",
    ],
]


def good_plan_csv() -> bytes:
    """The header and the good rows as a CSV file saved by Excel (a BOM, every cell quoted)."""
    return (
        "\ufeff" + "\n".join(",".join(f'"{c}"' for c in row) for row in [HEADER] + GOOD_ROWS)
    ).encode()
