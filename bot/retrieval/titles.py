"""Vietnamese public offices and bodies as English questions name them ("Minister of Public
Security" for "Bộ trưởng Bộ Công an"): an English question naming one is searched with the
Vietnamese name in its place, as a mixed question."""

from __future__ import annotations

import re

from bot.corpus.text import fold

# English names as news in English writes them, lower-cased; only offices and bodies with one
# Vietnamese name in public-affairs news. The multilingual model alone does not tell them
# apart in a list of officials ("Who is the Minister of Public Security?" highlighted the
# Deputy Prime Minister); longer names are matched first ("Deputy Prime Minister" before
# "Prime Minister").
TITLES = {
    "general secretary": "Tổng Bí thư",
    "politburo": "Bộ Chính trị",
    "party central committee": "Ban Chấp hành Trung ương Đảng",
    "central committee": "Trung ương Đảng",
    "secretariat": "Ban Bí thư",
    "secretary of the party central committee": "Bí thư Trung ương Đảng",
    "prime minister": "Thủ tướng",
    # a company's and a court's heads, as business and court news name them
    "ceo": "Tổng Giám đốc",
    "chief executive officer": "Tổng Giám đốc",
    "chief executive": "Tổng Giám đốc",
    "general director": "Tổng Giám đốc",
    "chief judge": "Chánh án",
    "presiding judge": "Thẩm phán chủ tọa",
    "deputy prime minister": "Phó Thủ tướng",
    "president of vietnam": "Chủ tịch nước",
    "state president": "Chủ tịch nước",
    "national assembly": "Quốc hội",
    "chairman of the national assembly": "Chủ tịch Quốc hội",
    "vice chairman of the national assembly": "Phó Chủ tịch Quốc hội",
    "deputy chairman of the national assembly": "Phó Chủ tịch Quốc hội",
    "minister of national defence": "Bộ trưởng Bộ Quốc phòng",
    "minister of national defense": "Bộ trưởng Bộ Quốc phòng",
    "minister of defence": "Bộ trưởng Bộ Quốc phòng",
    "minister of defense": "Bộ trưởng Bộ Quốc phòng",
    "defence minister": "Bộ trưởng Bộ Quốc phòng",
    "defense minister": "Bộ trưởng Bộ Quốc phòng",
    "minister of public security": "Bộ trưởng Bộ Công an",
    "public security minister": "Bộ trưởng Bộ Công an",
    "ministry of public security": "Bộ Công an",
    "ministry of national defence": "Bộ Quốc phòng",
    "ministry of national defense": "Bộ Quốc phòng",
    "central inspection commission": "Ủy ban Kiểm tra Trung ương",
    # its head is "Chủ nhiệm", not "Chủ tịch" (rt19: "Who is the Chairman of the Central
    # Inspection Commission?" was refused beside "Nguyễn Duy Ngọc, Chủ nhiệm Ủy ban …")
    "chairman of the central inspection commission": "Chủ nhiệm Ủy ban Kiểm tra Trung ương",
    "head of the central inspection commission": "Chủ nhiệm Ủy ban Kiểm tra Trung ương",
    "head of the central organisation commission": "Trưởng Ban Tổ chức Trung ương",
    "head of the central organization commission": "Trưởng Ban Tổ chức Trung ương",
    "central organisation commission": "Ban Tổ chức Trung ương",
    "central organization commission": "Ban Tổ chức Trung ương",
    "central theoretical council": "Hội đồng Lý luận Trung ương",
    "ho chi minh national academy of politics": "Học viện Chính trị Quốc gia Hồ Chí Minh",
    "office of the party central committee": "Văn phòng Trung ương Đảng",
    "provincial party committee": "Tỉnh ủy",
    "provincial party secretary": "Bí thư Tỉnh ủy",
    "secretary of the provincial party committee": "Bí thư Tỉnh ủy",
    "party secretary": "Bí thư",
    "people's committee": "Ủy ban nhân dân",
    "provincial people's committee": "Ủy ban nhân dân tỉnh",
    "chairman of the provincial people's committee": "Chủ tịch Ủy ban nhân dân tỉnh",
    "provincial people's council": "Hội đồng nhân dân tỉnh",
    "chairman of the provincial people's council": "Chủ tịch Hội đồng nhân dân tỉnh",
    "people's council": "Hội đồng nhân dân",
    "fatherland front": "Mặt trận Tổ quốc",
}
# The ministries (those of 2025, then the names they replaced, which older articles write), as
# "Ministry of …" and "Minister of …"; the English "Minister of Science and Technology" was
# searched as English words, and the question refused.
_MINISTRIES = {
    "foreign affairs": "Bộ Ngoại giao",
    "home affairs": "Bộ Nội vụ",
    "justice": "Bộ Tư pháp",
    "finance": "Bộ Tài chính",
    "industry and trade": "Bộ Công Thương",
    "agriculture and environment": "Bộ Nông nghiệp và Môi trường",
    "construction": "Bộ Xây dựng",
    "culture, sports and tourism": "Bộ Văn hóa, Thể thao và Du lịch",
    "science and technology": "Bộ Khoa học và Công nghệ",
    "education and training": "Bộ Giáo dục và Đào tạo",
    "health": "Bộ Y tế",
    "ethnic and religious affairs": "Bộ Dân tộc và Tôn giáo",
    "planning and investment": "Bộ Kế hoạch và Đầu tư",
    "transport": "Bộ Giao thông vận tải",
    "information and communications": "Bộ Thông tin và Truyền thông",
    "labour, invalids and social affairs": "Bộ Lao động - Thương binh và Xã hội",
    "natural resources and environment": "Bộ Tài nguyên và Môi trường",
    "agriculture and rural development": "Bộ Nông nghiệp và Phát triển nông thôn",
}
TITLES.update({f"ministry of {english}": body for english, body in _MINISTRIES.items()})
TITLES.update({f"minister of {english}": f"Bộ trưởng {body}"
               for english, body in _MINISTRIES.items()})
