"""Patterns for the repair criteria: ``concrete_fix`` (what is done to put it right), ``timeline`` (when) and
``prevention`` (what stops it recurring). Lower-cased text; each is gated by key words (``textspan.gate``)."""

from __future__ import annotations

import re

from .textspan import GATES, gate, parts, rx, words

# --- concrete_fix / timeline ------------------------------------------------------------------------------
FIXED = (r"(?:refunded|re-?sent|replaced|rebooked|credited|reversed|restored|re-?issued|cancell?ed|voided|repaired"
         r"|reinstated|redone|redid|re-?ran|rewrote|rewritten|rebuilt|re-?uploaded|re-?shipped|re-?printed|rescheduled"
         r"|re-?delivered|dispatched|reimbursed|withdr(?:ew|awn)|re-?drew|re-?drawn|re-?exported|re-?submitted"
         r"|re-?entered|re-?calculated|re-?cut|re-?made|re-?ordered|re-?activated|re-?enabled|re-?opened|unlocked"
         r"|unblocked|reserved|paid\s+(?:the|your|for|each|every|all|back)|rolled\s+back|re-[a-z]{2,}"
         r"|reworked|reinstalled|repainted|refitted|retook|reshot|relabell?ed|retyped|rerouted|swapped|exchanged|waived"
         r"|covered\s+(?:the|your|all)\s+(?:\w+\s+)?(?:costs?|bills?|fees?|charges?)|taken\s+(?:\w+\s+){0,3}?down"
         r"|unpublished|picked\s+up|collected)")
_VAGUE_OBJ = r"(?!\s+(?:it|this|that|things|everything|the\s+(?:issue|problem|matter|situation|error|mistake))\b)"
BETTER = r"(?:corrected|correct|right|new|replacement|revised|updated|fixed|amended|missing|full|accurate|proper)"
_ADV_FIX = r"(?:(?:now|just|already|personally|also|then|immediately|today|of\s+course|happily|gladly|\w+ly)\s+)?"
_FIXED_WORDS = (
    "refunded resent replaced rebooked credited reversed restored reissued cancelled canceled voided repaired "
    "reinstated redone redid reran rewrote rewritten rebuilt reuploaded reshipped reprinted rescheduled redelivered "
    "dispatched "
    "reimbursed withdrew withdrawn redrew redrawn reexported resubmitted reentered recalculated recut remade reordered "
    "reactivated reenabled reopened unlocked unblocked reserved paid rolled re reworked reinstalled repainted refitted "
    "retook reshot relabelled relabeled retyped rerouted swapped exchanged waived covered taken unpublished picked "
    "collected ")
