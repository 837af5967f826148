"""The runtime: a session playing a story, its saved data, save slots, and the game facade that
front ends drive. Imports `engine.story`, never the classroom, the tools or the desktop game.
"""
