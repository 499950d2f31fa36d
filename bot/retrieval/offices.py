"""Offices and who holds them: whether a question asks who holds an office, which sentences
name it as asked (not its deputy), whether a passage names a holder at all, and the holder's
name for a short answer."""

from __future__ import annotations

import re
from itertools import groupby

from bot.corpus.text import fold, framed_words, words
from bot.retrieval.abbreviations import EXPANSIONS
from bot.retrieval.answer_type import capitalized_runs
from bot.retrieval.places import PLACES
from bot.retrieval.question import VI_SYLLABLE
from bot.retrieval.titles import TITLES

# Offices a deputy ("Phó") holds under the same name: the Deputy Prime Minister's line does not
# answer "Thủ tướng Chính phủ có tên là gì?" ("Who is the Prime Minister?"), nor the
# secretary's "Phó Bí thư Tỉnh ủy là ai?". Folded.
_OFFICES = re.compile(r"\b(?:thu tuong|chu tich|bo truong|bi thu|giam doc|chu nhiem|truong ban|"
                      r"thu truong|chanh van phong|chanh an|vien truong|hieu truong|cuc truong|"
                      # a team's head coach (rt20: "Ai là huấn luyện viên trưởng đội …?" was
                      # answered by a sentence naming no one)
                      r"huan luyen vien truong)\b")


# Offices and bodies in the Vietnamese that a list of officials writes, folded, longest first
# ("bo truong bo quoc phong" before "bo quoc phong").
_OFFICE_NAMES = sorted({fold(name).lower() for name in TITLES.values()}, key=len, reverse=True)


def _asks_holder(asked: str, office: str) -> bool:
    """Whether the folded question asks who holds `office` ("Phó Thủ tướng nào …", "ai là …",
    "Which …", "… là ai", "… tên là gì" right after it), not what its holder said ("Tổng Bí
    thư kêu gọi lớp người nào …")."""
    name = re.escape(office)
    return bool(re.search(rf"\b{name} nao\b|\b(?:which|ai la|who (?:is|was|are|were))"
                          rf"(?: the)?(?: pho)? {name}\b|\b{name} la ai\b"
                          rf"|^(?:the )?{name}\b.*\b(?:la ai|is who)$"
                          rf"|^{name} ten(?: la)? gi$", asked))


def office_holders(question: str, sentences: list[str]) -> list[int]:
    """The sentences naming every office or body `question` asks the holder of, as it names it
    (a deputy for a deputy, not the office itself): "Phó Thủ tướng nào có mặt?" is answered by
    "Hồ Đức Phớc, …, Phó Thủ tướng Chính phủ;", not by the list's opening "Tham dự buổi làm
    việc có …", which holds the question's other words. Empty when it asks of none, or no
    sentence names them."""
    asked = fold(question).lower().strip(" ?!.")
    named: list[str] = []
    for office in [*_OFFICE_NAMES, *_OFFICES.findall(asked)]:
        if _asks_holder(asked, office) and not any(office in n for n in named):
            named.append(office)
    if not named:
        return []
    return [i for i, sentence in enumerate(sentences)
            if all(_names_office_as_asked(asked, fold(sentence).lower(), office)
                   for office in named)]


def _names_office_as_asked(asked: str, text: str, office: str) -> bool | None:
    """Whether folded `text` names `office` as the folded question `asked` does: its deputy
    ("phó …") when it asks the deputy, the office itself otherwise; None when it never names
    the office at all."""
    deputy = bool(re.search(rf"\bpho {office}\b", asked))
    said = [text.endswith("pho ", 0, m.start()) for m in re.finditer(rf"\b{office}\b", text)]
    if not said:
        return None
    return any(said) if deputy else not all(said)


