"""The terminal player: a story played in a text console, a front end beside the desktop game."""
