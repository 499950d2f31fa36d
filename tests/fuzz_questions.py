"""Generated hostile questions: random Unicode, control and zero-width characters, right-to-left
text, emoji, Vietnamese with stray marks, and a few 1 MB strings."""

from __future__ import annotations

import random

PIECES = ["tỉ lệ hộ nghèo", "ti le ho ngheo", "Who is the minister", "Điện Biên", "17,66%",
          "\u200b", "\u200f", "\u202e", "\ufeff", "\x00", "\x07", "\x1b[31m", "\t", "\r",
          "שלום עולם", "مرحبا بالعالم", "😀", "👩‍👩‍👧", "🇻🇳", "̀́̃", "ǅ", "ﬁ", "\U0010fffd",
          "<b>", "&amp;", "'; DROP TABLE x; --", "%s%n", "{{7*7}}", "../../etc/passwd"]


def hostile_question(rng: random.Random, huge: bool = False) -> str:
    """One generated question; `huge` makes it about 1 MB."""
    if huge:
        return "".join(rng.choice(PIECES) + " " for _ in range(90_000))[:1_000_000]
    kind = rng.randrange(4)
    if kind == 0:  # random code points from the whole of Unicode except surrogates
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x250), rng.randrange(0x250, 0xD800),
                                       rng.randrange(0xE000, 0x110000)]))
                       for _ in range(rng.randrange(0, 60)))
    if kind == 1:  # real words mixed with invisible and direction-changing characters
        return " ".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 12)))
    if kind == 2:  # control characters only, or nothing at all
        return "".join(chr(rng.randrange(0, 32)) for _ in range(rng.randrange(0, 8)))
    return "".join(rng.choice("aăâđeêioôơuưy ̣̀́̉̃") for _ in range(rng.randrange(1, 40)))
