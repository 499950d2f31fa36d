"""Conversation mode: which questions are read as follow-ups, what they search, and how the
CLI (`ask --chat`), the REPL (`:new`) and `qabot eval` (conversation lines) use it. The hashing
embedder stands in for the model; the quality of follow-ups is in test_quality.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from bot.engine import Engine
from bot.frontends.repl import Repl, ReplState
from bot.retrieval.conversation import (
    MAX_TURNS,
    Conversation,
    Reading,
    Turn,
    read,
    refers_back,
    turn_of,
)
from bot.retrieval.evaluate import evaluate, read_questions
from bot.retrieval.fusion import Preference
from bot.retrieval.question import QueryForm
from tests.conftest import Run


def vi(text: str) -> QueryForm:
    return QueryForm("vietnamese", text, False)


def en(text: str) -> QueryForm:
    return QueryForm("english", text, False)


def restored(text: str) -> QueryForm:
    return QueryForm("no_diacritics", text, True)


@pytest.mark.parametrize("form", [
    vi("Ông ấy đã sống ở đâu?"), vi("Trong số đó bao nhiêu phần trăm là người Công giáo?"),
    vi("Còn tỉ lệ hộ nghèo?"), vi("Nghị quyết đó được ban hành ngày nào?"),
    vi("Vì sao?"), vi("Cụ thể hơn"), vi("Tỉnh này có bao nhiêu xã?"), vi("Họ đến từ đâu?"),
    vi("Năm nào?"), restored("người đó được chỉ định sau khi ai từ chức"),
    en("What about Ford?"), en("When did he die?"), en("Where did she perform?"),
    en("How much cash would that network have received?"), en("And the second?"),
    en("Why?"), en("How many people live there?"),
    # four syllables or fewer on a question word, naming nothing: too short to stand alone
    vi("Phút thứ mấy?"), vi("Ai ghi bàn?"), restored("phút thứ mấy"), en("Which minute?"),
    vi("Kết thúc lúc nào?"),
    en("Who scored?"),
    # typed without marks, a demonstrative the restorer missed ("nguoi do" as "người đồ")
    QueryForm("no_diacritics", "người đồ còn giữ chức vụ gì khác", True),
])
def test_questions_that_point_back_are_follow_ups(form: QueryForm) -> None:
    assert refers_back(form)


@pytest.mark.parametrize("form", [
    vi("Tỉ lệ hộ nghèo đa chiều của Điện Biên năm 2025 là bao nhiêu?"),
    vi("Ai đã biểu diễn quốc ca tại Super Bowl 50?"),
    # typed without marks, "ho" is as often a name (Hốt Tất Liệt) as the pronoun "họ"
    restored("họ tất liệt xâm lược nhật bản lần thứ hai năm nào"),
    en("Who sang the national anthem at Super Bowl 50?"),
    en("Is there a limit on the number of terms a president can serve?"),
    en("Who is the scientist that discovered oxygen?"),
    vi("Điện Biên ở đâu?"), vi("Tổng Bí thư nói gì về kinh tế?"),
])
def test_questions_that_stand_alone_are_not(form: QueryForm) -> None:
    assert not refers_back(form)


def test_a_follow_up_searches_the_last_topic_and_prefers_its_passage() -> None:
    first = read(vi("Dân số Warsaw năm 1901 là bao nhiêu?"), Conversation())
    assert not first.follow_up and first.prefer is None
    where = Preference("warsaw.txt", 120)
    conversation = Conversation().after(Turn(first.own_topic, where))
    follow = read(vi("Trong số đó bao nhiêu phần trăm là người Công giáo?"), conversation)
    assert follow.follow_up and follow.prefer == where
    assert follow.search_text == ("Dân số Warsaw năm 1901 … Trong số đó bao nhiêu phần trăm là "
                                  "người Công giáo?")
    # a question that stands alone is searched as asked, even inside a conversation
    alone = read(vi("Ai đã biểu diễn quốc ca tại Super Bowl 50?"), conversation)
    assert not alone.follow_up and alone.search_text.startswith("Ai đã")


def test_a_pronoun_question_naming_its_own_subject_may_stand_alone() -> None:
    """It is asked alone too (and stands alone when answered more surely from another
    article), and so is a bare name; an elliptic question or a bare pronoun one is always a
    follow-up."""
    conversation = Conversation().after(Turn(("Super", "Bowl", "50"), Preference("sb.txt")))
    yuan = read(en("Who founded the Yuan dynasty and when did it begin?"), conversation)
    assert yuan.follow_up and yuan.may_stand_alone
    assert yuan.alone("x") == Reading("x", None, False, yuan.own_topic)
    # a bare name is too short to stand alone by its words, and as likely a new topic
    assert read(vi("Oxy?"), conversation).may_stand_alone
    for question in (en("When did he die?"), en("What about Ford?"), vi("Còn Điện Biên thì sao?"),
                     vi("Năm nào?")):
        reading = read(question, conversation)
        assert reading.follow_up and not reading.may_stand_alone


def test_what_about_x_replaces_the_last_focus_and_keeps_the_article() -> None:
    first = read(vi("Ai là Bí thư Tỉnh ủy Điện Biên?"), Conversation())
    where = Preference("dien-bien.md", 977)
    conversation = Conversation().after(turn_of(first, where))
    second = read(vi("Ông ấy cho biết tỉnh có bao nhiêu dân tộc?"), conversation)
    conversation = conversation.after(turn_of(second, where))
    contrast = read(vi("Còn tỉ lệ hộ nghèo thì sao?"), conversation)
    assert refers_back(vi("Còn tỉ lệ hộ nghèo thì sao?")) == "contrast"
    # searched without what only marks the contrast ("Còn", "thì sao")
    assert contrast.follow_up and contrast.search_text == "tỉ lệ hộ nghèo?"
    assert contrast.prefer == Preference("dien-bien.md")  # the article, not the passage
    # with too few words of its own, "What about Ford?" still carries the topic
    short = read(en("What about Ford?"), conversation)
    assert short.search_text.endswith("… Ford?") and short.prefer == where


def test_a_pointer_asking_another_measure_carries_what_was_measured_only() -> None:
    counted = Conversation().after(turn_of(read(vi("Điện Biên có bao nhiêu dân tộc?"),
                                                Conversation()), None, "number"))
    # "tỉnh này" is Điện Biên, not its ethnic groups (searched with "dân tộc", the passage
    # counting them outranked the one with the poverty rate)
    assert read(vi("Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?"), counted).search_text == (
        "Điện Biên … Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?")
    # an open question pointing back keeps the whole topic
    assert read(vi("Vì sao tỉnh này có nhiều dân tộc như vậy?"), counted).search_text == (
        "Điện Biên dân tộc … Vì sao tỉnh này có nhiều dân tộc như vậy?")
    # the year it was measured in stays with it
    dated = Conversation().after(turn_of(read(vi("Năm 2020 Điện Biên có bao nhiêu dân tộc?"),
                                              Conversation()), None, "number"))
    assert read(vi("Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?"), dated).search_text == (
        "Điện Biên 2020 … Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?")
    # "Còn X?" naming another subject keeps the measure instead
    assert read(vi("Còn Lai Châu thì sao?"), counted).search_text == "dân tộc … Lai Châu?"


def test_this_year_and_short_english_questions_stand_alone() -> None:
    last = Conversation().after(turn_of(read(vi("Điện Biên có bao nhiêu dân tộc?"),
                                             Conversation()), None, "number"))
    # "nam nay" is "năm nay" (this year), no pointer; three English words ask on their own
    assert not read(restored("tăng trưởng kinh tế nam nay là bao nhiêu"), last).follow_up
    assert not read(en("What causes inflation?"), last).follow_up


def test_a_follow_up_of_a_refused_turn_must_find_what_it_named() -> None:
    first = read(vi("Tỉnh Lai Châu có bao nhiêu dân tộc?"), Conversation())
    refused = Conversation().after(turn_of(first, None, "number", refused=True))
    answered = Conversation().after(turn_of(first, None, "number"))
    question = vi("Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?")
    assert read(question, refused).carries_refused
    assert not read(question, answered).carries_refused
    # "Còn X?" with words of its own carries no name to find
    assert not read(vi("Còn tỉ lệ hộ nghèo thì sao?"), Conversation().after(
        turn_of(read(vi("Ai là Bí thư Lai Châu?"), Conversation()), None, "person",
                refused=True))).carries_refused


def test_what_about_x_asks_for_the_kind_of_answer_the_last_turn_asked_for() -> None:
    first = read(vi("Tỉ lệ hộ nghèo năm 2025 là bao nhiêu?"), Conversation())
    conversation = Conversation().after(turn_of(first, Preference("dien-bien.md"), "number"))
    assert read(vi("Còn bảo hiểm y tế?"), conversation).asks_as_before == "number"
    assert read(en("What about health insurance?"), conversation).asks_as_before == "number"
    # "Vì sao?", "Ông ấy làm gì?" ask something else of the same topic
    assert read(vi("Vì sao?"), conversation).asks_as_before is None
    assert read(vi("Ông ấy làm gì ở tỉnh này?"), conversation).asks_as_before is None
    assert read(vi("Còn bảo hiểm y tế?"), Conversation()).asks_as_before is None


def test_what_about_another_measure_keeps_what_was_measured_not_the_measure() -> None:
    def after(question: str, asked: str | None) -> Conversation:
        return Conversation().after(turn_of(read(vi(question), Conversation()), None, asked))

    counted = after("Điện Biên có bao nhiêu dân tộc?", "number")
    assert read(vi("Còn GRDP thì sao?"), counted).search_text == "Điện Biên … GRDP?"
    # typed without capitals: the topic without what it measured
    plain = Conversation().after(turn_of(
        read(restored("điện biên có bao nhiêu dân tộc"), Conversation()), None, "number"))
    assert read(restored("còn grdp"), plain).search_text == "điện biên … grdp"
    # a province typed without capitals is what was measured, whatever the question ends on
    poor = Conversation().after(turn_of(
        read(restored("tỉ lệ hộ nghèo quảng ninh là bao nhiêu"), Conversation()), None, "number"))
    assert read(restored("còn bảo hiểm y tế?"), poor).search_text == "quảng ninh … bảo hiểm y tế?"
    # with two words of its own too ("số xã" alone finds no passage holding "45 đơn vị xã")
    assert read(vi("Còn số xã?"), counted).search_text == "Điện Biên … số xã?"
    # a year takes the place of a year: the measure stays ("dân số")
    people = after("Dân số Warsaw năm 1901 là bao nhiêu?", "number")
    assert read(vi("Còn 1939?"), people).search_text == "Dân số Warsaw năm 1901 … 1939?"
    # after a question for a name, X takes the place of a name: the frame stays
    founder = after("Ai đã sáng lập General Motors?", "person")
    assert read(vi("Còn Ford?"), founder).search_text == "sáng lập General Motors … Ford?"


@pytest.mark.slow
def test_what_about_x_gets_its_short_answer_as_the_question_before_did(
        seed_engine: Engine) -> None:
    first = seed_engine.answer("Tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?", 3)
    assert first.short is not None and first.short.text == "17,66%" and first.turn is not None
    second = seed_engine.answer("Còn bảo hiểm y tế?", 3, Conversation().after(first.turn))
    assert second.context and second.answered
    assert second.short is not None and second.short.text == "98%"
    counted = seed_engine.answer("Điện Biên có bao nhiêu dân tộc?", 3)
    assert counted.turn is not None
    grdp = seed_engine.answer("Còn GRDP?", 3, Conversation().after(counted.turn))
    assert grdp.answered and grdp.short is not None and grdp.short.text == "17.970 tỷ đồng"


@pytest.mark.slow
def test_a_name_carried_from_the_turn_before_need_not_be_in_the_answering_passage(
        seed_engine: Engine) -> None:
    first = seed_engine.answer("Ông Trần Quốc Cường giữ chức vụ gì?", 3)
    assert first.turn is not None
    second = seed_engine.answer("Tỉnh này có tỉ lệ hộ nghèo đa chiều năm 2025 là bao nhiêu?",
                                3, Conversation().after(first.turn))
    assert second.context and "Trần Quốc Cường" in second.searched
    assert second.answered and second.short is not None and second.short.text == "17,66%"


def test_the_carried_topic_keeps_the_order_it_was_said_in() -> None:
    first = read(vi("Ai là Bí thư Tỉnh ủy Điện Biên?"), Conversation())
    conversation = Conversation().after(turn_of(first, None))
    follow = read(vi("Ông ấy cho biết tỉnh có bao nhiêu dân tộc?"), conversation)
    assert follow.search_text.startswith("Bí thư Tỉnh ủy Điện Biên … Ông ấy")
    assert turn_of(follow, None).topic[:6] == ("Bí", "thư", "Tỉnh", "ủy", "Điện", "Biên")


def test_the_conversation_keeps_its_last_turns_only() -> None:
    conversation = Conversation()
    for number in range(MAX_TURNS + 3):
        conversation = conversation.after(Turn((f"t{number}",), None))
    assert len(conversation.turns) == MAX_TURNS
    assert conversation.last == Turn((f"t{MAX_TURNS + 2}",), None)


def test_engine_marks_a_follow_up_and_shows_what_it_searched(fake_seed_engine: Engine) -> None:
    first = fake_seed_engine.answer("Bí thư Tỉnh ủy Điện Biên là ai?", 3, Conversation())
    assert not first.context and first.turn is not None
    follow = fake_seed_engine.answer("Ông ấy cho biết tỉnh có bao nhiêu dân tộc?", 3,
                                     Conversation().after(first.turn))
    assert follow.context and follow.to_json()["context"] is True
    assert follow.searched.startswith("Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường … Ông ấy")
    assert follow.searched_for == follow.searched  # shown as "câu hỏi tiếp, tìm theo: …"
    # the same question without a conversation is read alone
    assert not fake_seed_engine.answer("Ông ấy cho biết tỉnh có bao nhiêu dân tộc?", 3).context


def test_ask_chat_reads_turns_in_order_and_an_empty_line_starts_anew(fake_cli: Run) -> None:
    turns = ["Bí thư Tỉnh ủy Điện Biên là ai?", "Ông ấy nói gì về hộ nghèo?", "",
             "Ông ấy nói gì về hộ nghèo?"]
    done = fake_cli("ask", "--chat", "--json", "-", stdin="\n".join(turns) + "\n")
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["question"] for a in answers] == [t for t in turns if t]
    assert [a["context"] for a in answers] == [False, True, False]
    assert answers[1]["searched"].startswith("Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường …")
    # without --chat every line stands alone, as before
    stateless = fake_cli("ask", "--json", "-", stdin="\n".join(turns) + "\n")
    assert [json.loads(line)["context"] for line in stateless.stdout.splitlines()] == [False] * 3


def test_repl_session_is_one_conversation_until_new(fake_engine: Engine) -> None:
    with create_pipe_input() as pipe:
        prompt: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
        out = io.StringIO()
        console = Console(file=out, width=200, color_system=None, force_terminal=False)
        pipe.send_text("Bí thư Tỉnh ủy Điện Biên là ai?\rÔng ấy nói gì?\r:new\r"
                       "Ông ấy nói gì?\r\x04")
        repl = Repl(fake_engine, console, lambda: prompt.prompt("hỏi › "), ReplState())
        assert repl.run() == 0
    text = out.getvalue()
    assert text.count("câu hỏi tiếp, tìm theo: Bí thư Tỉnh ủy Điện Biên Trần Quốc Cường … Ông ấy "
                      "nói gì?") == 1
    assert "Cuộc trò chuyện mới" in text


def test_eval_scores_the_last_turn_of_conversation_lines(fake_seed_engine: Engine,
                                                         tmp_path: Path) -> None:
    lines = [{"turns": ["Bí thư Tỉnh ủy Điện Biên là ai?", "Ông ấy nói gì?"],
              "gold": "Điện Biên", "group": "chat"},
             {"q": "Bí thư Tỉnh ủy Điện Biên là ai?", "gold": "Điện Biên", "group": "plain"},
             {"turns": [], "gold": "x"}, {"turns": ["ok", 3], "gold": "x"},
             {"turns": ["Ai?"], "q": "Ai là Bí thư?", "gold": "x"}]
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                    encoding="utf-8")
    rows = read_questions(path)
    assert len(rows) == 2  # the three malformed lines are reported and skipped
    asked: list[tuple[str, bool]] = []

    def ask(question: str, conversation: Conversation | None):  # type: ignore[no-untyped-def]
        asked.append((question, conversation is not None and conversation.last is not None))
        return fake_seed_engine.answer(question, 3, conversation)

    report = evaluate(rows, ask)
    assert asked == [("Bí thư Tỉnh ủy Điện Biên là ai?", False), ("Ông ấy nói gì?", True),
                     ("Bí thư Tỉnh ủy Điện Biên là ai?", False)]
    assert report["chat"].questions == 1 and report["plain"].questions == 1


def test_after_a_question_asking_who_the_pronoun_points_at_the_one_name_answered() -> None:
    first = read(vi("Còn Bộ Công an thì sao?"), Conversation())
    # "an" is English too, but here it is the "an" of "Công an"
    assert first.own_topic == ("Bộ", "Công", "an")
    turn = turn_of(first, None, "person", "Đại tướng Lương Tam Quang, Bộ trưởng Bộ Công an;")
    assert turn.topic == ("Bộ", "Công", "an", "Lương", "Tam", "Quang")
    follow = read(vi("Ông ấy mang quân hàm gì?"), Conversation().after(turn))
    assert follow.search_text == "Bộ Công an Lương Tam Quang … Ông ấy mang quân hàm gì?"
    # two names in the answer: which one answers is a guess, none is carried
    listed = turn_of(first, None, "person", "Lê Minh Hưng và Nguyễn Duy Ngọc cùng dự.")
    assert listed.topic == ("Bộ", "Công", "an")
    # not after a question for a number
    assert turn_of(first, None, "number", "Lương Tam Quang nói 45 xã.").topic == (
        "Bộ", "Công", "an")


@pytest.mark.slow
def test_a_follow_up_about_a_place_the_articles_never_name_is_refused_too(
        seed_engine: Engine) -> None:
    for place in ("Tỉnh Lai Châu", "Lai Châu"):  # with a title or without ("Châu" is used)
        first = seed_engine.answer(f"{place} có bao nhiêu dân tộc?", 3)
        assert not first.answered and first.turn is not None
        second = seed_engine.answer("Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?", 3,
                                    Conversation().after(first.turn))
        # it was answered ➜ 17,66%, Điện Biên's figure
        assert second.context and not second.answered and second.short is None, place
    # the same follow-up after a question about Điện Biên is answered
    counted = seed_engine.answer("Điện Biên có bao nhiêu dân tộc?", 3)
    assert counted.turn is not None
    third = seed_engine.answer("Tỉ lệ hộ nghèo của tỉnh này là bao nhiêu?", 3,
                               Conversation().after(counted.turn))
    assert third.answered and third.short is not None and third.short.text == "17,66%"


def test_the_words_marking_a_contrast_are_no_topic_of_the_turn() -> None:
    first = read(vi("Điện Biên có bao nhiêu dân tộc?"), Conversation())
    conversation = Conversation().after(Turn(first.own_topic, Preference("dien-bien.md")))
    contrast = read(vi("Còn Lào Cai?"), conversation)
    assert contrast.follow_up
    assert [word.lower() for word in contrast.own_topic] == ["lào", "cai"]
    assert "Còn" not in contrast.names and "Lào Cai" in " ".join(contrast.names)


def test_the_person_a_short_answer_names_is_what_the_next_turns_ask_of() -> None:
    first = read(vi("Ai là giám đốc Công ty Phúc Khang Land?"), Conversation())
    talk = Conversation().after(turn_of(first, None, "person", "Nguyễn Văn Hùng (52 tuổi), Giám "
                                        "đốc Công ty Phúc Khang Land, và Trần Thị Linh đã …",
                                        named_answer="Nguyễn Văn Hùng"))
    age = read(vi("Ông ấy bao nhiêu tuổi?"), talk)
    assert "Nguyễn Văn Hùng" in age.search_text
    talk = talk.after(turn_of(age, None, "number"))
    sentence = read(vi("Ông ấy bị tuyên phạt bao nhiêu năm tù?"), talk)
    assert "Nguyễn Văn Hùng" in sentence.search_text


def test_last_year_is_the_year_before_the_one_asked_of() -> None:
    first = read(vi("Doanh thu năm 2025 của Cà phê Đắk Nguyên là bao nhiêu?"), Conversation())
    talk = Conversation().after(turn_of(first, None, "number"))
    assert read(vi("Còn năm ngoái?"), talk).search_text == (
        "Doanh thu năm 2025 Cà phê Đắk Nguyên … 2024?")
    assert read(en("What about last year?"), talk).search_text.endswith("… 2024?")
    # a question giving its own year does not carry the one before
    target = read(vi("Công ty này đặt mục tiêu lợi nhuận năm 2026 bao nhiêu?"), talk)
    assert "2025" not in target.search_text and "Cà phê Đắk Nguyên" in target.search_text
    # no year said before: nothing to count back from
    plain = Conversation().after(turn_of(read(vi("Doanh thu của công ty?"), Conversation()),
                                         None, "number"))
    assert "năm ngoái" in read(vi("Còn năm ngoái?"), plain).search_text
