"""Batches: a manifest in, a folder per pair and summary.json and index.html out (jobs.py ties it together).

manifest.py reads the manifest; worker.py aligns each pair, executors.py runs the workers and
progress.py shows them; index.py writes summary.json and index.html.
"""
