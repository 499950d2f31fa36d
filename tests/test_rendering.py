"""Every kind of answer, rendered by all three front ends from hand-built `Answer`s (no model):
plain text (`qabot ask`), rich (the REPL) and Telegram HTML."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from rich.console import Console

from bot.frontends.presentation import NO_ANSWER, NO_PASSAGES, present
from bot.frontends.render_text import format_answer
from bot.frontends.repl import render_answer
from bot.frontends.telegram.bot import SLOW_DOWN
from bot.frontends.telegram.render import (
    MESSAGE_LIMIT,
    inline_html,
    message_html,
    plain_summary,
    render_messages,
)
from bot.retrieval.answer import Answer, Passage, ShortAnswer

TOURISM = "Điện Biên đón nhiều khách du lịch."
POVERTY = "Tỉ lệ hộ nghèo năm 2025 còn 17,66%."
BUDGET = "Thu ngân sách đạt 17.970 tỷ đồng."
TRADE = "Kinh tế cửa khẩu phát triển."
ARTICLE = " ".join([TOURISM, POVERTY, BUDGET, POVERTY, TRADE])


def passage(quote: str, highlight: str, occurrence: int = 0, source_text: str = ARTICLE,
            name: str = "dien-bien.txt", score: float = 2.0, caption: bool = False) -> Passage:
    """A passage quoting `quote` from `source_text`, highlighting the `occurrence`-th copy of
    `highlight` inside it (the test finds it once; the renderers must use the offsets)."""
    start = source_text.index(quote)
    at = start - 1
    for _ in range(occurrence + 1):
        at = source_text.index(highlight, at + 1)
    return Passage(quote, name, 4, start, start + len(quote), score, highlight,
                   highlight_start=at, highlight_end=at + len(highlight), caption=caption)


ANSWERED = Answer("Tỉ lệ hộ nghèo năm 2025?", True,
                  [passage(f"{TOURISM} {POVERTY}", POVERTY),
                   passage(BUDGET, BUDGET, score=1.0)],
                  "Tỉ lệ hộ nghèo năm 2025?")
REFUSED = Answer("Ai vô địch World Cup 2022?", False,
                 [passage(f"{TOURISM} {POVERTY}", POVERTY)],
                 "Ai vô địch World Cup 2022?")
NOTHING = Answer("Câu hỏi?", False, [], "Câu hỏi?")


class TelegramHTML(HTMLParser):
    """Checks that a message only uses the tags the bot sends, all closed, and keeps its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text = ""
        self.quoted = ""
        self.bold: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in {"b", "i", "blockquote"}, tag
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text += data
        if "blockquote" in self.open:
            self.quoted += data
        if "b" in self.open:
            self.bold.append(data)


def parse(html: str) -> TelegramHTML:
    assert len(html) <= MESSAGE_LIMIT
    checker = TelegramHTML()
    checker.feed(html)
    checker.close()
    assert not checker.open
    return checker


def rich(answer: Answer, color: bool = False) -> str:
    out = io.StringIO()
    console = Console(file=out, width=160, color_system="standard" if color else None,
                      force_terminal=color)
    console.print(render_answer(answer))
    return out.getvalue()


def telegram(answer: Answer) -> list[str]:
    messages = render_messages(present(answer))
    for html in messages:
        parse(html)
    return messages


def test_answered_question_shows_the_highlight_and_the_place_in_every_front_end() -> None:
    plain, repl, (html,) = format_answer(ANSWERED), rich(ANSWERED), telegram(ANSWERED)
    assert "[1] dien-bien.txt · đoạn 4 (ký tự 0–70, điểm 2.00)" in plain
    assert "  → Tỉ lệ hộ nghèo năm 2025 còn 17,66%." in plain
    assert "[2] dien-bien.txt · đoạn 4" in plain
    assert "[1] dien-bien.txt · đoạn 4" in repl and "●●●●●" in repl and "●●○○○" in repl
    assert "<i>[1] dien-bien.txt · đoạn 4</i> ●●●●●" in html
    assert "<b>Tỉ lệ hộ nghèo năm 2025 còn 17,66%.</b>" in html
    for text in (plain, repl, html):
        assert "không nói" not in text and "yếu" not in text and "tìm theo" not in text


def test_a_highlight_that_is_the_whole_passage_is_not_bolded() -> None:
    (html,) = telegram(ANSWERED)
    assert "<b>Thu ngân sách" not in html
    assert format_answer(ANSWERED).count("  → ") == 1


