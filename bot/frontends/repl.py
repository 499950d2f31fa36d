"""`qabot repl`: an interactive session (prompt_toolkit for input, rich for output) that checks
the sources before each question and renders the same `Answer` as `qabot ask`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.highlighter import JSONHighlighter
from rich.panel import Panel
from rich.status import Status
from rich.text import Text

from bot.engine import Engine, Freshness, Stage
from bot.errors import QabotError
from bot.frontends.citation import display_date
from bot.frontends.commands import as_command
from bot.frontends.presentation import SHORT_MARK, Message, PassageView, present, relevance_bar
from bot.frontends.terminal import json_text, safe
from bot.retrieval.answer import Answer
from bot.retrieval.conversation import Conversation
from bot.store.freshness import Changes

logger = logging.getLogger(__name__)

HELP = """Gõ câu hỏi rồi nhấn Enter (có dấu, không dấu hoặc tiếng Anh).
Type a question and press Enter (Vietnamese with or without diacritics, or English).
  :help          trợ giúp / this help
  :sources       các bài viết, số đoạn, tuổi chỉ mục / articles, paragraphs, index age
  :reload        kiểm tra nguồn và xây lại chỉ mục / check sources and rebuild
  :new           cuộc trò chuyện mới (quên câu hỏi trước) / new conversation
  :k N           số đoạn trích mỗi câu trả lời / passages per answer (1-50)
  :json          bật/tắt JSON thô / toggle raw JSON output
  :quit          thoát / exit (Ctrl-D too; Ctrl-C clears the line)
("quit", "exit", "thoát", "help" alone on a line work without the colon too.)"""


@dataclass
class ReplState:
    """What the user can change during a session."""

    top_k: int = 3
    json: bool = False
    running: bool = True
    # The session is one conversation: a follow-up is read with the turns before it.
    conversation: Conversation = field(default_factory=Conversation)


def _quote(passage: PassageView) -> Text:
    quote = passage.quote
    text = Text(style="dim" if passage.weak else "")
    text.append(safe(quote.before))
    text.append(safe(quote.highlight), style="bold yellow")
    text.append(safe(quote.after))
    return text


def _message(message: Message, style: str) -> Text:
    text = Text(message.text, style=style)
    if message.english:
        text.append(f" ({message.english})")
    return text


def render_answer(answer: Answer) -> Group:
    """The answer as rich renderables: the short answer, notes and verdict, then one panel per
    passage with its relevance bar."""
    view = present(answer)
    parts: list[Any] = []
    if view.short:
        parts.append(Text(f"{SHORT_MARK} {safe(view.short)}", style="bold"))
    parts += [Text(f"{note.label}: {safe(note.text)}", style="italic cyan")
              for note in view.notes]
    parts += [_message(message, "bold red") for message in view.verdict]
    for passage in view.passages:
        title = Text(f"[{passage.rank}] " + " · ".join(safe(label)
                                                       for label in passage.labels()))
        body: Any = _quote(passage)
        if passage.url:  # the original page, under the header
            body = Group(Text(safe(passage.url), style="dim underline"), body)
        parts.append(Panel(body, title=title, title_align="left",
                           subtitle=relevance_bar(passage.relevance), subtitle_align="right",
                           border_style="grey50" if passage.weak else "green"))
    return Group(*parts)


class ConsoleProgress:
    """The engine's slow steps as a spinner, and what a rebuild changed as a line."""

    STATUS = {Stage.LOADING_MODEL: "Đang tải mô hình… (loading the model)",
              Stage.CHECKING_SOURCES: "Đang kiểm tra nguồn… (checking sources)"}

    def __init__(self, console: Console) -> None:
        self.console = console

    def stage(self, name: str) -> Status:
        return self.console.status(self.STATUS.get(name, name))

    def changed(self, changes: Changes) -> None:
        if changes.any:
            self.console.print(Text.assemble(("Nguồn đã thay đổi / sources changed:", "cyan"),
                                             f" {safe(changes.describe())}"))


