"""The `qabot` command line: `ask`, `index` and `eval`, with errors turned into one line on
stderr and an exit code (1 for our errors, 2 for usage)."""

from __future__ import annotations

import argparse
import codecs
import errno
import io
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from bot.config import DEFAULT_TOP_K, MAX_TOP_K, Settings, load_settings, parse_number
from bot.errors import QabotError, SettingsError
from bot.frontends.commands import REPL_COMMANDS, SCRIPT_NEW, SCRIPT_QUIT, as_command
from bot.frontends.terminal import json_text, safe

# Before numpy loads: one question at a time gains nothing from OpenBLAS threads, and their
# spin-waiting after each matrix product steals a core from the native model (measured at
# 25k passages: p50 38 -> 18 ms, p95 128 -> 26 ms).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

logger = logging.getLogger("bot")


def _top_k(value: str) -> int:
    try:
        return int(parse_number("--top-k", value, minimum=1, maximum=MAX_TOP_K))
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(inner: bool = False) -> argparse.ArgumentParser:
    """The options of every command; `inner` for a command's own copy, whose unset options
    must not hide those given before it (`qabot --sources X ask`, `feedback --sources X
    export`)."""
    common = argparse.ArgumentParser(
        add_help=False, argument_default=argparse.SUPPRESS if inner else None)
    common.add_argument("--sources", metavar="DIR",
                        help="folder of articles (.txt/.md/.html); env QABOT_SOURCES, "
                             "default source_text")
    common.add_argument("--index", metavar="DIR",
                        help="index folder; env QABOT_INDEX, default index")
    common.add_argument("--model", metavar="NAME",
                        help="sentence-transformers model name or folder; env QABOT_MODEL, "
                             "default multilingual-e5-small (bundled)")
    common.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    return common


def _top_k_option(parser: argparse.ArgumentParser, inner: bool = False) -> None:
    """`--top-k`, before the command or after it (`inner`: the command's copy, which must
    not hide a value given before it)."""
    parser.add_argument("--top-k", type=_top_k, metavar="K",
                        default=argparse.SUPPRESS if inner else None,
                        help=f"passages to show for ask, repl and eval (default {DEFAULT_TOP_K})")


def build_parser() -> argparse.ArgumentParser:
    # The common options go before the command or after it (`qabot -v ask …`, `qabot ask …
    # -v`): the commands' copies leave unset what was given before.
    parser = argparse.ArgumentParser(
        prog="qabot", description="Answer questions about articles with quoted passages.",
        parents=[_common()])
    _top_k_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _common(inner=True)
    ask = commands.add_parser("ask", parents=[common], help="answer a question",
                              description="Answer QUESTION; with '-' read one question per line.")
    ask.add_argument("question", help="the question, or - to read questions from stdin")
    _top_k_option(ask, inner=True)
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument("--chat", action="store_true",
                     help="read the questions as one conversation (follow-ups use the turns "
                          "before them); with -, an empty line starts a new one")
    repl = commands.add_parser("repl", parents=[common], help="interactive session (default)",
                               description="Ask question after question; :help lists commands. "
                                           "Without a terminal it answers stdin line by line.")
    _top_k_option(repl, inner=True)
    repl.add_argument("--json", action="store_true", help="start with raw JSON output")
    telegram = commands.add_parser(
        "telegram", parents=[common], help="run the Telegram bot (long polling)",
        description="Token from TELEGRAM_BOT_TOKEN; see the README for the other settings.")
    telegram.add_argument("--base-url", metavar="URL",
                          help="self-hosted Bot API server; env TELEGRAM_API_BASE_URL")
    _ops_flags(telegram)
    index = commands.add_parser("index", parents=[common], help="bring the index up to date")
    index.add_argument("--force", action="store_true", help="rebuild and re-embed everything")
    feedback = commands.add_parser(
        "feedback", parents=[common], help="readers' feedback: summary or export",
        description="Summarize the feedback database (QABOT_DB, default in the cache folder); "
                    "`export FILE.jsonl` writes questions in `qabot eval`'s format.")
    export = feedback.add_subparsers(dest="feedback_command", metavar="ACTION") \
        .add_parser("export", parents=[_common(inner=True)],
                    help="write 👍 answers and questions to review as JSONL")
    export.add_argument("file", type=Path, help="the JSONL file to write")
    add = commands.add_parser(
        "add", parents=[common], help="add articles by link or file",
        description="Fetch each URL's article into the sources folder as Markdown with its "
                    "title, link and date (or copy each .txt/.md/.html FILE), then update "
                    "the index.")
    add.add_argument("targets", nargs="+", metavar="URL|FILE")
    evaluate = commands.add_parser("eval", parents=[common], help="measure retrieval quality")
    evaluate.add_argument("file", type=Path,
                          help='JSONL lines {"q" (or "turns": [q1, q2, …]), "gold", "group", '
                               '"source"?}')
    _top_k_option(evaluate, inner=True)
    return parser


