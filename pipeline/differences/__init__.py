"""Differences: Links in, labelled Beads out.

label.py decides match, partial, addition or omission; wordalign.py finds the differing words.
"""
