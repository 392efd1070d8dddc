"""``python -m corridors``: the command line (see :mod:`corridors.cli`)."""

import sys

from .cli import main

sys.exit(main())
