"""Generate a large story for the benchmarks: 10,000 scenes in ten files (about 8.5 MB of YAML).

Three choices per scene (accept, fight with weighted outcomes, walk away behind a locked
condition), fair-math effects, conditions with and/or/not and visited(), routers every tenth scene
and endings scattered through and at the end. Deterministic: the same arguments give the same bytes.

    python benchmarks/generate_story.py OUT_DIR [--scenes 10000] [--files 10]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "you and your partner talk about the weekend plan again while the kettle boils and the rain "
    "keeps tapping on the window they say they are tired and would rather stay in though you "
    "had both agreed on it last week something in their voice makes you wonder who decides "
    "these things between you and whether it has always been this way or only lately"
).split()

METERS = ("trust", "security", "self_esteem", "balance")
FLAGS = tuple(f"flag_{n}" for n in range(20))


def scene_kind(index: int, total: int) -> str:
    if index >= total - 50:
        return "ending"
    if index > 0 and index % 10 == 5:
        return "router"
    if index > 0 and index % 97 == 0:
        return "ending"
    return "choices"


def sentence(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(WORDS))
    picked = [WORDS[(start + i * 7) % len(WORDS)] for i in range(words)]
    return " ".join(picked).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(7, 11)) for _ in range(sentences))


def condition(rng: random.Random, index: int) -> str:
    meter, other = rng.sample(METERS, 2)
    flag = rng.choice(FLAGS)
    forms = (
        f"{meter} >= {rng.randint(20, 70)} and not {flag}",
        f"{meter} + {other} > {rng.randint(60, 140)}",
        f"visited('s{max(index - rng.randint(1, 40), 0)}') > 0 or {meter} < {rng.randint(30, 80)}",
        f"({meter} - {other}) / 2 < {rng.randint(0, 30)} or {flag}",
    )
    return rng.choice(forms)


def forward(rng: random.Random, index: int, total: int) -> str:
    return f"s{min(total - 1, index + rng.randint(2, 60))}"


def next_open(index: int, total: int) -> str:
    """The next scene after `index` that is not a scattered ending, so every scene is reached."""
    target = index + 1
    while scene_kind(target, total) == "ending" and target < total - 50:
        target += 1
    return f"s{target}"


def scene_yaml(rng: random.Random, index: int, total: int) -> str:
    kind = scene_kind(index, total)
    lines = [f"  s{index}:"]
    if index % 10 == 0:
        lines.append(f"    title: Scene {index}")
    lines.append("    text: |")
    lines.append("      " + paragraph(rng, 1))
    lines.append("")
    lines.append("      " + sentence(rng, rng.randint(4, 7)))
    if kind == "ending":
        lines += [
            "    ending:",
            f"      title: Ending {index}",
            "      debrief: " + sentence(rng, 14),
            "      questions:",
            "        - " + sentence(rng, 8)[:-1] + "?",
        ]
        return "\n".join(lines)
    if kind == "router":
        lines += [
            "    next:",
            f"      - if: {condition(rng, index)}",
            f"        goto: {forward(rng, index, total)}",
            f"      - if: {rng.choice(METERS)} > {rng.randint(40, 90)}",
            f"        goto: s{total - 50 + (index - (total - 100))}"
            if index >= total - 100
            else f"        goto: {forward(rng, index, total)}",
            f"      - goto: {next_open(index, total)}",
        ]
        return "\n".join(lines)
    m1, m2, m3 = rng.sample(METERS, 3)
    flag = rng.choice(FLAGS)
    leave = forward(rng, index, total)
    if index >= total - 100:  # each final ending is reached from the scenes just before them
        leave = f"s{total - 50 + (index - (total - 100))}"
    for ahead in (index + 1, index + 2):  # scattered endings are reached by walking away
        if ahead < total - 50 and scene_kind(ahead, total) == "ending":
            leave = f"s{ahead}"
    lines += [
        "    choices:",
        "      - id: accept",
        "        text: " + sentence(rng, 5),
        "        response: accept",
        f"        effects: {{{m1}: {rng.choice(['+', '-'])}{rng.randint(1, 9)}, "
        f'{m2}: "%-{rng.randint(5, 25)}"}}',
        "        feedback: " + sentence(rng, 5),
        f"        goto: {next_open(index, total)}",
        "      - id: fight",
        "        text: " + sentence(rng, 5),
        "        response: fight",
        "        outcomes:",
        f"          - if: {condition(rng, index)}",
        f"            weight: {rng.randint(1, 4)}",
        f'            effects: {{{m1}: "%+{rng.randint(5, 30)}"}}',
        f"            set: {{{flag}: true}}",
        "            feedback: " + sentence(rng, 4),
        f"            goto: {forward(rng, index, total)}",
        "          - weight: 2",
        f"            effects: {{{m2}: -{rng.randint(1, 12)}}}",
        "            feedback: " + sentence(rng, 4),
        f"            goto: {forward(rng, index, total)}",
        "      - id: walk_away",
        "        text: " + sentence(rng, 5),
        "        response: walk_away",
        f"        if: {m3} > {rng.randint(10, 40)}",
        "        locked: " + sentence(rng, 3),
        f'        effects: {{{m3}: "=%d"}}' % rng.randint(20, 80),
        f"        goto: {leave}",
    ]
    return "\n".join(lines)


def head_yaml() -> str:
    lines = [
        "title: Benchmark story",
        "id: benchmark",
        "start: s0",
        "content_note: Generated text for measuring the engine.",
        "responses:",
        "  accept: Accept",
        "  fight: Fight for cooperation",
        "  walk_away: Walk away",
        "meters:",
    ]
    for meter in METERS:
        lines += [f"  {meter}:", f"    label: {meter.replace('_', ' ').title()}", "    start: 50"]
    lines.append("flags:")
    lines += [f"  {flag}: false" for flag in FLAGS]
    return "\n".join(lines) + "\n"


def generate(out: Path, scenes: int = 10_000, files: int = 10, seed: int = 1) -> list[Path]:
    """Write the story into `out`; return the files written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "story.yaml"]
    written[0].write_text(head_yaml(), encoding="utf-8")
    per_file = -(-scenes // files)
    for part in range(files):
        chunk = range(part * per_file, min(scenes, (part + 1) * per_file))
        body = "\n".join(scene_yaml(rng, index, scenes) for index in chunk)
        path = out / f"part_{part:02d}.yaml"
        path.write_text("scenes:\n" + body + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    written = generate(args.out, args.scenes, args.files)
    size = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
