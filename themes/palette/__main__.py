"""``python -m themes.palette``: generate palettes without Django (same flags as ``generate_palette``)."""

import sys

from .cli import main

sys.exit(main())
