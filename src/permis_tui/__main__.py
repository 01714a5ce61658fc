import sys

from permis_tui.cli import main

sys.exit(main())