_BETTER_WORDS = "corrected correct right new replacement revised updated fixed amended missing full accurate proper "
_FIX_WORDS = _FIXED_WORDS + "fixed corrected amended rectified removed"
#: A concrete fix that is already done: "I have refunded ...", "the charge has been reversed", "here is the corrected".
#: Pairs of (alternative, key words); ``FIX_DONE_PARTS`` searches them one by one, each only in sentences holding
#: one of its key words, and takes the earliest match (the same match as ``FIX_DONE``, at a fraction of the cost).
_FIX_DONE_ALTS = (
    (rf"(?:(?:i|we)(?:'ve|\s+have)?|(?:they|he|she)(?:'ve|\s+have|\s+has))\s+"
     rf"(?:now\s+|just\s+|already\s+|personally\s+|also\s+)?(?:{FIXED}"
     rf"|(?:fixed|corrected|amended|rectified|removed){_VAGUE_OBJ})", _FIX_WORDS),
    (rf"(?:has|have|had)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:fully\s+|now\s+)?(?:{FIXED}|fixed|corrected"
     r"|amended|rectified|removed)", _FIX_WORDS),
    (rf"(?:i|we)(?:'ve|\s+have)\s+{_ADV_FIX}(?:sent|attached|uploaded|shipped|posted|emailed|added|included|put|booked"
     rf"|ordered|printed|made|given|entered|set|changed|switched|moved|loaded|applied)\s+(?:you\s+|over\s+|in\s+|out\s+)?"
     rf"(?:the\s+|a\s+|an\s+|your\s+)?{BETTER}", _BETTER_WORDS),
    # "I've changed the date to the correct one", "we switched your plan back to the right tier"
    (rf"(?:i|we)(?:'ve|\s+have)?\s+{_ADV_FIX}(?:changed|switched|moved|set|reset|updated|corrected|put|turned)\s+"
     rf"(?:\w+\s+){{0,4}}?(?:back\s+)?(?:to|into|onto|on)\s+(?:the\s+|a\s+|your\s+)?{BETTER}", _BETTER_WORDS),
    (r"(?:back|returned)\s+(?:on|in|to)\s+your\s+(?:card|account|bank)", "card account bank"),
    # causative: "I had the ad corrected", "we got your room changed to a double"
    (rf"(?:i|we)(?:'ve|\s+have)?\s+{_ADV_FIX}(?:got|had)\s+(?:\w+\s+){{1,4}}?(?:{FIXED}|fixed|corrected|changed|moved"
     r"|amended|updated)\b", _FIX_WORDS + " changed moved updated"),
    (rf"(?:attached|enclosed)\s+(?:is|are)\s+(?:the|a)\s+{BETTER}", "attached enclosed"),
    (rf"please\s+find\s+(?:attached|enclosed)\s+(?:the|a)\s+{BETTER}", "attached enclosed"),
    (rf"here(?:'s|\s+is|\s+are)\s+the\s+{BETTER}", _BETTER_WORDS),
    # the repaired item, or proof of the repair, is with the client: "corrected invoice attached"
    (rf"(?:{BETTER}|confirmation)(?:\s+\w+){{0,5}}?(?:\s+(?:is|are|has\s+been|have\s+been)|'s)?\s+"
     r"(?:now\s+)?(?:attached|enclosed|in\s+the\s+post|on\s+(?:its|their|the)\s+way|in\s+(?:the|your)\s+(?:\w+\s+)?"
     r"(?:inbox|folder|drive|account|portal|system))", _BETTER_WORDS + "confirmation"),
    (r"now\s+(?:shows?|says|reads|lists|has|have|includes?|contains?|carries|carry)\s+(?:the\s+|a\s+|an\s+|your\s+)?"
     rf"{BETTER}", _BETTER_WORDS),
    (r"(?:is|are|'s|'re)\s+(?:now\s+)?(?:sending|bringing|delivering|posting|printing|making|shipping)\s+(?:you\s+)?"
     rf"(?:the|a|an|your)\s+(?:\w+\s+)?{BETTER}", _BETTER_WORDS),
    (r"(?:took|taken|knocked|removed)\s+(?:\w+\s+){0,4}?off\s+(?:your|the)\s+(?:\w+\s+)?(?:bill|invoice|account"
     r"|statement)", "took taken knocked removed"),
    (r"(?<!\bit\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\beverything\s)(?:is|are)\s+now\s+(?:live|back\s+(?:up|online)"
     rf"|working\s+again|{FIXED}|corrected|moved\s+to|changed\s+to|switched\s+to|set\s+to|booked\s+(?:for|in))",
     _FIXED_WORDS + "live back working corrected moved changed switched set booked"),
    (rf"(?:was|were)\s+(?:now\s+|fully\s+)?(?:{FIXED}|fixed|corrected|rectified)", _FIX_WORDS),
    # elliptical chat: "refunded it just now", "re-sent this morning"
    (rf"(?:(?<![\s\S])|(?<=\n)|(?<=[.,;:!?-]\s)|(?<=\band\s))(?:{FIXED})\s+(?:it|them|that|this|the|your|you)\b",
     _FIXED_WORDS),
    # coordinated: "I called them this morning and withdrew the order"
    (rf"(?:i|we)(?:'ve|\s+have)?\s+{_ADV_FIX}[a-z]+ed\b[^.;!?\n]{{0,60}}?\band\s+(?:also\s+)?(?:{FIXED}"
     rf"|(?:fixed|corrected|amended|updated){_VAGUE_OBJ})", _FIX_WORDS + " updated"),
    (rf"(?:i|we)(?:'ve|\s+have)\s+{_ADV_FIX}(?:updated|ordered\s+(?:a|an)\s+(?:new|replacement)){_VAGUE_OBJ}",
     "updated ordered"),
    (r"(?:a|the|your)\s+(?:new|replacement|corrected|revised)\s+(?:\w+\s+){0,2}?(?:has\s+been|have\s+been)\s+"
     r"(?:now\s+)?(?:booked|confirmed)", "new replacement corrected revised"),
)
FIX_DONE = rx(*(alt for alt, _ in _FIX_DONE_ALTS))
FIX_DONE_PARTS = parts(*_FIX_DONE_ALTS)
#: Completion in general (timeline): "is now fixed", "has been resolved", "it is done".
DONE = rx(
    r"(?:has|have|had)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:fully\s+|now\s+)?(?:sorted|resolved|completed|done"
    r"|processed|issued|applied|updated|sent|delivered|fixed|corrected)",
    r"(?:is|are|'s|'re)\s+(?:now\s+)?(?:all\s+)?(?:fixed|done|complete|completed|resolved|sorted|corrected|live"
    r"|back\s+up|restored|in\s+place|on\s+(?:its|their)\s+way|refunded|cancell?ed|reversed)",
    r"(?:i|we)(?:'ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?(?:sorted|resolved|completed|processed|issued|updated"
    r"|sent|delivered)",
    r"(?:is|are|'s|'re)\s+(?:now\s+)?(?:in\s+your\s+(?:inbox|account|hands)|in\s+the\s+post|on\s+the\s+way)",
    r"(?:fixed|done|sorted|resolved|corrected|live|refunded|restored)\s+(?:just\s+|right\s+)?now",
    r"(?:has|have)\s+been\s+(?:live|running|working|back\s+up|back\s+online)\s+since")
