"""`python -m pipeline` is the same as the `newsalign` command."""

import sys

from pipeline.cli import main

sys.exit(main())
