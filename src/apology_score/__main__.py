import sys

from apology_score.cli import main

sys.exit(main())
