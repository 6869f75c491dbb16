"""Translating: foreign sentences in, their machine translation out.

interface.py says what every backend offers; translator.py picks argos.py or apertium.py, behind
cache.py; packages.py manages the Argos packages.
"""
