"""A line of a report in, why it carries no claim out (or None): punctuation alone, a link or button, a photo
credit, a byline or an agency's name alone, a date alone.

Scraped pages leave such lines between the sentences ("read more" after a paragraph, "Leave a Comment",
"REUTERS / Pavel Mikheyev" under a picture, a closing quotation mark the segmenter left alone). They state
nothing, so a claim built on one would be a false "only here"; `compare` marks them instead. Each rule is
a whole-line pattern: a sentence that merely contains such words is a sentence.
"""

from __future__ import annotations

import re

# lines a page's furniture is made of, as whole lines (case ignored, closing punctuation aside)
_BUTTONS = re.compile(
    r"(read|see|show|load) (more|less|also)( stories| news)?|leave a (comment|reply)|\d* ?comments?"
    r"|share( (this|on \w+))?|tweet|print|e-?mail|subscribe( now)?|sign (up|in)( now)?.*"
    r"|click here.*|advertisement|related( articles| stories)?|follow us.*|back to top|more on this story"
    r"|our standards: .*|all rights reserved.*|copyright .*|© .*",
    re.IGNORECASE,
)
# "REUTERS / Pavel Mikheyev", "Photo: AFP", "(AP Photo/John Doe)", "Getty Images"
_CREDIT = re.compile(
    r"(?i:\(?((ap |afp |reuters )?photo(graph)?( by| credit)?|picture|image|credit)s?\s*[:/].{0,60}\)?)"
    r"|\(?[A-Z][A-Z.-]+( [A-Z][A-Z.-]+)? ?/ ?[A-Z][\w.-]*( [A-Z][\w.-]*){0,3}\)?"  # an agency in capitals
    r"|(?i:.{0,40}(getty images|shutterstock|afp photo|epa-efe).{0,20})",
)
# "Report by Guy Faulconbridge; Edited by ...", "By Jane Doe", "Reporting by ...", an agency alone
_BYLINE = re.compile(
    r"(\(?(report(ing|ed)?|writing|edited|editing|compiled|additional reporting)( by)? .{0,200})"
    r"|by [A-Z][\w'.-]+( [A-Z][\w'.-]+){0,3}"
    r"|\(?(bta|бта|afp|ap|reuters|dpa|ansa|tass|тасс|ria novosti|франс прес|france presse)\)?",
    re.IGNORECASE,
)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"((\d{{1,2}} {_MONTH},? \d{{4}}|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{4}}-\d\d-\d\d)[\s,|()]*"
    rf"(\d{{1,2}}:\d\d)?[\s\w,|():]*|\d{{1,2}}:\d\d)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
_CLOSING = " .,;:!?…\"'“”‘’«»()[]"


def no_claim(text: str) -> str | None:
    """Why the line carries no claim, or None when it may carry one."""
    line = text.strip()
    if not _LETTER.search(line):
        return "no words"
    bare = line.strip(_CLOSING)
    if _BUTTONS.fullmatch(bare):
        return "a link or button"
    if _CREDIT.fullmatch(bare) and len(bare.split()) <= 8:
        return "a photo credit"
    if _BYLINE.fullmatch(bare):
        return "a byline"
    if _DATE.fullmatch(bare) and len(bare) <= 60:
        return "a date alone"
    return None
