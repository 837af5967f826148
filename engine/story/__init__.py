"""The story format and its compiler: YAML files in, an immutable, validated `Story` out.

Pure Python: nothing here imports the runtime, the classroom, the tools or the desktop game.
"""
