"""`python -m mmsdesk` runs the same entry point as the `mmsdesk` command."""

import sys

from mmsdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
