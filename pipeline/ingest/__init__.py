"""Reading: a file in (text or HTML, any common encoding), a segmented Article out (read.py, then segment.py)."""
