"""Guards for whatever reaches a terminal: control and bidi characters made visible, JSON that
stays one line. Light on purpose: the CLI uses it before any heavy import."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 controls and DEL drive the terminal (ESC starts a sequence, BEL ends a title);
# bidi marks, embeddings, overrides and isolates reorder what is shown; line and paragraph
# separators break lines in some terminals.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
# What json.dumps(ensure_ascii=False) leaves raw that a terminal or a line reader would act on.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")
_CONTROL_PICTURES = 0x2400  # U+2400 "␀" onwards show C0 controls as visible symbols


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return " "
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return "\u2421"  # "␡"
    return f"<U+{code:04X}>"


def safe(text: str) -> str:
    """`text` with every character that could drive or reorder a terminal made visible."""
    return _UNSAFE.sub(_visible, text)


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON that decodes to exactly `data`, with Vietnamese kept readable but C1 controls, bidi
    controls and U+2028/U+2029 escaped (json.dumps leaves them raw with ensure_ascii=False)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    # These characters can only occur inside JSON strings, where an escape means the same.
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
