"""The command line (`python main.py ...`) and its commands: validate, play, playtest, map,
schema and report.
"""