ALREADY = re.compile(r"\balready\b(?!\s+(?:know|aware|told|mentioned|said|explained|paid|waited|been\s+charged))")
WILL = (r"(?:(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to"
        r"|'m|\s+am|'re|\s+are)\s+)")
#: WILL, or an offer: "I can refund ...", "we'd be happy to replace ...", "I'd like to re-shoot ...".
_OFFER = (r"(?:(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to"
          r"|'m|\s+am|'re|\s+are|\s+can|\s+could|(?:'d|\s+would|'m|\s+am|'re|\s+are|'ll|\s+will)\s+(?:be\s+)?(?:happy|glad"
          r"|pleased)\s+to|(?:'d|\s+would)\s+like\s+to|\s+(?:want|plan|intend|offer)\s+to)\s+)")
FIX_SPECIFIC = (r"(?:refund|re-?send|replac|rebook|credit|re-?issu|revers|cancel|void|reinstat|redo|rewrit|rebuild"
                 r"|re-?run|re-?ship|re-?print|reschedul|re-?deliver|restor|re-?upload|repair|reimburs|re-?export"
                 r"|re-?submit|re-?cut|re-?draw|re-?fit|re-?make|re-?enter|re-?calculat|re-?order|unlock|collect"
                 r"|re-[a-z]{3,}|rework|reinstall|repaint|retak|reshoot|re-?record|relabel|retyp|rerout|swap|exchang"
                 r"|waiv|pay\s+(?:for|the|your|back|you)|cover\s+(?:the|your|all)\s+(?:\w+\s+)?(?:costs?|bills?|fees?"
                 r"|charges?))")
FIX_WILL = re.compile(rf"\b(?:(?:i|we){_OFFER}|will(?<!\byou\swill)\s+|(?:i|we){_OFFER}[^.;!?\n]{{0,60}}?\b(?:and|to"
                      r"|then)\s+)"
                      rf"{_ADV_FIX}"
                       rf"(?:{FIX_SPECIFIC}\w*|(?:fix|correct|amend|rectify|update|remov|sort)\w*\s+(?:out\s+)?"
                       r"(?!(?:it|this|that|things|everything|next|out|the\s+(?:issue|problem|matter|situation|error"
                       r"|mistake))\b)"
                       r"\w+|(?:fit|install|put\s+in)\s+(?:a|an|the)\s+(?:new|replacement|separate|correct|right|proper))\b"
                       rf"|(?:(?<![\s\S])|(?<=\n)|(?<=[.,;:!?-]\s))(?:{FIX_SPECIFIC})\w*ing\b")
