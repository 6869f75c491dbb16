"""Translating: foreign sentences in, their machine translation out.

translator.py picks argos.py or apertium.py, behind cache.py; packages.py manages the Argos packages.
"""
