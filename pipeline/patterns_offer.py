"""Patterns for the recommended offers: ``make_good``, ``asks_forgiveness``, ``direct_contact``, and the kinds of
[placeholder] a draft may leave (``HOLE_*``). Lower-cased text; gated by key words (``textspan.gate``)."""

from __future__ import annotations

import re

from .patterns_repair import FIX_SPECIFIC
from .textspan import gate, rx

# --- optional criteria -----------------------------------------------------------------------------------------
MAKE_GOOD = re.compile(
    r"\bfree\b(?<!feel\sfree)(?<!-free)(?!\s+to\b)(?!\s+of\s+(?:errors?|mistakes?)\b)|\b(?:complimentary|on\s+the\s+house"
    r"|with\s+(?:our|my)\s+compliments|(?:won't|will\s+not|shan't|not\s+be)\s+charg(?:e|ing)\s+(?:you\s+)?(?:anything\s+)?for"
    r"|(?:reduc|cut|lower|knock|trim)\w*\s+(?:\w+\s+){0,3}?(?:fee|bill|invoice|price|charge|rate|total)s?\s+by"
    r"|(?:take|taking|took|knock|knocking|knocked)\s+(?:\S+\s+){1,3}?off\s+(?:your|the|this|next)\s+(?:\w+\s+){0,2}?"
    r"(?:invoice|bill|order|fee|retainer|booking|session|month)"
    r"|(?:\$|\u00a3|\u20ac)\s?\d[\d,.]*\s+off\b"
    r"|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)|no\s+(?:extra\s+)?charge|(?:\d+(?:\.\d+)?\s*%"
    r"|\d+\s+per\s*cent|half)\s+off|half[-\s]price|discount\w*|waiv(?:e|ed|ing)|bonus|voucher|gift\s+(?:card"
    r"|certificate)|goodwill|as\s+a\s+(?:small\s+)?(?:gesture|thank-?you)|upgrade\w*|(?:an?\s+)?extra\s+(?:\w+\s+)?"
    r"(?:session|hour|month|week|day|revision|round|consultation|copy|copies|licen[cs]e|seat|lesson|call|item"
    r"|night|visit)s?|additional\s+(?:session|hour|month|revision|consultation)s?|(?:account|store|service|\d+)\s+"
    r"credit|(?:a|an)\s+(?:\$|\u00a3|\u20ac)?\d*\s*credit\b(?!\s+(?:card|note))|credit\s+(?:of|towards?)"
    r"|credited\s+(?:\w+\s+){0,3}?with\s+(?:a|an|one|two|three|\d+)\s+(?:free\s+)?(?:months?|weeks?|years?|days?"
    r"|sessions?)(?:'s?)?)")
#: "next month is on us" (searched apart from MAKE_GOOD: "us" and "me" are in most sentences, the rest is rare).
ON_US = re.compile(r"\bon\s+(?:us|me)\b(?!\s+to\b)")
#: ... unless it owns the mistake ("that's on me"): checked on the text just before "on".
ON_US_NOT_AFTER = re.compile(r"(?:\bit\sis|\bthat\sis|\bthis\sis|\bit's|\bthat's|\ball|\bwas|\bis\sall)\s\Z")
#: "at no cost" / "free of charge" right after the repair itself ("we will reprint them at no cost") is the fix.
FIX_AT_NO_COST = re.compile(rf"\b(?:{FIX_SPECIFIC}|fix|correct|redo|re-?do)\w*\b[^,.;!?\n]{{0,50}}$")
FORGIVENESS = rx(
    r"forgiv(?:e|eness|ing)(?!\s+(?:myself|ourselves))", r"pardon", r"(?:give|grant|offer)\s+(?:me|us)\s+(?:\w+\s+)?"
    r"(?:chance|opportunity)", r"(?:another|a\s+second|one\s+more)\s+chance", r"(?:chance|opportunity)\s+to\s+"
    r"(?:make\s+(?:it|this|things|amends|it\s+up)|put\s+(?:it|this|things)\s+right|earn|win|regain|rebuild|prove|keep"
    r"|continue)", r"(?:earn|win|regain|rebuild|restore|re-?earn)\s+(?:back\s+)?(?:your|the)\s+(?:trust|confidence"
    r"|faith)",
    r"(?:keep|continue|carry\s+on)\s+(?:\w+\s+)?(?:working|work)\s+(?:together|with\s+you|for\s+you)",
    r"(?:continue|continuing|keep|keeping)\s+(?:our\s+)?(?:\w+\s+)?(?:relationship|partnership|collaboration)",
    r"(?:hope|hoping|trust)\s+(?:that\s+)?(?:we|i)\s+can\s+(?:continue|keep|move\s+(?:forward|past|on)|put\s+this"
    r"|still\s+work|work\s+together)", r"look\s+forward\s+to\s+continuing",
    r"(?:stay|remain)\s+(?:with\s+us|a\s+(?:client|customer))")