# Vietnamese family names, folded: a run of capitals holding one before another word names a
# person ("Vũ Minh Khôi", "Tô Lâm"); "Bộ Giáo dục", "Ủy ban" name none.
_FAMILY_NAMES = frozenset(fold(name).lower() for name in """
    Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh
    Trương Lâm Phùng Mai Tô Hà Tạ Cao Lương Đinh Quách Thái Châu Lại Lò Giàng Vàng Mùa Sùng Thào
    Cầm Lưu Tăng Triệu Kiều Khúc Chu Diệp Doãn Hứa La Lục Mạc Nông Tôn Văn Viên Âu Đàm Khổng Kim
    Quan Tòng Lường Hầu Ninh Thân Từ Bạch Giáp Ông Quản Trình""".split())


# Letters only Vietnamese writes: "Maizière" and "José" are foreign names, "Quốc" is not.
_ONLY_VIETNAMESE = frozenset("đăơưạảãẹẻẽịỉĩọỏõụủũỳỵỷỹấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữự")
# The particles inside foreign names ("Lothar de Maizière").
_PARTICLES = frozenset("de van von der den da di du del la le bin ibn al el".split())


def _foreign(word: str) -> bool:
    return not any(ch in _ONLY_VIETNAMESE for ch in word.lower())


def _capital_runs(text: str) -> list[list[str]]:
    """Capitalized words in a row, through the particles of foreign names."""
    runs: list[list[str]] = [[]]
    tokens = text.split()
    for i, token in enumerate(tokens):
        word = token.strip(".,;:!?()\"'“”")
        joined = (word in _PARTICLES and runs[-1] and i + 1 < len(tokens)
                  and tokens[i + 1][:1].isupper())
        if word[:1].isupper() and word[:1].isalpha():
            runs[-1].append(word)
        elif not joined:
            runs.append([])
        if token != word and not joined:  # punctuation ends a run
            runs.append([])
    return [run for run in runs if run]


def _names_a_person(text: str) -> bool:
    """Whether `text` holds a person's name: a family name, then another capital ("Vũ Minh
    Khôi"), or capitals in a row that Vietnamese does not write ("Hoesung Lee", "Lothar de
    Maizière"; an acronym alone, "IPCC", names a body)."""
    for start, end in capitalized_runs(text, least=2):
        typed = text[start:end].split()
        if any(fold(word).lower() in _FAMILY_NAMES for word in typed[:-1]):
            return True
    for typed in _capital_runs(text):
        # words in a row Vietnamese does not write: "Hoesung Lee" of "Hàn Quốc Hoesung Lee"
        for foreign, group in groupby(typed, key=_foreign):
            found = list(group)
            if foreign and len(found) >= 2 and not all(map(str.isupper, found)):
                return True
    return False


def _offices_asked(asked: str) -> list[str]:
    """The offices (named or generic) whose holder the folded question asks for."""
    return [office for office in {*_OFFICE_NAMES, *_OFFICES.findall(asked)}
            if office in asked and _asks_holder(asked, office)]


# Words that end the office a question names ("Giám đốc Sở Du lịch Huế là ai?").
_OFFICE_END = {"la", "nao", "ai", "hien", "nay", "cua", "ten", "is", "was", "who", "o", "tai",
               "dau", "moi", "cu", "truoc", "sau", "nam", "khi"}  # "chủ tịch đầu tiên của …"
# Where the place of an office starts ("Chủ tịch UBND tỉnh Lai Châu", "… thành phố Huế"), not
# the body's own name ("Tỉnh ủy", "Huyện ủy").
_PLACE_START = re.compile(r"^(?:tinh|huyen|thanh pho|tp|xa|phuong)\b(?! (?:uy|hoi)\b)")
_FOLDED_PLACES = tuple(sorted((fold(name).lower() for name in PLACES), key=len, reverse=True))
# The office's own words and its body's are enough to know it ("giám đốc sở du lịch", "chủ
# tịch hội đồng nhân dân", not "… hội đồng lý luận"); its place may be written otherwise.
OFFICE_WORDS = 5
_EXPANDED = {key: fold(words_).lower() for key, words_ in EXPANSIONS.items()}