def test_refused_answer_says_so_and_marks_the_closest_passages_weak() -> None:
    plain, repl, (html,) = format_answer(REFUSED), rich(REFUSED), telegram(REFUSED)
    assert "Các bài viết không nói về điều này. (The articles don't say.)" in plain
    assert "[1] dien-bien.txt · đoạn 4 · yếu" in plain and "→" not in plain
    assert "Các bài viết không nói về điều này. (The articles don't say.)" in repl
    assert "Những đoạn gần nhất (yếu / weak):" in repl and "· yếu" in repl
    assert html.startswith("Các bài viết không nói về điều này. <i>(The articles don't say.)"
                           "</i>\nNhững đoạn gần nhất (yếu / weak):")
    assert "· yếu</i>" in html and "<b>" not in html


def test_answer_without_passages_says_nothing_was_found() -> None:
    plain, repl, messages = format_answer(NOTHING), rich(NOTHING), telegram(NOTHING)
    assert "Không tìm thấy đoạn nào. (Nothing found.)" in plain
    assert "Không tìm thấy đoạn nào. (Nothing found.)" in repl
    assert messages == [message_html(NO_PASSAGES)]
    assert "không nói" not in plain + repl


def test_restored_diacritics_are_shown_as_what_was_searched() -> None:
    answer = Answer("ti le ho ngheo", True, ANSWERED.passages, "tỉ lệ hộ nghèo")
    assert "(tìm theo: tỉ lệ hộ nghèo)" in format_answer(answer)
    assert "tìm theo: tỉ lệ hộ nghèo" in rich(answer)
    assert telegram(answer)[0].startswith("<i>tìm theo: tỉ lệ hộ nghèo</i>")


@pytest.mark.parametrize("searched", ["tỉ lệ hộ nghèo", "Tỉ lệ  hộ nghèo", "hộ nghèo"])
def test_searching_the_question_itself_or_its_end_shows_no_searched_line(searched: str) -> None:
    answer = Answer("Tỉ lệ hộ nghèo", True, ANSWERED.passages, searched)
    assert answer.searched_for is None
    assert "tìm theo" not in format_answer(answer) + rich(answer) + telegram(answer)[0]


def test_a_note_is_shown_above_the_passages() -> None:
    note = "the question was cut to its last 512 characters (too long to read)"
    answer = Answer("x" * 600, True, ANSWERED.passages, "x" * 512, note=note)
    assert f"(lưu ý: {note})" in format_answer(answer)
    assert f"lưu ý: {note}" in rich(answer)
    assert f"<i>lưu ý: {note}</i>" in telegram(answer)[0]


def test_a_huge_question_is_echoed_by_its_end_only() -> None:
    pasted = "đầu " * 10_000 + "Tỉ lệ hộ nghèo?"
    shown = format_answer(Answer(pasted, True, ANSWERED.passages, "Tỉ lệ hộ nghèo?"))
    assert "…" + pasted[-300:] in shown and len(shown) < 3000  # it was echoed whole
    assert present(ANSWERED).question == ANSWERED.question  # a short one stays whole


def test_short_answer_leads_the_answer_in_every_front_end() -> None:
    start = ARTICLE.index("17.970 tỷ đồng")
    answer = Answer("Thu ngân sách bao nhiêu?", True,
                    [passage(BUDGET, BUDGET)],
                    "Thu ngân sách bao nhiêu?", short=ShortAnswer("17.970 tỷ đồng", start,
                                                                  start + 14))
    assert format_answer(answer).splitlines()[1] == "➜ 17.970 tỷ đồng"
    assert "\x1b[1m➜ 17.970 tỷ đồng\x1b[0m" in format_answer(answer, color=True)
    assert rich(answer).splitlines()[0] == "➜ 17.970 tỷ đồng"
    (html,) = telegram(answer)
    assert "<b>➜ 17.970 tỷ đồng</b>\n\n<i>[1]" in html
    assert answer.to_json()["answer"] == {"text": "17.970 tỷ đồng", "start": start,
                                          "end": start + 14}


def test_caption_passage_is_labelled_as_a_photo_caption() -> None:
    caption = Answer("Ảnh?", True, [passage(TOURISM, TOURISM, caption=True)], "Ảnh?")
    assert "[1] dien-bien.txt · đoạn 4 · chú thích ảnh (ký tự" in format_answer(caption)
    assert "đoạn 4 · chú thích ảnh" in rich(caption)
    assert "<i>[1] dien-bien.txt · đoạn 4 · chú thích ảnh</i>" in telegram(caption)[0]
    assert "caption" not in caption.to_json()["passages"][0]


