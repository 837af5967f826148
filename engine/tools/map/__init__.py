"""The story map: a story as a graph of scenes and the ways between them, laid out and written as
SVG, Mermaid or Graphviz DOT.
"""