def _spelled_out(text: str) -> str:
    """Folded `text` framed by spaces, its abbreviations written out ("hdnd": "hoi dong nhan
    dan"): a passage's "Chủ tịch HĐND tỉnh" names the office asked in full."""
    return framed_words(" ".join(_EXPANDED.get(word, word) for word in words(fold(text))))


def office_asked(question: str) -> str | None:
    """The office a question asks who holds, folded and framed by spaces, without its place
    (" giam doc so du lich "); None when it asks of none."""
    asked = fold(question).lower().strip(" ?!.")
    match = _OFFICES.search(asked)
    if match is None or not _offices_asked(asked):
        return None
    named = ["pho"] if asked[:match.start()].endswith("pho ") else []  # a deputy asked
    rest = _spelled_out(asked[match.start():]).split()
    for at, word in enumerate(rest):
        following = " ".join(rest[at:])
        # an English word ends it too: "Which Phó Thủ tướng attended …?" asks no body
        if (word in _OFFICE_END or len(named) >= OFFICE_WORDS or not VI_SYLLABLE.match(word)
                or (named and (_PLACE_START.match(following)
                               or following.startswith(_FOLDED_PLACES)))):
            break
        named.append(word)
    return f" {' '.join(named)} "


# The first word of a body after an office's title ("Chủ tịch Hội đồng …", "Giám đốc Sở …"):
# a title followed by another word ("HLV trưởng Kim Sang-sik", "Giám đốc Nguyễn Văn A") may
# be of the body asked.
_BODY_HEADS = {"hoi", "so", "bo", "uy", "ban", "cong", "tap", "hoc", "vien", "truong", "cuc",
               "tong", "ngan", "benh", "trung", "doi", "mat", "toa", "chi", "phong", "quy", "quoc"}


def office_unnamed(question: str, passage: str) -> bool:
    """Whether the question asks who holds an office of a body that `passage` names only as
    another body's: "Chủ tịch Hội đồng nhân dân tỉnh Điện Biên là ai?" and a list of
    officials naming the "Chủ tịch Hội đồng Lý luận Trung ương"."""
    office = office_asked(question)
    match = _OFFICES.search(office or "")
    if office is None or match is None or match.end() + 1 >= len(office):
        return False  # no body asked ("Ai là Bí thư?")
    if names_office_asked(office, passage):
        return False
    title, text = f" {match.group(0)} ", _spelled_out(passage)
    heads = [text[at + len(title):].split(" ", 1)[0] for at in _named_itself(title, text)]
    return bool(heads) and all(head in _BODY_HEADS for head in heads)


def _named_itself(office: str, text: str) -> list[int]:
    """Where spelled-out `text` names `office` (framed by spaces) itself, not as its deputy's
    ("Phó Giám đốc …", "Thứ trưởng" for "Bộ trưởng")."""
    return [m.start() for m in re.finditer(re.escape(office), text)
            if not text[:m.start()].endswith((" pho", " thu"))]


def names_office_asked(office: str, passage: str) -> bool:
    """Whether `passage` names the `office` (from `office_asked`) itself, not its deputy
    ("Phó Giám đốc Sở Du lịch", "Thứ trưởng" for "Bộ trưởng")."""
    return bool(_named_itself(office, _spelled_out(passage)))


# A person's name asked ("Tài xế xe tải … tên là gì?", "Tên bé gái … là gì?"): the name asked
# for (folded) and someone it is asked of, with marks (folded, "chữ" and "có" would be "chủ"
# and "cô"; a question typed without them is read restored).
_ASKS_NAME = re.compile(r"\bten\b(?:.*\bla gi\b| gi\b)|\bho ten\b")
_PERSON = re.compile(r"\b(?:tài xế|nạn nhân|bé|cháu|ông|bà|anh|chị|người|bị cáo|chủ|cô|thầy|"
                     r"bác sĩ|cầu thủ|vận động viên|học sinh|bệnh nhân|nghi phạm|đối tượng)\b")


