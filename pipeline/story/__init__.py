"""N reports of one story: link every pair, group the sentences into claims (newsalign compare)."""
