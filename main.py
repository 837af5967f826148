"""Balance of Power: start the game, or run one of its tools (`python main.py --help`)."""

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