def _ops_flags(telegram: argparse.ArgumentParser) -> None:
    telegram.add_argument("--webhook-url", metavar="URL",
                          help="receive updates by webhook at this https URL instead of "
                               "polling; env QABOT_WEBHOOK_URL")
    telegram.add_argument("--listen", metavar="ADDR",
                          help="webhook server address; env QABOT_WEBHOOK_LISTEN, "
                               "default 127.0.0.1")
    telegram.add_argument("--port", type=int, metavar="N",
                          help="webhook server port; env QABOT_WEBHOOK_PORT, default 8443")
    telegram.add_argument("--metrics-port", type=int, metavar="N",
                          help="serve /healthz and /metrics on this port; env "
                               "QABOT_METRICS_PORT, default off")


def _settings(args: argparse.Namespace) -> Settings:
    def flag(name: str) -> str | None:
        value = getattr(args, name, None)
        return None if value is None else str(value)

    return load_settings(sources=args.sources, index=args.index, model=args.model,
                         top_k=args.top_k,
                         base_url=getattr(args, "base_url", None),
                         telegram=args.command == "telegram",
                         ops_flags={"QABOT_WEBHOOK_URL": flag("webhook_url"),
                                    "QABOT_WEBHOOK_LISTEN": flag("listen"),
                                    "QABOT_WEBHOOK_PORT": flag("port"),
                                    "QABOT_METRICS_PORT": flag("metrics_port")})


class Unreadable(str):
    """A line of stdin that is not UTF-8 text: reported and skipped, never asked."""




def _stdin_lines() -> Iterator[str]:
    """stdin's lines as text: UTF-8 (a BOM is dropped), or UTF-16 with its BOM (what Windows
    PowerShell pipes by default); a line that is not UTF-8 comes as `Unreadable`."""
    stream = sys.stdin.buffer
    head = stream.peek(2)[:2] if isinstance(stream, io.BufferedReader) else b""
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        for line in io.TextIOWrapper(stream, encoding="utf-16", errors="replace"):
            yield Unreadable(line) if "\ufffd" in line else line
        return
    for number, raw in enumerate(stream, 1):
        raw = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield Unreadable(raw.decode("utf-8", errors="replace"))


def _questions(args: argparse.Namespace) -> Iterable[tuple[int, str | None]]:
    """The questions asked, in order, with their line numbers (0 for the command line's);
    None where an empty line starts a new conversation (`--chat`; without it empty lines are
    skipped)."""
    if args.question != "-":
        yield 0, args.question
        return
    for number, raw in enumerate(_stdin_lines(), 1):
        line = raw.strip("\r\n")
        line = Unreadable(line) if isinstance(raw, Unreadable) else line
        if args.command == "repl" and as_command(line).startswith(":"):
            command = as_command(line).split()[0].lower()
            if command in SCRIPT_QUIT:
                return
            if command == SCRIPT_NEW:
                yield number, None
            elif command in REPL_COMMANDS:
                print(f"line {number}: {safe(command)} is not run from a script (only :quit "
                      "and :new are); skipped", file=sys.stderr)
            else:
                print(f"line {number}: unknown command {safe(command)}; skipped",
                      file=sys.stderr)
        elif line.strip():
            yield number, line
        elif args.chat:
            yield number, None


