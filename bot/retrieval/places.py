"""Vietnam's provinces and centrally governed cities by name: one typed without its marks
("ti le ho ngheo cua lai chau") or spelled the English way ("Lai Chau") is read as the name it
is, so a question about a province the articles never mention is not answered with theirs."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.corpus.text import fold, framed_words

# The provinces and cities before the 2025 mergers (the names the merged ones kept are among
# them), and "Sài Gòn". Left out: names that are also common words typed without marks: "hòa
# bình" (peace), "thái bình" ("Thái Bình Dương", the Pacific), "cao bằng" (as high as). Others
# fold into common words too ("hai duong": "hai đường", "da nang": "đa năng", "son la": "sơn
# là"), so one typed in lower case counts only after a word that leads to a place (`_LEADS`)
# or first in the question.
PLACES = (
    "An Giang", "Bà Rịa", "Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Đà Nẵng",
    "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Sài Gòn",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
_BY_FOLDED = {fold(name).lower(): name for name in PLACES}
# "của Lai Châu", "tỉnh Sơn La", "ở Hà Giang", "Hà Giang và Lai Châu", folded.
_LEADS = re.compile(r"\b(?:cua|tinh|thanh pho|tp|o|tai|den|ve|va|voi|so voi|con|nhu)\s+$")
_FOLDED = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _BY_FOLDED), key=len, reverse=True))
                     + r")\b", re.IGNORECASE)


# Each province as written with its marks, in any case: "quảng ngãi" in a restored question.
_WRITTEN = {name: re.compile(rf"(?<!\w){re.escape(name.lower())}(?!\w)") for name in PLACES}


def places_written(text: str) -> list[str]:
    """The provinces `text` writes with their marks, in any case ("chủ tịch ubnd tỉnh quảng
    ngãi là ai" writes Quảng Ngãi), in the order of `PLACES`."""
    lowered = text.lower()
    return [name for name, pattern in _WRITTEN.items() if pattern.search(lowered)]


def unknown_places(question: str, says: Callable[[str], bool],
                   capitalized_only: bool = False) -> list[str]:
    """The provinces `question` types without their marks ("lai chau", "Lai Chau") that the
    articles do not write (`says`), as their names ("Lai Châu"): names the question gives and
    no article has. One the articles write stays as typed, searched and weighed as before.
    `capitalized_only`: in an English question a lower-case word is English."""
    found = []
    for match in _FOLDED.finditer(question):
        typed = match.group(0)
        if typed != fold(typed) or says(typed):
            continue  # typed with its marks, or written by the articles
        capitalized = all(word[0].isupper() for word in typed.split())
        if not capitalized and (capitalized_only or not (
                _LEADS.search(question[:match.start()].lower())
                or not question[:match.start()].strip())):
            continue
        found.append(_BY_FOLDED[typed.lower()])
    return found


def spelled(text: str, names: list[str]) -> str:
    """`text` with each of `names` written in it without (or with wrong) marks ("lại chau",
    as the restorer reads "lai chau") spelled as the name."""
    folded = fold(text).lower()
    if not names or len(folded) != len(text):
        return text
    for name in names:
        key = re.escape(fold(name).lower())
        for match in reversed(list(re.finditer(rf"\b{key}\b", folded))):
            text = text[:match.start()] + name + text[match.end():]
    return text


def named_places(folded_names: list[str]) -> set[str]:
    """The provinces among names given folded and lower-case ("gia lai", "dien bien")."""
    return {_BY_FOLDED[name] for name in folded_names if name in _BY_FOLDED}


# A sentence giving the figure of several provinces together: "các địa phương đã sơ tán
# 41.850 hộ dân", "toàn vùng", "cả ba tỉnh".
_TOGETHER = re.compile(r"\b(?:các địa phương|các tỉnh|toàn vùng|cả (?:hai|ba|bốn|năm) tỉnh)\b")


def figure_of_elsewhere(asked: set[str], passage: str, title: str, sentence: str) -> bool:
    """Whether the highlighted `sentence` of a `passage` about several provinces gives no
    figure of the ones `asked`: it names only others, adds several up ("các địa phương …"),
    or names none in an article whose `title` is not about them ("Đắk Lắk có bao nhiêu nhà
    bị tốc mái?" against a storm report's "có 3.246 ngôi nhà bị tốc mái")."""
    said = set(places_written(sentence))
    if not asked or said & asked or len(set(places_written(f"{passage}\n{title}"))) < 2:
        return False
    return (bool(said) or bool(_TOGETHER.search(sentence.lower()))
            or not asked <= set(places_written(title)))


# Where goods go or someone travels, named after the verb: "xuất khẩu … sang Mỹ", "sang thị
# trường Nhật Bản", "đến Hà Nội". Typed with capitals; the name's words run on while capitalized.
_DESTINATION = re.compile(r"\b(?:sang|tới|đến|vào)\s+(?:thị trường\s+)?"
                          r"([A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*)*)")


# The same in English ("How much durian did Dak Lak export to Japan?"), for the markets news
# names, with the words Vietnamese writes for them (folded); a market not listed is not judged.
# The question is read as searched, "export" written "xuất khẩu" by the glossary.
_ENGLISH_DESTINATION = re.compile(r"\b(?:export|exports|exported|exporting|ship|shipped|sold|"
                                  r"sell|sells|xuất khẩu)\b[^.?!]*?\b(?:to|into) (?:the )?"
                                  r"([A-Z][A-Za-z]*(?: [A-Z][a-z]*)?)")
_MARKETS = {
    "Japan": ("nhat ban",), "China": ("trung quoc",), "Korea": ("han quoc",),
    "South Korea": ("han quoc",), "US": ("my", "hoa ky"), "USA": ("my", "hoa ky"),
    "United States": ("my", "hoa ky"), "America": ("my", "hoa ky"), "Germany": ("duc",),
    "France": ("phap",), "Italy": ("italy", "y"), "Belgium": ("bi",), "Netherlands": ("ha lan",),
    "Russia": ("nga",), "India": ("an do",), "Thailand": ("thai lan",),
    "Philippines": ("philippines", "philippin"), "Malaysia": ("malaysia",),
    "Indonesia": ("indonesia",), "Singapore": ("singapore",), "Australia": ("uc", "australia"),
    "Britain": ("anh",), "Taiwan": ("dai loan",), "Cambodia": ("campuchia",), "Laos": ("lao",),
    "Europe": ("chau au", "eu"), "EU": ("eu", "chau au"),
}


def destination_unsaid(question: str, passage: str) -> bool:
    """Whether the question names where something goes ("… bao nhiêu cà phê sang Mỹ?", "export
    to Japan") and the passage never writes it: its figure is the total or another market's
    (rt20 got the province's whole coffee export)."""
    written = framed_words(passage)
    if any(framed_words(name) not in written for name in _DESTINATION.findall(question)):
        return True
    return any(not any(f" {word} " in written for word in _MARKETS[name])
               for name in _ENGLISH_DESTINATION.findall(question) if name in _MARKETS)