FIX_NOUN = rx(r"(?:a|the|your)\s+(?:full\s+)?(?:refund|replacement|credit\s+note)\s+(?:of\s+\S+\s+)?(?:has\s+been|was"
                r"|is\s+being|will\s+be|is\s+on\s+(?:its|the)\s+way|is\s+in\s+progress|is\s+in\s+the\s+post|is\s+ready"
                r"|(?:will|should)\s+arrive|arrives|went\s+out|goes\s+out)",
                r"you(?:'ll|\s+will)\s+(?:receive|get|see|have)\s+(?:a|the|your)\s+(?:full\s+)?(?:refund|replacement"
                r"|corrected|new|revised|credit)",
                rf"{BETTER}(?:\s+\w+){{1,3}}?\s+(?:will\s+be|is\s+being|are\s+being)\s+(?:\w+ly\s+)?(?:sent|issued"
                r"|posted|emailed|delivered|uploaded|shipped)",
                rf"(?:is|are)\s+being\s+(?:{FIXED}|fixed|corrected|amended|rectified)",
                rf"(?:i|we){_OFFER}(?:\w+\s+){{0,2}}?(?:get|bring|drop|tak|courier|mak|print|giv|book|order|find|deliver"
                rf"|put)\w*\s+(?:you\s+)?(?:a|the|your|an)\s+(?:\w+\s+)?{BETTER}",
                r"(?:a|the|your)\s+(?:new|replacement|corrected|revised)\s+(?:\w+\s+){0,2}?(?:is|are|has\s+been"
                r"|have\s+been|will\s+be)\s+(?:now\s+)?(?:on\s+order|ordered|on\s+(?:its|their|the)\s+way|in\s+the\s+post"
                r"|with\s+you|ready|sent|posted|dispatched|being\s+\w+ed)",
                # a specific choice: "a refund or a replacement, whichever you prefer"
                r"(?:refund|replacement|credit|new\s+one|exchange|re-?do)\s+or\s+(?:a\s+|an\s+)?(?:full\s+)?(?:refund"
                r"|replacement|credit|new\s+one|exchange)",
                rf"(?:i|we)(?:'ve|\s+have)?\s+{_ADV_FIX}(?:asked|arranged\s+for|told|instructed|booked|got)\s+"
                rf"[^.;!?\n]{{0,50}}?\bto\s+(?:{FIX_SPECIFIC})")
FIX_WEAK = re.compile(rf"\b(?:(?:i|we)(?:{_OFFER}|(?:'ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?)"
                      r"|will(?<!\byou\swill)\s+)"
                      r"(?:send|sent|deliver|ship|upload|issu|arrang|book|process|attach)\w*(?:\s+\w+){0,6}")
#: A weak fix that is only a message or a standing habit, not the repair ("I'll send you an update every Friday").
WEAK_NOT_FIX = rx(r"updates?", r"reminders?", r"schedules?", r"photos?", r"summary", r"messages?", r"e-?mails?",
                  r"newsletters?", r"details", r"confirmations?", r"every", r"each", r"always", r"whenever",
                  r"from\s+now\s+on", r"going\s+forward", r"in\s+(?:the\s+)?future", r"next\s+time")
VAGUE_FIX = rx(
    r"look(?:ing)?\s+into", r"investigat\w+", r"(?:do|doing)\s+(?:our|my)\s+best", r"do\s+better",
    r"(?:get|getting)\s+back\s+to\s+you", r"(?:work|working)\s+on\s+(?:it|this|a\s+(?:fix|solution)|resolving)",
    r"sort(?:ing)?\s+(?:it|this|things)\s+out", r"take\s+care\s+of\s+(?:it|this)", r"make\s+(?:it|this|things)\s+right",
    r"(?:address|resolve|handle|deal\s+with)\s+(?:it|this|the\s+(?:issue|problem|matter|situation))",
    r"see\s+what\s+(?:we|i)\s+can\s+do", r"escalat\w+", r"get\s+(?:it|this|things)\s+sorted",
    r"taking\s+(?:this|it)\s+(?:very\s+)?seriously", r"rectify\s+the\s+situation")
