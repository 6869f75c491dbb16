"""The differences stage's settings in one frozen object: bead labels, the review flag, word differences.

label.py, differ.py, evidence.py and spans.py read them by attribute from DIFFERENCES; the provenance
records the object whole (model.settings_record). Tuned on Text+Berg 001-004 (scripts/bench_words.py)
unless a comment says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DifferencesSettings:
    # -- label.py. With a word differ a two-sided bead is `partial` exactly when some side has a span of
    # words the other side does not say; without one (word differences switched off), when its score is this
    # low.
    partial_score: float = 0.5
    # Below this score an aligned pair is flagged for review (TMX note, XLIFF state, HTML mark). A link's
    # score is the probability that it is right (links start at 0.5), so below 0.9 more than one in ten may
    # be wrong; in make bench's reliability table the few links of 0.6-0.9 are right about half the time,
    # those above 0.9 96 times in 100.
    review_below: float = 0.9
    # A sentence alone (an addition, an omission) whose score, the probability that it has no counterpart,
    # is below this more likely than not has one, which no link holds: the outputs say "check" beside it.
    alone_check_below: float = 0.5

    # -- differ.py: the span test. A candidate stays when cutting it out raises the cosine similarity
    # (multilingual-e5) of its side with the other side by at least a gain. Without an embedder,
    # min_content_alone words must do. gain_min holds where the side is tested alone: between two reports
    # in one language, and for the foreign runs the dictionaries find (tested against the target).
    gain_min: float = 0.012
    min_content_alone: int = 4
    # Between a translation and the target, whole clauses are tested on both sides of the pair: the mean of
    # the gain on the translation (cut from it, against the target) and on the foreign text (its counterpart
    # cut, against the target); for target clauses, against the translation and against the foreign text. A
    # translator's rewordings move one gain, rarely both. The best balance of pairs flagged.
    clauses_gain_min: float = 0.011
    # A run of words inside a clause is tested on its side alone and must gain more: rewordings leave such
    # runs everywhere (below this, runs only add false flags to what the clauses find).
    run_gain_min: float = 0.04
    # A clause's test on the foreign text costs an embedding: it is made only when cutting the clause brings
    # its own side this much closer to the other (below it the mean rarely passes).
    further_tests_from: float = 0.0
    # A translated clause that gains on every view but less than clauses_gain_min is kept when none of its
    # shown content words has a counterpart and the other side has no clause like it: its cosine with each
    # clause of the other side stays below this. An added sentence on the pair's own topic barely moves the
    # whole side's embedding, yet no clause of the other side says it; a reworded clause has its counterpart
    # there. Rough translations sit lower: in the seeds' Apertium pair a reworded clause holding a said word
    # ("said") fell under it, hence the words' own evidence as well.
    clause_match_max: float = 0.85
    # Two reports in one language are compared word with word, no translation between them: the evidence
    # is sure enough for shorter runs.
    min_content_same_language: int = 1

    # -- evidence.py. Words spelt this alike (rapidfuzz ratio) count as one word: Muhtar / Mukhtar.
    spelling_min: float = 80.0
    spelling_min_length: int = 4
    # A stop list's word is a function word only when it is among its language's most frequent words
    # (wordfreq's Zipf scale: 6 is once per million words x 1000). Stop lists (stopwordsiso) also hold
    # content words - French "essai", "voie", "valeur", "passé" - and an added clause may say little else.
    # 5.0 to 7.0 all find more added clauses than the whole list; 6.0 most.
    function_word_min_zipf: float = 6.0
    # A word that begins another of at least this many letters is the same word derived (resign/resignation).
    stem_min_length: int = 5

    # -- spans.py. A run is a candidate only when it holds this many content words without counterpart.
    min_content: int = 3
    # A clause (words between clause punctuation) is mostly unsaid when at least this share of its content
    # words has no counterpart; a window of clauses must begin and end with such a clause.
    clause_unsaid_share: float = 0.5
    # A window of whole sentences none of whose content words has a counterpart needs only this many: a
    # short sentence more ("Where had my ice axe gone?") says nothing the other side says (five draws: more
    # added sentences found, no more false flags).
    sentence_min_content: int = 2


DIFFERENCES = DifferencesSettings()