# A province's departments ("Sở"), named as the ministries are, and their heads (rt23: "Who
# heads Ha Tinh's Department of Finance?" was searched in English words and got a paragraph
# on public investment).
_DEPARTMENTS = {**{english: "Sở " + body.removeprefix("Bộ ")
                   for english, body in _MINISTRIES.items()},
                "tourism": "Sở Du lịch", "foreign affairs": "Sở Ngoại vụ"}
TITLES.update({f"department of {english}": body for english, body in _DEPARTMENTS.items()})
TITLES.update({f"{english} department": body for english, body in _DEPARTMENTS.items()})
TITLES.update({f"director of the department of {english}": f"Giám đốc {body}"
               for english, body in _DEPARTMENTS.items()})
TITLES.update({f"deputy director of the department of {english}": f"Phó Giám đốc {body}"
               for english, body in _DEPARTMENTS.items()})
TITLES.update({"foreign minister": "Bộ trưởng Bộ Ngoại giao",
               "finance minister": "Bộ trưởng Bộ Tài chính",
               "health minister": "Bộ trưởng Bộ Y tế",
               "state bank of vietnam": "Ngân hàng Nhà nước Việt Nam",
               "governor of the state bank of vietnam": "Thống đốc Ngân hàng Nhà nước",
               "government inspectorate": "Thanh tra Chính phủ",
               "government office": "Văn phòng Chính phủ"})

# "Dien Bien's provincial party secretary": the owner goes after the office, as Vietnamese
# writes it ("Bí thư Tỉnh ủy Dien Bien"); left before it, "Dien Bien's Bí" read as one name
# no article writes. Names are capitalized: matched case-sensitively inside.
_OWNER = r"(?:(?P<owner>(?-i:[A-ZĐ][\w-]*(?: [A-ZĐ][\w-]*){0,2}))['’]s )?"
_TITLE = re.compile(_OWNER + r"\b(?P<title>" + "|".join(
    re.escape(name).replace("'", "['’]") for name in sorted(TITLES, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
# A province's party secretary, its place named between ("the Secretary of the Dien Bien
# Provincial Party Committee", "the Party Secretary of Dien Bien province"): Vietnamese puts the
# place after the office ("Bí thư Tỉnh ủy Điện Biên").
_PLACE = r"(?P<place>(?-i:(?:[A-ZĐ][\w'’-]* ){1,3}))"
_PROVINCE_SECRETARY = re.compile(
    rf"\b(?:the )?secretary of the {_PLACE}provincial party committee\b"
    rf"|\b(?:the )?party secretary of {_PLACE.replace('place', 'of_place')}province\b",
    re.IGNORECASE)

# A province's People's Committee or Council and its head, the province named between ("the
# chairman of the Dong Thap Provincial People's Committee"): Vietnamese puts the province after
# the body ("Chủ tịch Ủy ban nhân dân tỉnh Dong Thap"). rt23's question was searched "the
# chairman of the Dong Thap Provincial Ủy ban nhân dân" and refused.
_PROVINCIAL_HEADS = {"chairman": "Chủ tịch", "chairwoman": "Chủ tịch", "chair": "Chủ tịch",
                     "vice chairman": "Phó Chủ tịch", "vice-chairman": "Phó Chủ tịch",
                     "vice chairwoman": "Phó Chủ tịch", "deputy chairman": "Phó Chủ tịch"}
_PROVINCIAL_BODIES = {"people's committee": "Ủy ban nhân dân tỉnh",
                      "people's council": "Hội đồng nhân dân tỉnh"}
_PROVINCIAL_BODY = re.compile(
    r"\b(?:the )?(?:(?P<head>" + "|".join(sorted(_PROVINCIAL_HEADS, key=len, reverse=True))
    + rf") of the )?{_PLACE.replace('place', 'body_place')}provincial "
    r"(?P<body>people['’]s (?:committee|council))\b", re.IGNORECASE)


def _provincial_body(match: re.Match[str]) -> str:
    body = _PROVINCIAL_BODIES[match["body"].lower().replace("’", "'")]
    head = _PROVINCIAL_HEADS[match["head"].lower()] + " " if match["head"] else ""
    return f"{head}{body} {match['body_place'].strip()}"


# Owners the Vietnamese name implies: "the Party's Central Organization Commission" is "Ban Tổ
# chức Trung ương" (left after it, "Party" read as a name no article writes, and the question
# was refused).
_IMPLIED_OWNERS = {"party", "communist party", "vietnam", "viet nam", "vietnamese"}


def _vietnamese(match: re.Match[str]) -> str:
    """The Vietnamese name of the office `match` found, its owner after it; the match itself
    when its letters are no key ("PRİME MİNİSTER": "İ" matches "i" only ignoring case)."""
    title = TITLES.get(fold(match["title"]).lower().replace("’", "'"))
    if title is None:
        return match.group(0)
    owner = match["owner"]
    return f"{title} {owner}" if owner and owner.lower() not in _IMPLIED_OWNERS else title


def with_vietnamese_titles(question: str) -> str:
    """`question` with the offices and bodies it names in English written in Vietnamese
    ("Who is the Bộ trưởng Bộ Công an?"): as English words, capitalized, they would count as
    names no article writes."""
    question = _PROVINCE_SECRETARY.sub(
        lambda match: f"Bí thư Tỉnh ủy {(match['place'] or match['of_place']).strip()}", question)
    question = _PROVINCIAL_BODY.sub(_provincial_body, question)
    return _TITLE.sub(_vietnamese, question)
