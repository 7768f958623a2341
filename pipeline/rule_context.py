"""One message prepared for the rule detectors (``checks``): normalised, lower-cased, placeholders and injected
instructions masked (same length, so offsets hold), split into sentences, with the words of each sentence for
the key-word gates."""

from __future__ import annotations

import re

from . import patterns_offer as po
from .patterns_apology import APOLOGY
from .patterns_tone import INJECTION
from .schema import Evidence
from .textspan import (
    GATES,
    WORD_SEP,
    Sentences,
    gate_index,
    lower_same_length,
    mask,
    normalize,
    placeholder_spans,
    split_sentences,
)


class Ctx:
    """One message prepared for the detectors: lower-cased, placeholders and injected instructions masked, and the
    words of each sentence (a gated pattern is searched only in sentences holding one of its key words)."""

    __slots__ = ("text", "low", "cased", "sents", "bounds", "where", "words", "holes", "apologies", "injections",
                 "_all", "_one", "_masks")

    def __init__(self, text: str) -> None:
        self.text = text
        self.cased = normalize(text)
        self.low = lower_same_length(self.cased)
        self.bounds = split_sentences(self.low)
        self.sents = Sentences(self.low, self.bounds)
        self.where = _word_index(self.low, self.bounds)
        self.words = set(self.where)
        # Sentence bits per gated pattern, in one pass over the message's words (the inverse gate index): cheaper
        # than intersecting each pattern's key words with the message's words, ~35 times per message.
        masks: dict[int, int] = {}
        index = gate_index()
        for word, bits in self.where.items():
            for pid in index.get(word, ()):
                masks[pid] = masks.get(pid, 0) | bits
        self._masks = masks
        self.holes: dict[str, tuple[int, int]] = {}
        self._all: dict[int, list[re.Match[str]]] = {}  # memo by id(pattern): several detectors share patterns
        self._one: dict[int, re.Match[str] | None] = {}
        spans = placeholder_spans(self.low)
        inj = self.injections = self._find_all(INJECTION)  # on the unmasked text, so not memoised
        if spans or inj:
            # Mask in place (same length): sentence bounds stay valid and the word index stays a superset.
            for s, e in reversed(spans):
                self.holes[_hole_kind(self.low, s, e, self.sents)] = (s, e)
            spans += [self.sents.at(m.start()) for m in inj]
            self.cased, self.low = mask(self.cased, spans), mask(self.low, spans)
        self.apologies = self.find_all(APOLOGY)

    def _mask(self, pattern: re.Pattern[str]) -> int:
        """Bit set of the sentences to search for ``pattern`` (-1: not gated, search the whole text)."""
        key = id(pattern)
        if key not in GATES:
            return -1
        return self._masks.get(key, 0)

    def find(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """First match of ``pattern`` in text order, searching only the sentences its gate words allow."""
        key = id(pattern)
        if key in self._one:
            return self._one[key]
        if key in self._all:
            found = self._all[key]
            return found[0] if found else None
        m = self._one[key] = self._find(pattern)
        return m

    def first(self, patterns: tuple[re.Pattern[str], ...]) -> re.Match[str] | None:
        """The earliest match of any of ``patterns`` (ties go to the earlier pattern): ``find`` on their alternation."""
        best = None
        for pattern in patterns:
            m = self.find(pattern)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def _find(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        bits = self._mask(pattern)
        if bits < 0:
            return pattern.search(self.low)
        while bits:
            low_bit = bits & -bits
            s, e = self.bounds[low_bit.bit_length() - 1]
            m = pattern.search(self.low, s, e)
            if m:
                return m
            bits ^= low_bit
        return None

    def find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of ``pattern`` in text order (gated like ``find``)."""
        key = id(pattern)
        if key not in self._all:
            self._all[key] = self._find_all(pattern)
        return self._all[key]

    def _find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        bits = self._mask(pattern)
        if bits < 0:
            return list(pattern.finditer(self.low))
        out: list[re.Match[str]] = []
        while bits:
            low_bit = bits & -bits
            s, e = self.bounds[low_bit.bit_length() - 1]
            out += pattern.finditer(self.low, s, e)
            bits ^= low_bit
        return out

    def ev(self, start: int, end: int, detector: str, note: str) -> Evidence:
        """Evidence for ``text[start:end]``."""
        return Evidence(quote=self.text[start:end], start=start, end=end, detector=detector, note=note)

    def clause(self, start: int, end: int, cap: int = 60) -> tuple[int, int]:
        """(start, end) widened to the end of the clause (next , . ; ! ? or newline), at most ``cap`` more chars."""
        m = CLAUSE_END.search(self.low, end, min(len(self.low), end + cap))
        stop = m.start() if m else min(len(self.low), end + cap)
        return start, max(end, len(self.text[:stop].rstrip()))

    def sentence_tail(self, start: int, cap: int = 120) -> tuple[int, int]:
        """From ``start`` to the end of its sentence, at most ``cap`` chars."""
        return start, min(self.sents.at(start)[1], start + cap)


_DIGIT = re.compile(r"\d")


def _word_index(low: str, bounds: list[tuple[int, int]]) -> dict[str, int]:
    """Each word of the text -> bit set of the sentences holding it; "#" stands for "has a digit"."""
    words = low.translate(WORD_SEP)
    where: dict[str, int] = {}
    get = where.get
    for i, (s, e) in enumerate(bounds):
        bit = 1 << i
        for word in set(words[s:e].split()):
            where[word] = get(word, 0) | bit
        if _DIGIT.search(low, s, e):
            where["#"] = get("#", 0) | bit
    return where


CLAUSE_END = re.compile(r"[,.;!?\n]")


def _hole_kind(low: str, start: int, end: int, sents: Sentences) -> str:
    inner = low[start:end]
    s, e = sents.at(start)
    around = low[s:start] + low[end:e]
    for kind, pattern in (("date", po.HOLE_DATE), ("prevention", po.HOLE_PREVENT), ("fix", po.HOLE_FIX)):
        if pattern.search(inner):
            return kind
    for kind, pattern in (("prevention", po.HOLE_PREVENT), ("date", po.HOLE_DATE), ("fix", po.HOLE_FIX)):
        if pattern.search(around):
            return kind
    return "other"