FUTURE = rx(r"will", r"'ll", r"shall", r"going\s+to", r"(?:is|are)\s+being", r"expect\w*",
             r"(?:is|are|been|be|now)\s+scheduled|scheduled\s+(?:for|to|in)", r"arranged\s+(?:for|to|with)",
             r"booked\s+(?:you|it|them|in|for)",
              r"plan(?:ned)?\s+to", r"aim\s+to", r"due", r"arriv\w+", r"ready", r"on\s+(?:its|their)\s+way",
              r"(?:'m|am|'re|are)\s+\w+ing", r"should\s+(?:arrive|reach|be|have|see)", r"rebooked", r"rescheduled")
FWD_BEFORE = re.compile(r"\b(?:by|before|until|till|no\s+later\s+than|within|starting|on\s+or\s+before)\s+"
                         r"(?:the\s+)?(?:end\s+of\s+)?$")
VAGUE_TIME = rx(r"soon", r"asap", r"as\s+soon\s+as\s+(?:possible|(?:i|we)\s+can|practicable)", r"shortly",
                  r"in\s+due\s+course", r"at\s+(?:some|a\s+later)\s+point", r"in\s+the\s+coming\s+(?:days|weeks)",
                  r"at\s+the\s+earliest\s+opportunity", r"when(?:ever)?\s+(?:i|we)\s+can", r"eventually",
                  r"promptly", r"quickly")
NOW_TIME = rx(r"immediately", r"right\s+away", r"straight\s+away", r"at\s+once", r"right\s+now")
# --- prevention -------------------------------------------------------------------------------------------------
FORWARD = rx(r"from\s+now\s+on", r"going\s+forward", r"moving\s+forward", r"in\s+(?:the\s+)?future", r"henceforth",
               r"from\s+(?:today|this\s+point|here\s+on)", r"(?:for|on)\s+(?:every|each|all)\s+(?:future|new|upcoming)",
               r"starting\s+(?:today|now|tomorrow|this|next|immediately)", r"every\s+time", r"each\s+time",
               r"next\s+time", r"from\s+next\s+\w+")
MEASURE = rx(
    r"check-?lists?", r"reminders?", r"safeguards?", r"guardrails?", r"second\s+(?:person|pair\s+of\s+eyes"
    r"|set\s+of\s+eyes"
    r"|check|review|reviewer|sign-?off|approval)", r"peer[-\s]review\w*", r"four-?eyes", r"sign-?off",
    r"(?:approval|review|checking|verification|qa|quality|proofreading)\s+(?:step|process|stage|check|procedure|gate)",
    r"automat(?:ed|ic|ically)\s+(?:\w+\s+)?(?:checks?|alerts?|reminders?|tests?|validation|warnings?|confirmations?)",
    r"double-?check\w*", r"cross-?check\w*", r"calendar\s+(?:alerts?|reminders?|invites?|entry|entries|block)",
    r"validation", r"audit\w*", r"(?:re)?train(?:ing|ed)", r"(?:check|review|verify|test|proofread"
    r"|reconcile)\s+(?:every"
    r"|each|all)", r"(?:check|review|verify|confirm|test|proofread|reconcile)\w*\s+(?:\w+\s+){0,3}?before",
    r"(?:i|we)(?:'ve|\s+have)?\s+(?:(?:now|also|since|just|already)\s+)?(?:added|introduced|set\s+up|put\s+in\s+place|implemented|created|changed|adjusted"
    r"|built|installed|automated|switched\s+to|updated\s+our|moved\s+to|started\s+using)\s+(?:\w+\s+){0,3}?(?:check|step|process"
    r"|rule|system|procedure|reminder|alert|checklist|safeguard|workflow|policy|review|test|template|control"
    r"|validation|field|warning|limit|lock|flag)s?")