def person_unnamed(question: str, passage: str) -> bool:
    """Whether the question asks a person's name ("Tên bé gái 7 tuổi bị nạn là gì?") and the
    passage names no one: "… thi thể nạn nhân thứ 6 là một bé gái 7 tuổi" does not say it."""
    return (bool(_ASKS_NAME.search(fold(question).lower()))
            and bool(_PERSON.search(question.lower())) and not _names_a_person(passage))


def holder_unnamed(question: str, sentences: list[str]) -> bool:
    """Whether the question asks who holds an office ("Bộ trưởng Bộ Giáo dục và Đào tạo là
    ai?", "Bí thư Tỉnh ủy Quảng Ninh là ai?") and the passage (its `sentences`) names no one
    where it names the office, or never names the office: "Bộ trưởng … đã gửi thư khen …"
    mentions the office, not its holder, "Ông Vũ Minh Khôi nhấn mạnh …" beside it is another
    office's, and a verdict naming the defendants gives no "Chánh án"."""
    asked = fold(question).lower().strip(" ?!.")
    offices = _offices_asked(asked)
    if not offices:
        return False
    naming = [sentence for sentence in sentences
              if any(_names_office_as_asked(asked, fold(sentence).lower(), office)
                     for office in offices)]
    return not any(map(_names_a_person, naming))


def _people(text: str) -> list[tuple[int, int]]:
    """Spans of the Vietnamese persons' names in `text`: from a family name to the end of its
    run of capitals, two words at least ("Trần Quốc Cường" of "Điện Biên Trần Quốc Cường"),
    and no place ("Hà Nội", "Học viện … Hồ Chí Minh")."""
    found = []
    for start, end in capitalized_runs(text, least=2):
        at = start
        for word in text[start:end].split():
            if fold(word).lower() in _FAMILY_NAMES and len(text[at:end].split()) >= 2:
                if text[at:end] not in PLACES:
                    found.append((at, end))
                break
            at += len(word) + 1
    return found


# What may stand between a holder's name and the office after it: "Lê Minh Hưng, Trưởng Ban
# …", "Nguyễn Văn Hùng (52 tuổi, trú …), Giám đốc …"; and between an office and the name after
# it, the body it heads ("Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường").
_NAME_THEN_OFFICE = re.compile(r"\s*(?:\([^()]{0,80}\))?\s*,(?:[^,;.()]{1,40},){0,2}\s*$")
_OFFICE_THEN_NAME = re.compile(r"[^,;.()]{0,40}$")


def holder_name(question: str, sentence: str) -> tuple[int, int] | None:
    """The span of `sentence` naming who holds the office the question asks about ("Ai là Bí
    thư Tỉnh ủy Điện Biên?" → "Trần Quốc Cường"), when exactly one person stands right beside
    the office as asked, before it ("Lê Minh Hưng, Trưởng Ban …") or after it."""
    asked = fold(question).lower().strip(" ?!.")
    text = fold(sentence).lower()
    if len(text) != len(sentence):
        return None
    asked_offices = _offices_asked(asked)
    # the office as the question names it whole: "bộ trưởng bộ quốc phòng", not "bộ trưởng"
    offices = [office for office in asked_offices
               if not any(office != other and office in other for other in asked_offices)]
    deputy = {office: bool(re.search(rf"\bpho {office}\b", asked)) for office in offices}
    people = _people(sentence)
    found = set()
    for office in offices:
        for match in re.finditer(rf"\b{office}\b", text):
            if text.endswith("pho ", 0, match.start()) != deputy[office]:
                continue
            for start, end in people:
                if ((end <= match.start() and _NAME_THEN_OFFICE.match(sentence[end:match.start()]))
                        or (start >= match.end()
                            and _OFFICE_THEN_NAME.fullmatch(sentence[match.end():start]))):
                    found.add((start, end))
    return found.pop() if len(found) == 1 else None


def deputy_mismatch(question: str, passage: str) -> bool:
    """Whether the question asks for an office (or its deputy) that the passage names only as
    its deputy (or only as the office itself)."""
    asked, text = fold(question).lower(), fold(passage).lower()
    return any(_names_office_as_asked(asked, text, office) is False
               for office in set(_OFFICES.findall(asked)))
