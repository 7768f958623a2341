"""Compose mode: put the user's facts verbatim into the variant's letter frames around the model's admission.

The frames live in ``prompts/<variant>/letter.yaml``; this module only chooses which frame fits each fact
and fixes capitalisation and punctuation, so facts are never paraphrased (a small model paraphrasing a
deadline is how invented dates get in).
"""

from __future__ import annotations

import html
import re

from .prompts import Variant, render
from .schema import Facts, Placeholder

_SENTENCE_OPENERS = {
    "i", "we", "my", "our", "the", "a", "an", "this", "that", "these", "your", "you", "it", "everything", "all",
    "from", "going", "every", "each", "starting", "as", "to", "in", "on", "after", "before", "when", "there",
    "please", "next", "from now on", "any", "no", "both",
}
_DONE_RE = re.compile(r"\b(already|done|complete[d]?|finished|fixed|sorted|resolved)\b", re.IGNORECASE)
_PERFECT_RE = re.compile(r"(?:I|We)(?: have|'ve) (?!to\b)\w+", re.IGNORECASE)
_PLACEHOLDER_RE = re.compile(r"\[[^\[\]\n]{3,80}\]")


def _strip_end(text: str) -> str:
    return text.strip().rstrip(".!;, ")


def as_clause(text: str) -> str:
    """A fact as a sentence body: kept verbatim, but a bare verb phrase gets a first-person subject.

    "refunded the $240" -> "I have refunded the $240"; "re-send the report" -> "I will re-send the report";
    "From now on a second person checks…" stays as written (first letter capitalised).
    """
    body = _strip_end(text)
    if not body:
        return body
    first = body.split()[0].lower().strip(",")
    if first in _SENTENCE_OPENERS or body[0].isupper() and first not in _VERBISH_CAPS:
        return body[0].upper() + body[1:]
    body = body[0].lower() + body[1:]
    if first.endswith("ed") or first in ("sent", "made", "put", "set", "paid", "rebuilt", "built", "rewritten"):
        return f"I have {body}"
    return f"I will {body}"


# Capitalised first words that are still bare verbs ("Refunded the charge").
_VERBISH_CAPS = {"refunded", "refund", "resent", "re-sent", "resend", "re-send", "sent", "send", "fixed", "fix",
                 "corrected", "correct", "replaced", "replace", "rebooked", "rebook", "credited", "credit",
                 "added", "add", "will", "have", "restored", "restore", "updated", "update", "issued", "issue"}


_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?"


def address_client(text: str, recipient: str | None) -> str:
    """Speak to the client, not about them: "the client's" → "your", "Ms. Rivera" → "you" (and her → your)."""
    text = re.sub(r"\b(?:the|our|my) (?:client|customer)'s\b", "your", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(?:the|our|my) (?:client|customer)\b", "you", text, flags=re.IGNORECASE)
    if not recipient:
        return text
    words = [w for w in re.findall(r"[A-Za-z][\w'-]+", recipient) if not re.fullmatch(_TITLES, w)]
    if not words:
        return text
    first, last = re.escape(words[0]), re.escape(words[-1])
    name = rf"(?:(?:{_TITLES}\s+)?(?:{first}\s+)?{last}|{first})"
    # Names inside quotes or brackets are quoted, not addressed ("I wrote 'Mr Lynn Carter'"): leave them.
    parts = re.split(r"(\'[^\']*\'|\"[^\"]*\"|\([^)]*\))", text)
    named = [re.sub(rf"\b{name}\b", "you", re.sub(rf"\b{name}'s\b", "your", p)) if i % 2 == 0 else p
             for i, p in enumerate(parts)]
    if named == parts:
        return text
    # The pronouns that stood for the client now mean "you"/"your" (outside quotes, not in contractions).
    for i in range(0, len(named), 2):
        part = re.sub(r"\b(her|his|their)\b(?!')", "your", named[i])
        part = re.sub(r"\b(he|she|they)\b(?!')(?! (?:is|was|were|are|has|had)\b)", "you", part)
        named[i] = re.sub(r"\b(him|them)\b", "you", part)
    return "".join(named)


def admission_sentence(text: str, recipient: str | None = None) -> str:
    """The model's admission as one clean sentence addressed to the client."""
    # llama-cpp-python's chat template HTML-escapes the prompt, and small models echo the entities back.
    body = " ".join(html.unescape(text).split()).strip().strip('"').strip()
    if not body:
        return body
    body = address_client(body, recipient)
    body = body[0].upper() + body[1:]
    return body if body[-1] in ".!?" else body + "."


def compose(variant: Variant, facts: Facts, admission: str) -> tuple[str, list[Placeholder]]:
    """The full message for ``facts`` and the model's ``admission``, with the placeholders it contains."""
    p = variant.phrases
    tone, chat = facts.tone, facts.channel == "chat"
    placeholders: list[Placeholder] = []

    def missing(field: str, frame: str) -> str:
        text = p[frame]
        for token in _PLACEHOLDER_RE.findall(text):
            placeholders.append(Placeholder(token=token, field=field, question=variant.placeholders.get(field, token)))
        return text

    if facts.recipient:
        greeting = render(p["greeting_chat" if chat else f"greeting_{tone}"], {"recipient": facts.recipient})
    else:
        greeting = p["greeting_chat_missing" if chat else "greeting_missing"]
    values = {
        "greeting": greeting,
        "admission": admission_sentence(admission, facts.recipient),
        "apology": p[f"apology_{tone}"],
        "impact": render(p["impact"], {"impact": _strip_end(facts.impact)}) if facts.impact else "",
        "fix": render(p["fix"], {"fix": as_clause(facts.fix)}) if facts.fix else missing("fix", "fix_missing"),
        "prevention": (render(p["prevention"], {"prevention": as_clause(facts.prevention)}) if facts.prevention
                       else missing("prevention", "prevention_missing")),
        "make_good": render(p["make_good"], {"make_good": as_clause(facts.make_good)}) if facts.make_good else "",
        "forgiveness": p["forgiveness"],
        "contact": p["contact"],
    }
    if facts.deadline:
        frame = "timeline_done" if _DONE_RE.search(facts.deadline) else "timeline"
        if frame == "timeline" and facts.fix and _PERFECT_RE.match(as_clause(facts.fix)) and "timeline_after_done" in p:
            frame = "timeline_after_done"  # "I have refunded …" + "by Friday": not "It will be done by Friday"
        values["timeline"] = render(p[frame], {"deadline": _strip_end(facts.deadline)})
    else:
        values["timeline"] = missing("deadline", "timeline_missing")
    if chat:
        values["signoff"] = render(p["signoff_chat"], {"sender": facts.sender}) if facts.sender else ""
    elif facts.sender:
        values["signoff"] = render(p[f"signoff_{tone}"], {"sender": facts.sender})
    else:
        values["signoff"] = missing("sender", "signoff_missing")
    template = variant.letter[facts.channel]
    if chat and "{signoff}" not in template:
        template += "{signoff}"
    text = render(template, values, where=f"{variant.name}/letter.yaml:{facts.channel}")
    # Frames carry their own leading space (" It will be done …"); none belongs at the start of a line.
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", re.sub(r"[ \t]{2,}", " ", text)).strip()
    return re.sub(r"\n{3,}", "\n\n", text), placeholders


def find_placeholders(text: str) -> list[str]:
    """The [bracketed] placeholders left in a text."""
    return _PLACEHOLDER_RE.findall(text)