CONTACT = rx(
    r"(?:happy|glad|available|free|able|like|love|want|keen|ready|pleased|delighted|willing"
    r"|offer)\s+to\s+(?:\w+\s+){0,2}?"
    r"(?:call|phone|ring|talk|speak|meet|chat|visit|discuss|walk\s+you\s+through|go\s+through|hop\s+on|jump\s+on"
    r"|set\s+up\s+a|arrange\s+a|schedule\s+a|book\s+a|come\s+(?:by|over|in|to)|drop\s+by|pop\s+(?:by|over|in))",
    r"(?:i|we)(?:'ll|\s+will|'d|\s+would|\s+can|\s+could)\s+(?:\w+\s+)?(?:(?:call|phone|ring)\s+you|meet\s+(?:you|with"
    r"|up)|visit\s+(?:you|your)|talk\s+(?:to|with|it|you)|speak\s+(?:to|with)|come\s+(?:by|over|to\s+(?:you|your))"
    r"|drop\s+by|pop\s+(?:by|over|in)|walk\s+you\s+through|hop\s+on|jump\s+on)",
    r"(?:call|phone|ring|text)\s+me", r"(?:give|drop)\s+me\s+a\s+(?:call|ring|line|buzz)",
    r"(?:let's|let\s+us|shall\s+we|could\s+we|can\s+we)\s+(?:\w+\s+)?(?:talk|speak|meet|chat|catch\s+up|hop\s+on"
    r"|jump\s+on"
    r"|set\s+up|arrange|schedule|have\s+a\s+(?:call|chat))",
    r"(?:my|our)\s+(?:direct\s+(?:line|number|dial)|mobile|cell|phone\s+number|number)\s*(?:is|:)", r"direct\s+line",
    r"(?:reach|contact)\s+me\s+(?:directly|on|at|any\s?time|personally)", r"in\s+person", r"face[-\s]to[-\s]face",
    r"(?:set\s+up|arrange|schedule|book)\s+(?:a|some)\s+(?:\w+\s+)?(?:call|meeting|time|chat)", r"happy\s+to\s+discuss",
    r"drop\s+by")
HOLE_DATE = rx(r"date", r"when", r"day", r"deadline", r"time")
HOLE_PREVENT = rx(r"again", r"recur\w*", r"prevent\w*", r"change", r"stop")
HOLE_FIX = rx(r"fix", r"right", r"doing", r"correct\w*", r"remedy", r"repair", r"refund", r"replace")

gate(MAKE_GOOD, "free complimentary house compliments charging charged reduce reduced reducing cut cutting lower "
     "lowered knock knocked knocking trim trimmed take taking took credited cost charge off half price discount "
     "discounts discounted waive waived waiving "
     "bonus voucher vouchers gift goodwill gesture thank extra additional credit")
gate(ON_US, "us me")
gate(FORGIVENESS, "forgive forgiveness forgiving pardon chance opportunity trust confidence faith working work "
     "relationship partnership collaboration hope hoping trust continuing stay remain")
gate(CONTACT, "call phone ring talk speak meet chat visit discuss walk go hop jump set arrange schedule book come drop "
     "pop text line buzz catch direct mobile cell number reach contact person face")
