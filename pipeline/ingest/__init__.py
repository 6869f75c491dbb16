"""Reading: a text or HTML file in (any common encoding), a segmented Article out (read.py, segment.py)."""
