"""``python -m recommender.engine ...``: the offline evaluation command without Django."""

import sys

from .cli import main

sys.exit(main())
