"""Batches: a manifest in (manifest.py); each pair aligned by worker.py, run by executors.py, shown by progress.py; summary.json and index.html from index.py; jobs.py ties them together."""
