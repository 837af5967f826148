"""The story format and its compiler: YAML files in, an immutable, validated `Story` out.

Pure Python: nothing here imports the runtime, the classroom, the tools or the desktop game.

- the way in: `loader` (`check_story`, `load_story`, `build_story`), with the compiled `cache`
  (`cache_codec` encodes its scenes);
- pass 1: `files` (finding and reading them), `yaml_source` (composing each; `yaml_errors`
  explains a syntax error where the author made it), `nodes` (typed readers over one file's
  nodes), `head`, `outline` (the scene index);
- pass 2: `scenes`, checking each reference with `references` (and `conditions`), then `checks`
  of the whole story and `lint`;
- what comes out: `model`, `diagnostics`; besides, `keys` (the format's keys), `text`
  (placeholders and paragraphs) and `collector` (pausing the garbage collector).
"""