#: A standing rule that starts now: "I now check every ...", "our system now blocks any ...", "every date is now
#: confirmed ...", "only X can now be used"; counted only with a scope word (``RULE_SCOPE``) in the same sentence.
NOW_RULE = rx(
    r"(?:i|we|(?!(?:right|just|by|for|until|till|up|even|and|but|so|or|is|are|was|were|it|that|this|here|there|from"
    r"|as|of|to|be|been|you|they|he|she|which|who|only|also|not|until|unless)\b)[a-z]+)(?:'ll|\s+will)?\s+now\s+(?:always\s+|also\s+)?(?!(?:have|has|had|am|is|are|was|were|know|knows|realise"
    r"|realize|understand|see|owe|want|hope|feel|need|look|think|believe|on|that|and|the|a|in|i|we|so|to|be|do|no)\b)[a-z]{2,}(?<!ed)",
    r"(?:is|are)\s+now\s+(?:always\s+)?(?:\w+ly\s+)?[a-z]+(?:ed|en|t)\b",
    r"(?:can|must|may|will)\s+(?:only\s+)?now\s+be\s+[a-z]+(?:ed|en|t)\b",
    r"now\s+(?:has|have)\s+to\s+(?:be\s+)?[a-z]{3,}",
    r"from\s+this\s+(?:week|month|day|morning)", r"no\s+longer\s+(?:allows?|accepts?|lets?|permits?)")
RULE_SCOPE = rx(r"every", r"each", r"all", r"any", r"only", r"no", r"never", r"always", r"before", r"until", r"unless",
                r"instead\s+of", r"rather\s+than", r"whenever")
SOFT_MEASURE = rx(r"process", r"procedure", r"workflow", r"policy", r"protocol", r"system", r"alerts?",
                    r"always", r"every", r"each")
PURPOSE = rx(r"(?:to|so\s+as\s+to|so)\s+(?:make\s+sure|ensure|prevent|avoid|stop|guarantee)\s+(?:that\s+)?"
               r"(?:this|it|that|the\s+same)\s+(?:\w+\s+){0,3}?(?:happen\w*|recur\w*|again)",
               r"so\s+(?:that\s+)?(?:this|it|that|the\s+same\s+\w+)\s+(?:can't|cannot|can\s+never|won't|will\s+not|never)"
               r"\s+(?:happen|recur|occur)")
ACTION = re.compile(r"\b(?:i|we)(?:'ll|\s+will|'ve|\s+have|'m|\s+am|'re|\s+are|\s+now)\s+(?!be\s+more|do\s+better"
                     r"|try|make\s+sure\s+(?:this|it))(?:now\s+|also\s+)?[a-z]{3,}")
EMPTY_PREVENT = rx(
    r"(?:won't|will\s+not|will\s+never|shall\s+not|never)\s+(?:ever\s+)?happen\s+again", r"rest\s+assured",
    r"(?:won't|will\s+not|never)\s+(?:be\s+)?(?:repeated|recur)", r"lesson\s+(?:has\s+been\s+)?learn(?:ed|t)",
    r"learn(?:ed|t)\s+(?:my|our|a|from)", r"(?:be|being)\s+(?:more|extra)\s+(?:careful|vigilant|attentive|diligent)",
    r"do\s+better", r"try\s+harder", r"pay\s+(?:more|closer)\s+attention", r"take\s+(?:more|extra|greater)\s+care",
    r"make\s+sure\s+(?:this|it)\s+(?:doesn't|does\s+not|won't|will\s+not|never)\s+happen\s+again")
VAGUE_PREVENT = rx(r"be\s+more\s+\w+", r"do\s+better", r"try\s+harder", r"pay\s+(?:more|closer)\s+attention",
                     r"take\s+(?:more|extra)\s+care", r"(?:not|never)\s+(?:let|allow)\s+(?:this|it)")

gate(DONE, "sorted resolved completed done processed issued applied updated sent delivered fixed corrected complete "
     "live back restored place way refunded cancelled canceled reversed inbox account hands post running working")
