"""Differences: Links in, labelled Beads out.

label.py decides match, partial, addition or omission; differ.py finds the words one side says alone, on
the evidence of evidence.py (lemmas, dictionary glosses from gloss.py, names, numbers) and spans.py (whole
words); settings.py holds the stage's settings. (SimAlign, the bench's baseline, is scripts/wordalign.py.)
"""