def _unaskable(question: str, error: str) -> dict[str, object]:
    """The JSON line for a question that cannot be asked: an answer's keys, plus the error."""
    from bot.corpus.text import clean_question, encodable

    return {"question": encodable(question), "answered": False, "answer": None,
            "searched": encodable(clean_question(question)), "context": False, "note": None,
            "passages": [], "error": error}


def run_ask(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.errors import QuestionError
    from bot.frontends.progress import progress_for
    from bot.frontends.render_text import format_answer
    from bot.retrieval.conversation import Conversation

    engine = Engine(_settings(args), build_progress=progress_for(sys.stderr))
    engine.start()  # checked once, at start
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    failed = 0
    conversation = Conversation()
    for number, question in _questions(args):
        if question is None:
            conversation = Conversation()
            continue
        try:
            if isinstance(question, Unreadable):
                raise QuestionError("the line is not UTF-8 text; save the questions as UTF-8")
            result = engine.answer(question, args.top_k, conversation if args.chat else None)
        except QuestionError as exc:
            failed += 1
            if args.json:
                print(json_text(_unaskable(question, str(exc))), flush=True)
            else:
                where = f"line {number}: " if number else ""
                print(f"Error: {where}{safe(str(exc))}", file=sys.stderr)
            continue
        if result.turn is not None:
            conversation = conversation.after(result.turn)
        if args.json:
            print(json_text(result.to_json()), flush=True)
        else:
            print(format_answer(result, color) + "\n", flush=True)
    return 1 if failed else 0


def run_repl(args: argparse.Namespace) -> int:
    if not sys.stdin.isatty():
        args.question = "-"  # scripted use: no prompt, no colours, one answer per line
        args.chat = True  # ... and, like the session, one conversation
        return run_ask(args)
    from rich.console import Console

    from bot.engine import Engine
    from bot.frontends.progress import bar_progress
    from bot.frontends.repl import Repl, ReplState, terminal_reader

    settings = _settings(args)
    console = Console(highlight=False, no_color="NO_COLOR" in os.environ)
    reader = terminal_reader(settings.cache / "repl_history")
    engine = Engine(settings, build_progress=bar_progress(console))
    return Repl(engine, console, reader, ReplState(args.top_k, args.json)).run()


def run_telegram(args: argparse.Namespace) -> int:
    from bot.frontends.progress import log_progress
    from bot.frontends.telegram.config import RedactSecret

    settings = _settings(args)
    bot_settings = settings.telegram
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecret(bot_settings.token))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token URL
    from bot.engine import Engine
    from bot.frontends.telegram.reachability import check_reachable, reported_unreachable
    from bot.frontends.telegram.webhook import serve

    with reported_unreachable(bot_settings.token, verbose=args.verbose):
        check_reachable(bot_settings)
        engine = Engine(settings, build_progress=log_progress())
        logger.info("%s", safe(engine.start().describe()))  # the model loads before updates
        serve(engine, settings)  # polling, or a webhook with QABOT_WEBHOOK_URL
    return 0


def run_feedback(args: argparse.Namespace) -> int:
    from bot.feedback.report import export, summarize

    database = _settings(args).feedback_db
    if args.feedback_command == "export":
        count = export(database, args.file)
        print(f"{count} questions written to {safe(str(args.file))}")
        return 0
    print(safe(f"feedback database {database}"))
    print("\n".join(safe(line) for line in summarize(database).describe().splitlines()))
    return 0


