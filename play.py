"""Qingjing: run `python play.py` for the game, `python play.py --help` for every command."""

import sys

from engine.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
