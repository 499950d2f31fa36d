"""Abbreviations Vietnamese readers type for what news text spells out ("BHYT" for "bảo hiểm y
tế"): a question's abbreviation the articles never use, but whose words they do, is searched
as those words."""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from bot.corpus.text import fold

# Keyed by the folded, lower-cased abbreviation without hyphens ("kt-xh", "KTXH" → "ktxh").
# Only abbreviations with one reading in public-affairs news; "TP", "DN", "CP" and the like
# are left out, since they stand for several things.
EXPANSIONS = {
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "bhtn": "bảo hiểm thất nghiệp",
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "mttq": "Mặt trận Tổ quốc",
    "thpt": "trung học phổ thông",
    "thcs": "trung học cơ sở",
    "ktxh": "kinh tế-xã hội",
    "qpan": "quốc phòng, an ninh",
    "antt": "an ninh trật tự",
    "ttatxh": "trật tự an toàn xã hội",
    "dbqh": "đại biểu Quốc hội",
    "bch": "Ban Chấp hành",
    "bct": "Bộ Chính trị",
    "tbt": "Tổng Bí thư",
    "ttxvn": "Thông tấn xã Việt Nam",
    "ubkt": "Ủy ban Kiểm tra",
    "xhcn": "xã hội chủ nghĩa",
    "dtts": "dân tộc thiểu số",
    "ntm": "nông thôn mới",
    "kcn": "khu công nghiệp",
    "cntt": "công nghệ thông tin",
    "gddt": "giáo dục và đào tạo",
    "htx": "hợp tác xã",
    "nsnn": "ngân sách nhà nước",
    "csgt": "cảnh sát giao thông",
    "atgt": "an toàn giao thông",
    "cnh": "công nghiệp hóa",
    "hdh": "hiện đại hóa",
    "bv": "bệnh viện",
    "gpmb": "giải phóng mặt bằng",
    "hlv": "huấn luyện viên",
    "tphcm": "Thành phố Hồ Chí Minh",
    "ctcp": "công ty cổ phần",
    "vdv": "vận động viên",
    "gtvt": "giao thông vận tải",
    # groups and bodies known by their letters (rt21: "EVN ủng hộ bao nhiêu tiền cho Sơn Mùa?"
    # against "Tập đoàn Điện lực Việt Nam ủng hộ 2 tỷ đồng")
    "evn": "Tập đoàn Điện lực Việt Nam",
    "pvn": "Tập đoàn Dầu khí Việt Nam",
    "tkv": "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam",
    "vnpt": "Tập đoàn Bưu chính Viễn thông Việt Nam",
    "vcci": "Liên đoàn Thương mại và Công nghiệp Việt Nam",
    "acv": "Tổng công ty Cảng hàng không Việt Nam",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "pccc": "phòng cháy, chữa cháy",
    "tngt": "tai nạn giao thông",
    "gplx": "giấy phép lái xe",
    "tthc": "thủ tục hành chính",
    "bdkh": "biến đổi khí hậu",
    "khcn": "khoa học và công nghệ",
    "nnptnt": "nông nghiệp và phát triển nông thôn",
    "tnmt": "tài nguyên và môi trường",
    "ldtbxh": "lao động - thương binh và xã hội",
    "vhttdl": "văn hóa, thể thao và du lịch",
    "sxkd": "sản xuất kinh doanh",
    "icu": "hồi sức tích cực",  # rt22: "Tòa nhà mới có bao nhiêu giường ICU?"
}
_TOKEN = re.compile(r"(?<![\w-])\w+(?:-\w+)*(?![\w-])")


def _key(token: str) -> str:
    return fold(token.lower()).replace("-", "")


def expand(text: str, used: Container[str], says: Callable[[str], bool]) -> str:
    """`text` with each abbreviation the articles do not use (`used`: their folded words) but
    spell out (`says` the phrase) replaced by the words it stands for. One they neither use
    nor spell out stays: "BHTN" asked of an article about health insurance asks about
    something it does not cover, and spelled out it would look like what it does."""
    def replaced(match: re.Match[str]) -> str:
        key = _key(match.group(0))
        if key not in EXPANSIONS or key in used or not says(EXPANSIONS[key]):
            return match.group(0)
        return EXPANSIONS[key]

    return _TOKEN.sub(replaced, text)


def spelled_out(word: str, searched: str) -> bool:
    """Whether `word` of the question is an abbreviation the `searched` text spells out instead
    ("BHYT" searched "bảo hiểm y tế"): no name to look for in the passage."""
    return _key(word) in EXPANSIONS and not re.search(rf"(?<!\w){re.escape(word)}(?!\w)",
                                                     searched, re.IGNORECASE)
