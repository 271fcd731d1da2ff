"""`python -m kontora.cli`: what `kontora serve` runs its worker with, and the tests the command."""

import sys

from kontora.cli import main

sys.exit(main())
