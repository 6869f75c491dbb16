"""The ingest stage's settings in one frozen object: what reading takes for boilerplate, wrapping, language.

read.py reads them by attribute from INGEST; the provenance records the object whole
(model.settings_record). The size limits (read.MAX_BYTES, read.MAX_CHARS) and segmentation's window are
not here: they refuse an input or split the work, and never change a result.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestSettings:
    # a line of at least this many words, this share of them icon names, is a scraped list of UI icons
    icon_line_words: int = 8
    icon_share: float = 0.3
    min_article_words: int = 5  # below this, what trafilatura found is a menu or a label, not a report
    # A block is hard-wrapped (one paragraph, not a line each) when it has at least wrap_min_lines lines,
    # its longest line is wrap_min_width..wrap_max_width characters (the usual e-mail and wire widths), and
    # of the lines before the last, wrap_filled_share reach wrap_near of that width and
    # wrap_mid_sentence_share end mid-sentence.
    wrap_min_lines: int = 3
    wrap_min_width: int = 40
    wrap_max_width: int = 120
    wrap_near: float = 0.75
    wrap_filled_share: float = 0.7
    wrap_mid_sentence_share: float = 0.5
    lang_sample: int = 20_000  # characters langid looks at: enough to tell the language, quick on a long file
    # fewer letters than this (a headline, a list of names) say too little about the language
    judge_letters: int = 40
    # A declared language is contradicted only when langid is at least judge_confidence sure of another
    # one, and the declared one is neither among its judge_top_guesses best guesses nor given
    # judge_min_probability.
    judge_confidence: float = 0.9
    judge_top_guesses: int = 3
    judge_min_probability: float = 0.01
    # A declared language is taken as given, without langid, when at least this share of the sample's words
    # is on its stop list (stopwordsiso): 0.36-0.56 in the seeds', Text+Berg's and the team's texts of the
    # language, at most 0.27 in those of another (lists of en, de, fr, bg, it, es, ru, mk).
    confirm_share: float = 0.33


INGEST = IngestSettings()
