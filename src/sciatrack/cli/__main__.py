"""``python -m sciatrack.cli`` runs the same command as ``sciatrack``."""

import sys

from sciatrack.cli.parser import main

sys.exit(main())
