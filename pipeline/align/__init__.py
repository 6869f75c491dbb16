"""Aligning: two Articles in, Links out (aligner.py runs the steps; see its docstring for how).

signals.py and embed.py turn sentences into numbers; problem.py, similarity.py and
norms.py score every bead shape; search.py and band.py find the monotone path;
passes.py and attach.py refine it; settings.py holds every threshold.
"""