def run_index(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.frontends.progress import progress_for

    engine = Engine(_settings(args), build_progress=progress_for(sys.stderr))
    summary = engine.refresh(force=args.force).describe()
    print("\n".join(safe(line) for line in summary.splitlines()))  # names on screen, inert
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.frontends.progress import progress_for
    from bot.retrieval.evaluate import (
        answer_or_nothing,
        evaluate,
        format_report,
        read_questions,
        unknown_sources,
    )

    rows = read_questions(args.file)
    engine = Engine(_settings(args), build_progress=progress_for(sys.stderr))
    engine.start(strict=True)
    for name in unknown_sources(rows, (name for name, _ in engine.source_summary())):
        logger.warning("%s: source %s is not an indexed article; its questions cannot be hits",
                       args.file, safe(name))
    # R@3 needs three passages whatever --top-k says; a question that cannot be asked (empty,
    # only punctuation) counts as a miss instead of ending the run.
    top_k = max(args.top_k, 3)
    print(format_report(evaluate(rows, lambda q, c: answer_or_nothing(engine, q, top_k, c))))
    return 0


def run_add(args: argparse.Namespace) -> int:
    from bot.engine import Engine
    from bot.errors import AddError
    from bot.frontends.progress import progress_for
    from bot.sources_admin import Library

    library = Library(Engine(_settings(args), build_progress=progress_for(sys.stderr)))
    failed = 0
    for target in args.targets:  # one bad link does not stop the others
        try:
            print(safe(library.add(target).describe()), flush=True)
        except AddError as exc:
            failed += 1
            print(f"Error: {safe(str(exc))}", file=sys.stderr)
    return 1 if failed else 0


class _Formatter(logging.Formatter):
    """`qabot: message` for progress, `qabot: warning: message` for problems."""

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno <= logging.INFO else f"{record.levelname.lower()}: "
        line = f"qabot: {level}{safe(record.getMessage())}"  # messages name files
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        return f"{line}\n{record.exc_text}" if record.exc_text else line


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])
    logging.getLogger("telegram").setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("bot").setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "sentence_transformers", "transformers", "bm25s", "faiss", "filelock",
                  "urllib3", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.ERROR)
    # Progress bars and advice from the model libraries are noise for a question-answering tool.
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


COMMANDS = {"ask": run_ask, "repl": run_repl, "telegram": run_telegram, "index": run_index,
            "eval": run_eval, "feedback": run_feedback, "add": run_add}


_OUTPUT_FAILED = (errno.ENOSPC, errno.EIO, errno.EFBIG)


def _discard_stdout() -> None:
    """Point standard output at nowhere: its unwritten buffer is dropped at exit, quietly."""
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _stand_in_for_closed_streams() -> None:
    """A stream the caller closed (`qabot ask Q >&-`, `<&-`) is None in Python: read it as
    empty and write to nowhere, rather than fail on it ("unexpected AttributeError")."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    _stand_in_for_closed_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            parser.print_help()
            return 0
        args = parser.parse_args([*(sys.argv[1:] if argv is None else argv), "repl"])  # the REPL
    if args.top_k is not None and args.command not in ("ask", "repl", "eval"):
        parser.error(f"--top-k applies to ask, repl and eval, not to {args.command}")
    if args.top_k is None:  # given before the command, after it, or not at all
        args.top_k = DEFAULT_TOP_K
    _configure_logging(args.verbose)
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full output fails here, not unreported at exit (rc 120)
        return code
    except QabotError as exc:
        print(f"Error: {safe(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # one line for the user, the traceback with -v
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_FAILED:
            # writing the answer failed (a full disk or device): say so once, and drop what
            # is still buffered, which would fail again when Python exits
            print(f"Error: cannot write the output ({exc.strerror or exc})", file=sys.stderr)
            _discard_stdout()
            return 1
        logger.debug("unexpected error", exc_info=True)  # a bug
        print(f"Error: unexpected {type(exc).__name__}; run again with -v for details",
              file=sys.stderr)
        return 1
