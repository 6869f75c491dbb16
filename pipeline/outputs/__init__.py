"""Writing: an Alignment in, the output files out.

writers.py names one render function per file; text.py holds what they share.
"""