gate(ALREADY, "already")
gate(FIX_WILL, " ".join(w + x for w in words(
    # "re-send" is gated by "re"; plain "send", "print", "order" are not fixes here
    "refund resend replac rebook credit reissu revers cancel void reinstat redo rewrit rebuild rerun reship reprint "
    "reschedul redeliver restor reupload repair fix correct amend rectif updat remov sort reimburs reexport resubmit "
    "recut redraw refit remak reenter recalculat reorder unlock collect fit install put re rework reinstall repaint "
    "retak reshoot rerecord relabel retyp rerout swap exchang waiv pay cover")
    for x in ("", "e", "s", "es", "ed", "ing", "ment", "y", "ies")))
gate(FIX_NOUN, _FIXED_WORDS + _BETTER_WORDS + "refund credit exchange redo rectified " + " ".join(GATES[id(FIX_WILL)]))
gate(FIX_WEAK, "send sending sent deliver delivering delivered ship shipping shipped upload uploading uploaded issue "
     "issuing issued arrange arranging arranged book booking booked process processing processed attach attaching "
     "attached")
gate(VAGUE_FIX, "look looking investigate investigating investigated investigation best better back working work sort "
     "sorting care right address resolve handle deal see escalate escalating escalated escalation sorted seriously "
     "rectify")
gate(VAGUE_TIME, "soon asap shortly due point coming opportunity when whenever eventually promptly quickly possible")
gate(NOW_TIME, "immediately away once now")
gate(FORWARD, "now forward future henceforth today point here new upcoming starting time next")
gate(MEASURE, "checklist checklists check checks list lists reminder reminders safeguard safeguards guardrail "
     "guardrails second peer four eyes signoff sign off approval checking verification qa quality proofreading "
     "automated automatic automatically using double doublecheck doublechecks doublechecked doublechecking cross "
     "crosscheck "
     "crosschecks "
     "crosschecked crosschecking calendar validation audit audits audited auditing training trained retrain retrained "
     "retraining review reviews verify test proofread reconcile before step steps process processes rule rules system "
     "systems procedure procedures alert alerts workflow workflows policy policies template templates control controls "
     "field fields warning warnings limit limits lock locks flag flags")
gate(NOW_RULE, "now this longer")
gate(SOFT_MEASURE, "process procedure workflow policy protocol system alert alerts always every each")
gate(PURPOSE, "sure ensure prevent avoid stop guarantee so")
gate(EMPTY_PREVENT, "happen rest repeated recur lesson learned learnt careful vigilant attentive diligent better "
     "harder attention care")

# --- a general repair action (fallback when no listed repair verb matched) ------------------------------------
#: A first-person action in the perfect, progressive or future ("I have filed …", "we are restoring …", "I will
#: honour …"), someone acting for us in the progressive ("the printer is reprinting …"), or the item on its way.
#: ``checks._repair_action`` then rejects verbs that are not repairs (``NOT_REPAIR``) and sentences that describe
#: the mistake, a standing rule or a condition.
REPAIR_SUBJECT = re.compile(
    r"\b(?:(?:i|we)(?P<perf>'ve|\s+have)\s+(?:now\s+|just\s+|already\s+|also\s+|personally\s+|since\s+)?"
    r"|(?:i|we)(?P<prog>'m|\s+am|'re|\s+are)\s+(?:now\s+|already\s+|also\s+|personally\s+)?(?=[a-z-]+ing\b)"
    r"|(?:i|we)(?P<fut>'ll|\s+will|\s+shall)\s+(?:now\s+|also\s+|personally\s+|then\s+|immediately\s+)?"
    r"|(?P<agent>(?:a|an|the|our|my)\s+(?:[a-z-]+\s+){0,2}?(?:is|are)\s+(?:now\s+|already\s+)?)"
    r"(?=(?:re[a-z-]+|bring|deliver|collect|send|ship|fix|repair|replac|print|courier|driv|install|restor|recover"
    r"|prepar|mak|cook|bak|pack|rebuild|refund|credit)[a-z]*ing\b))"
    r"(?P<verb>[a-z-]{3,})\b")