class Repl:
    """One interactive session over an `Engine`, which checks the sources before each
    question."""

    def __init__(self, engine: Engine, console: Console, read_line: Callable[[], str],
                 state: ReplState | None = None, clock: Callable[[], float] = time.time) -> None:
        self.engine, self.console, self.read_line = engine, console, read_line
        self.state = state or ReplState()
        self.clock = clock
        engine.freshness = Freshness.before_every_question()
        engine.progress = ConsoleProgress(console)
        self.commands: dict[str, Callable[[str], None]] = {
            ":help": lambda _: self.console.print(HELP), ":sources": self._sources,
            ":reload": self._reload, ":k": self._set_k, ":new": self._new,
            ":json": self._toggle_json, ":quit": self._quit, ":q": self._quit,
            ":exit": self._quit}

    def start(self) -> None:
        """Load the model and bring the index up to date, showing progress."""
        self.engine.start()
        self.console.print(f"Sẵn sàng. Ready — {len(self.engine.index.chunks)} đoạn trích từ "
                           f"{len(self.engine.source_summary())} bài. Gõ :help để xem lệnh.")

    def run(self) -> int:
        """Read and answer until :quit or end of input (Ctrl-D)."""
        self.start()
        while self.state.running:
            try:
                line = self.read_line()
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line, the session goes on
            except EOFError:
                break
            self.handle(line)
        self.console.print("Tạm biệt. Bye.")
        return 0

    def handle(self, line: str) -> None:
        """Run a command or answer a question; our errors become a message, never an exit."""
        text = as_command(line)
        if not text:
            return
        try:
            if text.startswith(":"):
                name, _, argument = text.partition(" ")
                command = self.commands.get(name.lower())
                if command is None:
                    self.console.print(Text(f"Không rõ lệnh {safe(name)}. "
                                            "Unknown command — try :help"))
                    return
                command(argument.strip())
                return
            answer = self.engine.answer(text, self.state.top_k, self.state.conversation)
            if answer.turn is not None:
                self.state.conversation = self.state.conversation.after(answer.turn)
            self._show(answer)
        except QabotError as exc:
            self.console.print(Text.assemble(("Lỗi / Error:", "red"), f" {safe(str(exc))}"))
        except Exception:  # a bug must not end the reader's session
            logger.debug("unexpected error", exc_info=True)
            self.console.print("[red]Xin lỗi, đã có lỗi không mong đợi. Sorry, something went "
                               "wrong[/red] (run with -v for details).")

    def _show(self, answer: Answer) -> None:
        if self.state.json:
            self.console.print(JSONHighlighter()(json_text(answer.to_json(), indent=2)),
                               soft_wrap=True)  # long strings stay whole when copied
        else:
            self.console.print(render_answer(answer))

    def _reload(self, _: str) -> None:
        """Check the sources now (the progress shows what changed), or say nothing did."""
        if not self.engine.refresh().any:
            self.console.print("Chỉ mục đã mới nhất. The index is up to date.")

    def _sources(self, _: str) -> None:
        for article in self.engine.articles():
            dated = f" · {date}" if (date := display_date(article.date)) else ""
            named = f" ({article.name})" if article.title else ""
            self.console.print(Text(f"  {safe(article.label)}{safe(dated)}{safe(named)} — "
                                    f"{article.paragraphs} đoạn"))
            if article.url:
                self.console.print(Text(f"    {safe(article.url)}"))
        built = self.engine.built_at()
        if built:
            age = _age(max(0.0, self.clock() - built))
            self.console.print(f"Chỉ mục xây cách đây {age} (index built {age} ago).")

    def _set_k(self, argument: str) -> None:
        if not argument.isdigit() or not 1 <= int(argument) <= 50:
            self.console.print("Dùng :k N với N từ 1 đến 50. Usage: :k N (1-50)")
            return
        self.state.top_k = int(argument)
        self.console.print(f"Mỗi câu trả lời có {self.state.top_k} đoạn trích.")

    def _new(self, _: str) -> None:
        self.state.conversation = Conversation()
        self.console.print("Cuộc trò chuyện mới. New conversation.")

    def _toggle_json(self, _: str) -> None:
        self.state.json = not self.state.json
        self.console.print(f"JSON {'bật / on' if self.state.json else 'tắt / off'}.")

    def _quit(self, _: str) -> None:
        self.state.running = False


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} d"


def terminal_reader(history: Path) -> Callable[[], str]:
    """A prompt_toolkit prompt with history saved in `history` (arrow keys recall)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        saved: FileHistory | InMemoryHistory = FileHistory(str(history))
    except OSError:
        saved = InMemoryHistory()  # a read-only cache only costs the history
    session: PromptSession[str] = PromptSession(history=saved)
    return lambda: session.prompt("hỏi › ")
