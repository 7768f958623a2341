"""Shared text helpers for the deterministic checks and the grounding guard: sentences, placeholders, dates, times.

Everything here works on *offsets into the original text*: helpers that rewrite text (``normalize``, ``mask``)
keep its length, so a span found in the rewritten copy quotes the original exactly. Regexes are compiled once
at import; the batch path runs these on 10,000+ messages a second. The rule vocabularies live in the
``patterns_*`` modules, one per concept; this module also holds the key-word gates they register with (``gate``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

# A sentence: a run of text up to terminal punctuation that is followed by whitespace (or the end), or up to a line
# break; "$240.50" and "example.com" stay whole; titles such as "Dr." are re-joined in split_sentences.
# A compiled regex rather than pysbd/nltk: pysbd takes ~1 ms per message, about 1000x the whole rules budget
# (10,000 messages/s).
_SENTENCE = re.compile(r"[^\s.!?][^.!?\n]*(?:[.!?]+(?=[^\s\"')\]])[^.!?\n]*)*[.!?\u2026]*[\"')\]]*")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

def words_list(text: str) -> list[str]:
    """A space-separated word list as a list (keeps vocabularies readable in source)."""
    return text.split()


def words(text: str) -> frozenset[str]:
    """A space-separated word list as a frozenset."""
    return frozenset(text.split())


#: A fill-in gap such as "[date the fix will be done]" (compose mode leaves these for the user).
PLACEHOLDER_RE = re.compile(r"\[[^\[\]\n]{2,100}\]")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
#: Month name or abbreviation -> month number (1..12).
MONTH_NUM = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

_WD = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
        r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_MON_FULL = r"(?:january|february|april|june|july|august|september|october|november|december)"  # not may/march
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\s*(?:[ap]\.?m\b|[ap]\.m\.|:\d|o'clock))"
_MD = (rf"(?:{_DAY}\s+(?:of\s+)?{_MON}\b\.?(?:,?\s+\d{{4}})?|{_MON}\.?\s+{_DAY}\b(?:,?\s+\d{{4}})?"
       rf"|{_MON}\s+\d{{4}})")
_NUMDATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\.\d{1,2}\.\d{2,4})"

#: A calendar date in *lower-cased* text: weekday (+ date), day+month, month+day, numeric date, full month name.
DATE_RE = re.compile(rf"\b(?:{_WD}(?:,?\s+(?:the\s+)?(?:{_MD}|{_DAY}\b))?|{_MD}|{_NUMDATE}|{_MON_FULL})\b")
#: A clock time in lower-cased text: "5 pm", "5:30pm", "17:00", "5 p.m.", "noon".
TIME_RE = re.compile(r"\b(?:(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
                     r"|(?:[01]?\d|2[0-3]):[0-5]\d\b"
                     r"|noon\b|midday\b|midnight\b|\d{1,2}\s+o'clock\b)")
_QTY = r"(?:\d+|a|an|one|two|three|four|five|six|seven|ten|twelve|twenty-four|forty-eight|a\s+couple\s+of|a\s+few)"
#: Relative time expressions that name when something happens (lower-cased text).
RELTIME_RE = re.compile(
    rf"\b(?:today|tomorrow|tonight|overnight|this\s+(?:morning|afternoon|evening|week|weekend|month)"
    rf"|next\s+(?:week|month|weekend|business\s+day|working\s+day|{_WD})|(?:later|earlier)\s+today"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month|business\s+day|working\s+day|play|today|tomorrow)"
    rf"|eod|cob|close\s+of\s+(?:business|play)|first\s+thing|(?:within|in\s+the\s+next|over\s+the\s+next)\s+"
    rf"(?:the\s+next\s+)?(?:{_QTY}\s+)?(?:working\s+|business\s+)?(?:minutes?|hours?|days?|weeks?)"
    r"|(?:by|before|until|on)\s+the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
    r"|(?:by|before)\s+(?:the\s+)?(?:weekend|lunch(?:time)?|noon|midday)|(?:within|in)\s+(?:the|an)\s+hour)\b"
    # a bare clock hour after by/before, closing the clause: "you'll have it by 6", "before 11 tomorrow"
    r"|\b(?:by|before)\s+(?:1[0-2]|[1-9])(?=\s*(?:[,.;!?)]|$|\s+(?:today|tomorrow|tonight|this|on|and|latest|at\s+the"
    r"\s+latest)\b))")


def normalize(text: str) -> str:
    """Curly quotes and dashes to ASCII, same length (so offsets still point into the original)."""
    return text.translate(_CURLY) if not text.isascii() else text


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps the length (almost always); else an ASCII-only lower-casing."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_TITLE_END = re.compile(r"\b(?:Mrs|Mr|Ms|Mx|Dr|Prof|St)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, whitespace trimmed, empty pieces dropped.

    A title such as "Ms." does not end a sentence ("I charged Ms. Rivera twice." stays whole).
    """
    spans = [m.span() for m in _SENTENCE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and text[merged[-1][1] - 1] == "." and "\n" not in text[merged[-1][1]:span[0]] \
                and _TITLE_END.search(text, max(0, merged[-1][1] - 5), merged[-1][1]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


class Sentences:
    """Sentence lookup by offset for one text (split lazily on first use unless bounds are given)."""

    __slots__ = ("_text", "_bounds", "_starts")

    def __init__(self, text: str, bounds: list[tuple[int, int]] | None = None) -> None:
        self._text = text
        self._bounds = bounds
        self._starts = [s for s, _ in bounds] if bounds is not None else []

    def at(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding ``pos`` (or the nearest one before it)."""
        if self._bounds is None:
            self._bounds = split_sentences(self._text)
            self._starts = [s for s, _ in self._bounds]
        i = bisect_right(self._starts, pos) - 1
        return self._bounds[i] if i >= 0 else (0, 0)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (same length), so detectors skip it but offsets hold."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Spans of [bracketed] placeholders."""
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)] if "[" in text else []


def rx(*alternatives: str) -> re.Pattern[str]:
    """One word-bounded alternation, for lower-cased text."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


MONTH_PREP = re.compile(r"\b(?:by|in|end\s+of|early|mid|late|before)\s+(?:january|february|march|april|may|june|july"
                         r"|august|september|october|november|december)\b")


ACRONYMS = words("PDF CSV VAT UK US USA EU CEO CFO CTO IT HR QA FAQ ASAP OK AM PM EOD COB ID PS FYI PR SEO API URL UI "
                 "UX GST "
    "HST NB RSVP ETA NDA SLA SMS PO UPS DHL")


# --- gates: a pattern is searched only in sentences holding one of its key words ----------------------------------
#: Word separators for the gate index (same-length translation; apostrophes and hyphens split words too).
WORD_SEP = str.maketrans({c: " " for c in ".,;:!?()[]{}<>|#\"/\\-'\u2026\n\t\r=+*&@~`$%^"})
#: "#" stands for "this sentence has a digit".
#: Keyed by ``id(pattern)``: hashing a compiled pattern hashes its whole source on every lookup.
GATES: dict[int, frozenset[str]] = {}


def gate(pattern: re.Pattern[str], words: str) -> None:
    """Register the key words that every match of ``pattern`` contains (at least one of them, as a whole word)."""
    GATES[id(pattern)] = frozenset(words.split())
    _GATE_INDEX.clear()


_GATE_INDEX: dict[str, tuple[int, ...]] = {}


def gate_index() -> dict[str, tuple[int, ...]]:
    """Key word -> ids of the patterns it gates (the inverse of ``GATES``, rebuilt after a new ``gate`` call)."""
    if not _GATE_INDEX and GATES:
        inverse: dict[str, list[int]] = {}
        for pid, keys in GATES.items():
            for word in keys:
                inverse.setdefault(word, []).append(pid)
        _GATE_INDEX.update({w: tuple(ids) for w, ids in inverse.items()})
    return _GATE_INDEX


def parts(*alternatives: tuple[str, str]) -> tuple[re.Pattern[str], ...]:
    """A long alternation split by key words: one gated pattern per distinct key-word list (alternatives sharing one
    are joined, in order), so each part is searched only in sentences holding its own key words. The earliest match
    over the parts (``Ctx.first``) is the match of ``rx(*alternatives)``; only two alternatives matching at the same
    offset could pick a different span."""
    groups: dict[str, list[str]] = {}
    for alt, keys in alternatives:
        groups.setdefault(" ".join(sorted(keys.split())), []).append(alt)
    out = []
    for keys, alts in groups.items():
        out.append(rx(*alts))
        gate(out[-1], keys)
    return tuple(out)


_WEEKDAY_WORDS = " ".join(WEEKDAYS)
_MONTH_WORDS = "january february march april may june july august september october november december"
gate(MONTH_PREP, _MONTH_WORDS)
gate(DATE_RE, f"# {_WEEKDAY_WORDS} {_MONTH_WORDS}")
gate(TIME_RE, "# noon midday midnight")
gate(RELTIME_RE, "today tomorrow tonight overnight morning afternoon evening week weeks weekend month business working "
     f"play eod cob thing minutes minute hours hour days day lunch lunchtime noon midday # {_WEEKDAY_WORDS}")
