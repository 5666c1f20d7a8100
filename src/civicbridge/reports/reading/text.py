"""The report's text as read, and a Simplified folding of it with the same offsets, so that
patterns are written once (in Simplified) and every fact's span points into the text as read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

# Characters mirrors write for others (裏/裡 for 里 in li names; full-width digits).
_VARIANTS = str.maketrans(
    {
        "裏": "里",
        "裡": "里",
        "臺": "台",
        "０": "0",
        "１": "1",
        "２": "2",
        "３": "3",
        "４": "4",
        "５": "5",
        "６": "6",
        "７": "7",
        "８": "8",
        "９": "9",
        "「": "“",
        "」": "”",
        "『": "“",
        "』": "”",
        ",": "，",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
        "(": "（",
        ")": "）",
        "\u3000": " ",
        "\xa0": " ",
    }
)


@cache
def _t2s():
    import opencc  # noqa: PLC0415 (heavy)

    return opencc.OpenCC("t2s").convert


def fold(text: str) -> str:
    """Simplified, with mirrors' variants undone, character for character (same length)."""
    converted = _t2s()(text)
    if len(converted) != len(text):  # a phrase conversion changed the length: go by character
        convert = _t2s()
        converted = "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)
    return converted.translate(_VARIANTS)


def is_traditional(text: str) -> bool:
    """More characters change under Traditional→Simplified than a Simplified text would."""
    sample = text[:4000]
    changed = sum(1 for a, b in zip(sample, _t2s()(sample), strict=False) if a != b)
    return changed > max(3, len(sample) // 200)


_SENTENCE_END = re.compile(r"[。！？!?；;]+|\n+")


@dataclass
class Sentence:
    start: int
    end: int
    folded: str  # the folded text of [start, end)


@dataclass
class ReportText:
    """``raw`` is the text as read; ``folded`` its Simplified folding (same offsets)."""

    raw: str
    folded: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    traditional: bool = False

    def __post_init__(self):
        self.folded = fold(self.raw)
        self.traditional = is_traditional(self.raw)
        start = 0
        for match in _SENTENCE_END.finditer(self.folded):
            if match.start() > start:
                self.sentences.append(
                    Sentence(start, match.start(), self.folded[start : match.start()])
                )
            start = match.end()
        if start < len(self.folded):
            self.sentences.append(Sentence(start, len(self.folded), self.folded[start:]))

    def as_written(self, start: int, end: int) -> str:
        """The words of [start, end) as the report writes them (its own script)."""
        return self.raw[start:end]

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None
