"""One module per command of `python main.py`; each offers `add_arguments(parser)` and
`run(args) -> exit code`, and is imported only when its command runs.
"""
