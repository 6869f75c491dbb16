"""Same facts across reports: English sentence pairs in, the probability that they state the same fact out."""
