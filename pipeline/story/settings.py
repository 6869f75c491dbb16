"""The story stage's settings in one frozen object: how the pairs' links become claims.

claims.py reads them by attribute from STORY; the provenance of `compare` records the object whole
(model.settings_record).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StorySettings:
    # two units the aligner saw side by side and did not link: evidence that they state different content,
    # as the log-odds of this probability
    not_linked_probability: float = 0.2
    merge_min: float = 0.5  # sentences of one side of a link this probable are one unit (a merged bead)
    clip: float = 0.01  # probabilities are kept in [clip, 1 - clip], so one link's log-odds stay finite


STORY = StorySettings()