def test_the_highlight_offsets_decide_which_copy_of_a_repeated_sentence_is_bold() -> None:
    sentence, middle = POVERTY, f" {BUDGET} "
    second = Answer("Tỉ lệ hộ nghèo?", True,
                    [passage(f"{POVERTY}{middle}{POVERTY} {TRADE}", POVERTY, occurrence=1)],
                    "Tỉ lệ hộ nghèo?")
    (html,) = telegram(second)
    assert f"<blockquote>{sentence}{middle}<b>{sentence}</b> Kinh tế" in html
    plain = format_answer(second, color=True)
    assert f"│ {sentence}{middle}\x1b[1;33m{sentence}\x1b[0m Kinh tế" in plain
    assert f"{sentence}{middle}\x1b[1;33m{sentence}\x1b[0m Kinh tế" in rich(second, color=True)
    top = second.passages[0]
    assert ARTICLE[top.highlight_start:top.highlight_end] == top.highlight
    assert top.highlight_start == ARTICLE.rindex(sentence)


def test_long_passages_are_split_into_valid_messages_on_sentence_boundaries() -> None:
    sentences = [f"Chỉ số a < b & c > d tăng trong giai đoạn {i} nhờ kinh tế cửa khẩu."
                 for i in range(300)]
    article = " ".join(sentences)
    bold = " ".join(sentences[100:103])
    answer = Answer("Chỉ số?", True, [passage(article, article, source_text=article),
                                       passage(article, bold, source_text=article)], "Chỉ số?")
    messages = telegram(answer)
    assert len(messages) >= 6
    parsed = [parse(html) for html in messages]
    for html in messages:
        assert "a &lt; b &amp; c &gt; d" in html and "a < b" not in html
        quoted = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
        assert quoted and all(q.endswith(("khẩu.", "</b>")) for q in quoted)
    text = " ".join(checker.text for checker in parsed)
    assert all(sentence in text for sentence in sentences)
    assert " ".join(b for checker in parsed for b in checker.bold).split() == bold.split()


def test_a_sentence_longer_than_a_message_is_cut_at_spaces_and_a_huge_word_anyway() -> None:
    article = " ".join(["từ"] * 3000) + " " + "&" * 9000 + "."
    answer = Answer("Từ?", True, [passage(article, article, source_text=article)], "Từ?")
    messages = telegram(answer)
    assert len(messages) >= 3
    quoted = "".join(parse(html).quoted for html in messages)
    assert "".join(quoted.split()) == "từ" * 3000 + "&" * 9000 + "."


def test_later_pages_show_only_their_passages_without_the_intro() -> None:
    view = present(REFUSED)
    first, = render_messages(view, 0, 0)
    assert first.startswith("Các bài viết không nói")
    (page,) = render_messages(present(ANSWERED), 1, 2)
    assert page.startswith("<i>[2] dien-bien.txt") and "[1]" not in page


def test_inline_result_is_one_passage_with_a_short_title() -> None:
    top = present(ANSWERED).passages[0]
    parse(inline_html(top))
    assert inline_html(top).startswith("<i>[1] dien-bien.txt · đoạn 4</i>")
    assert plain_summary(top) == "Tỉ lệ hộ nghèo năm 2025 còn 17,66%."


def test_rate_limit_and_no_answer_messages_are_valid_bilingual_html() -> None:
    for html, vietnamese, english in (
            (SLOW_DOWN, "vui lòng chậm lại", "(Please slow down.)"),
            (message_html(NO_ANSWER), "không nói về điều này", "(The articles don't say.)")):
        checker = parse(html)
        assert vietnamese in checker.text and english in checker.text
        assert f"<i>{english}</i>" in html


def test_json_carries_highlight_offsets_searched_text_and_context() -> None:
    data = ANSWERED.to_json()
    assert set(data) == {"question", "answered", "answer", "searched", "context", "note",
                         "passages"}
    assert data["answer"] is None and data["context"] is False and data["note"] is None
    assert data["searched"] == "Tỉ lệ hộ nghèo năm 2025?"
    top = data["passages"][0]
    assert ARTICLE[top["highlight_start"]:top["highlight_end"]] == top["highlight"]
    assert ARTICLE[top["start"]:top["end"]] == top["text"]
