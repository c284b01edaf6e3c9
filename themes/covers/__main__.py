"""``python -m themes.covers`` entry point."""

import sys

from .cli import main

sys.exit(main())