#: "… and enclosed a breakdown": a second verb in the same clause.
AND_VERB = re.compile(r"\band\s+(?:have\s+|then\s+|also\s+)?(?P<verb>[a-z-]{3,}(?:ed|en))\b")
#: The repair as a state or someone else's confirmed act: "is on its way", "rolled it back", "has confirmed in
#: writing that they deleted it" (a privacy slip's usual repair).
REPAIR_STATE = rx(r"(?:is|are)\s+(?:now\s+)?on\s+(?:its|their)\s+way(?!\s+back)", r"rolled\s+(?:\w+\s+){0,3}?back",
                  r"reverted", r"undid|undone",
                  r"(?:confirmed|agreed|promised)\s+(?:in\s+writing\s+|to\s+(?:me|us)\s+)?(?:that\s+)?(?:they|he|she)"
                  r"(?:'ve|\s+have|\s+has)?\s+(?:now\s+|already\s+)?(?:deleted|destroyed|shredded|returned|wiped|erased"
                  r"|removed)")
#: Verbs that report, feel, investigate, communicate or commit the mistake: not a repair on their own.
NOT_REPAIR = words(
    "been have had having has got gotten let kept keep keeping know knew known think thought thinking feel felt "
    "feeling hope hoped hoping want wanted wanting try tried trying learn learned learnt learning realised realized "
    "realising realizing noticed noticing apologised apologized apologise apologize apologising apologizing understand "
    "understood see seen saw seeing hear heard say said saying tell told telling speak spoke spoken speaking talk "
    "talked talking discuss discussed discussing look looked looking investigate investigated investigating review "
    "reviewed reviewing check checked checking need needed needing plan planned planning intend intended mean meant "
    "work worked working get getting contact contacted contacting call called calling email emailed emailing ask "
    "asked asking remind reminded make made making do did done doing be being ensure ensured ensuring go gone going "
    "come came coming give given keep stay stayed reach reached reaching update updated be continue continued "
    "forgot forgotten missed missing overlooked failed failing lost losing deleted broke broken mixed messed "
    "double-booked overcharged undercharged misread misunderstood neglected sent sending send wrote written writing "
    "write charged billed booked shipped put")
#: The sentence describes the mistake, a standing rule, a condition or an offer, not a repair.
NOT_REPAIR_SENTENCE = rx(
    r"wrong(?:ly)?", r"twice", r"by\s+mistake", r"in\s+error", r"accidentally", r"mistaken\w*", r"forgot", r"missed",
    r"didn't", r"did\s+not", r"failed", r"should(?:\s+have|'ve)",
    r"from\s+now\s+on", r"in\s+(?:the\s+)?future", r"going\s+forward", r"every\s+time", r"next\s+time", r"whenever",
    r"again", r"try", r"hope")
#: Irregular past participles that count as a perfect-tense repair ("we have found your payment and …").
IRREGULAR_DONE = words("set found paid built rebuilt rewritten redone sold bought brought left taken drawn redrawn "
                       "withdrawn stood held run rerun shown")
#: A condition or hypothetical before the verb: "if you like, I will …", "we could …".
CONDITION = rx(r"if", r"unless", r"could", r"would", r"might", r"whether")
#: A setting changed or a course taken so it cannot recur: "I have turned off …", "the team are doing a … course".
SETTING_OR_TRAINING = rx(
    r"(?:i|we)(?:'ve|\s+have)?\s+(?:now\s+|also\s+|since\s+)?(?:turned|switched)\s+(?:\w+\s+){0,3}?(?:off|on)",
    r"(?:i|we)(?:'ve|\s+have)?\s+(?:now\s+|also\s+|since\s+)?(?:disabled|enabled|blocked|restricted|locked\s+down)",
    r"(?:doing|taking|attending|booked\s+(?:\w+\s+){0,3}?on(?:to)?|signed\s+up\s+(?:\w+\s+)?for|completed)\s+"
    r"(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:course|workshop|coaching|training)",
    r"back-?up\s+(?:\w+\s+)?(?:terminal|copy|copies|system|plan|generator|server|machine|device|drive|reader)")
#: An honest warning that it could recur ("it could freeze again"), counted with a safeguard in the same sentence.
MAY_RECUR = rx(r"(?:could|may|might|can)\s+(?:still\s+)?(?:\w+\s+){0,3}?(?:happen|recur|occur|\w+)\s+again")
