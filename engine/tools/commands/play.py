"""`play`: play a story in the game's window, or in the terminal (`--text`, or where there is
no display); draw one screen into a PNG (`--screenshot`); a class's settings (`--classroom`)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from engine.paths import BUNDLED_STORY
from engine.play.start import StartError, StartRequest
from engine.story.model import Story

DEFAULT_SIZE = "1280x720"
TEXT_SIZE_CHOICES = ("small", "medium", "large", "largest")  # engine/ui/fonts.py TEXT_SIZES
SCREENSHOT_ONLY = ("--settings", "--high-contrast", "--text-size")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", default=None, help="a story file or folder")
    parser.add_argument("--text", action="store_true", help="play in the terminal")
    parser.add_argument("--seed", type=int, default=None, help="seed for the random outcomes")
    parser.add_argument(
        "--choices",
        default=None,
        help="comma-separated choices to play without asking (ids or numbers)",
    )
    parser.add_argument(
        "--transcript",
        type=Path,
        default=None,
        help="write a JSON record of the playthrough to this file",
    )
    parser.add_argument(
        "--from",
        dest="from_scene",
        default=None,
        metavar="SCENE",
        help="start at this scene instead of the story's start (for authors)",
    )
    parser.add_argument(
        "--set",
        dest="set_values",
        default=None,
        metavar="NAME=VALUE,...",
        help="start with these meters and flags set, e.g. trust=30,gave_key=true",
    )
    parser.add_argument("--saves", default=None, help="the saves folder (default: saves/)")
    parser.add_argument(
        "--load",
        default=None,
        metavar="SLOT",
        help="start from a save: a slot number or 'autosave'",
    )
    parser.add_argument("--partner", default=None, help="the partner's name")
    parser.add_argument(
        "--pronouns", default=None, choices=("they", "she", "he"), help="the partner's pronouns"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=None,
        metavar="OUT.png",
        help="draw a screen of the game into a PNG and exit (no display needed)",
    )
    parser.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        metavar="WxH",
        help="the window or screenshot size (default 1280x720)",
    )
    parser.add_argument(
        "--screen",
        default=None,
        metavar="NAME",
        help="the screen to draw with --screenshot: title, play, feedback, "
        "ending, history, settings, load, save, pause, partner, "
        "content_note, help, player, credits (default: the one reached "
        "after --choices)",
    )
    looks = parser.add_argument_group(
        "how the screenshot looks",
        "the game's settings for --screenshot (by default the defaults, so that every run draws "
        "the same picture; the flags override the file)",
    )
    looks.add_argument(
        "--settings",
        type=Path,
        default=None,
        metavar="FILE",
        help="draw with the settings in this settings file (settings.json in a saves folder): "
        "its text size, theme, undo, font and line spacing; it is only read",
    )
    looks.add_argument(
        "--high-contrast",
        action="store_true",
        default=None,
        help="draw with the high-contrast theme",
    )
    looks.add_argument(
        "--text-size",
        choices=tuple(TEXT_SIZE_CHOICES),
        default=None,
        help="draw with this text size",
    )
    classroom = parser.add_argument_group(
        "classroom", "settings a teacher hands out; flags override the --classroom file"
    )
    classroom.add_argument(
        "--classroom",
        type=Path,
        default=None,
        metavar="FILE",
        help="classroom settings (see docs/classroom.md)",
    )
    classroom.add_argument(
        "--no-undo",
        dest="allow_undo",
        action="store_const",
        const=False,
        default=None,
        help="turn undo off",
    )
    classroom.add_argument(
        "--hide-meters",
        dest="show_meters",
        action="store_const",
        const=False,
        default=None,
        help="hide the meters until the debrief",
    )
    classroom.add_argument(
        "--ask-player",
        choices=("none", "name", "code"),
        default=None,
        help="ask for the player's name or code at the start",
    )
    classroom.add_argument("--player", default=None, help="the player's name or code")
    classroom.add_argument(
        "--records",
        type=Path,
        default=None,
        metavar="DIR",
        help="write a record of every playthrough into this folder",
    )


def run(args: argparse.Namespace) -> int:
    from engine.story.text import typed_text_problem

    for flag, value in (("--player", args.player), ("--partner", args.partner)):
        problem = typed_text_problem(value or "")
        if problem:
            print(f"error: {flag} cannot be used: {problem}", file=sys.stderr)
            return 1
    problem = screenshot_only(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    start = start_request(args)
    if start is not None and args.load is not None:
        print("error: --from and --set start a new playthrough; leave out --load", file=sys.stderr)
        return 2
    if start is not None and (args.classroom is not None or args.records is not None):
        print(
            "error: --from and --set are for authors trying a story; a class's records start "
            "at the story's start, so leave out --classroom and --records",
            file=sys.stderr,
        )
        return 2
    if start is not None and not args.text:
        problem = start_problem(start, args.story or BUNDLED_STORY)  # before a window opens
        if problem is not None:
            return problem
    if not args.text and args.transcript is None:
        code = in_window(args, args.story or BUNDLED_STORY)
        if code is not None:
            return code
    return in_terminal(args)


def start_request(args: argparse.Namespace) -> StartRequest | None:
    """--from and --set as typed, or None when neither is given."""
    if args.from_scene is None and args.set_values is None:
        return None
    return StartRequest(args.from_scene, args.set_values)


def start_problem(start: StartRequest, story: Story | str | Path) -> int | None:
    """Check --from and --set against the story (loaded here when given as a path): the exit
    status and the reason printed when they do not fit it (or the story has errors), None when
    they do."""
    if not isinstance(story, Story):
        from engine.tools.inputs import load_or_report

        story = load_or_report(story)
        if story is None:
            return 1
    try:
        start.resolve(story)
    except StartError as problem:
        print(f"error: cannot start there: {problem}", file=sys.stderr)
        return 1
    return None


def screenshot_only(args: argparse.Namespace) -> str | None:
    """Why the options for how a screenshot looks cannot be used here (no --screenshot)."""
    given = [
        name
        for name, value in zip(
            SCREENSHOT_ONLY, (args.settings, args.high_contrast, args.text_size), strict=True
        )
        if value is not None
    ]
    if not given or args.screenshot is not None:
        return None
    verb = "goes" if len(given) == 1 else "go"
    return (
        f"{' and '.join(given)} {verb} only with --screenshot (in the game, F2 opens the settings)"
    )


def in_terminal(args: argparse.Namespace) -> int:
    """The story played in the terminal, turn by turn (or by the script of `--choices`)."""
    from engine.classroom.game import ClassroomGame
    from engine.terminal.player import TextPlayer
    from engine.tools.inputs import classroom_settings, load_or_report

    classroom = classroom_settings(args)
    if classroom is None:
        return 1
    story_path = args.story or classroom.story or BUNDLED_STORY
    story = load_or_report(story_path)
    if story is None:
        return 1
    start = start_request(args)
    if start is not None and (problem := start_problem(start, story)) is not None:
        return problem
    scripted = args.choices is not None
    script = (
        [token.strip() for token in args.choices.split(",") if token.strip()] if scripted else None
    )
    game = ClassroomGame(story, args.saves, args.seed, classroom, args.player, story_path)
    game.start_request = start
    player = TextPlayer(
        game,
        transcript_path=args.transcript,
        interactive=not scripted and sys.stdin.isatty(),
        resume_hint=resume_command(args),
    )
    return player.start(load=args.load, script=script, partner=(args.partner, args.pronouns))


def resume_command(args: argparse.Namespace) -> str:
    """The command that goes on from the autosave with the same story, saves folder and class
    (its file, and the flags that change how it plays or where its records go), so that
    following it keeps the same rules and updates the same record."""
    words = ["python", "main.py", "play"]
    if args.story is not None:
        words.append(str(args.story))
    words += ["--text", "--load", "autosave"]
    options = (
        ("--saves", args.saves),
        ("--classroom", args.classroom),
        ("--records", args.records),
        ("--ask-player", args.ask_player),
    )
    for flag, value in options:
        if value is not None:
            words += [flag, str(value)]
    if args.allow_undo is False:
        words.append("--no-undo")
    if args.show_meters is False:
        words.append("--hide-meters")
    return " ".join(_quoted(word) for word in words)


def _quoted(word: str) -> str:
    """A word as a shell reads it back: quoted when it holds spaces or shell characters."""
    if os.name == "nt":
        import subprocess

        return subprocess.list2cmdline([word])
    return shlex.quote(word)


def in_window(args: argparse.Namespace, story_path: str | Path | None) -> int | None:
    """The game's window, or a `--screenshot` of one screen. Returns None when no window can be
    opened here, so that the story is played in the terminal instead."""
    from engine.atomic import make_folder_for
    from engine.ui.launch import display_available, parse_size, run_game
    from engine.ui.screenshot import render_screenshot

    try:
        size = parse_size(args.size)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    partner = (args.partner, args.pronouns) if args.partner or args.pronouns else None
    choices = [t.strip() for t in args.choices.split(",") if t.strip()] if args.choices else []
    game_options = classroom_options(args)
    if game_options["classroom"] is not None and not args.story:
        story_path = None  # the classroom's story, else the bundled one
    if args.screenshot is not None and args.screenshot.suffix.lower() != ".png":
        print(
            f"error: --screenshot writes a PNG: end the file name with .png, not "
            f"{args.screenshot.name!r}",
            file=sys.stderr,
        )
        return 2
    if args.screenshot is not None:
        try:
            make_folder_for(args.screenshot)
        except OSError as error:
            print(
                f"error: cannot write {args.screenshot}: {error.strerror or error}", file=sys.stderr
            )
            return 1
        problem = render_screenshot(
            story_path,
            args.screenshot,
            size=size,
            screen=args.screen,
            choices=choices,
            seed=args.seed,
            partner=partner,
            saves=args.saves,
            load=args.load,
            settings_file=args.settings,
            high_contrast=args.high_contrast,
            text_size=args.text_size,
            **game_options,
        )
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        print(f"wrote {args.screenshot}")
        return 0
    if not display_available():
        print(
            "note: no display here, so the story is played in the terminal "
            "(use --screenshot to draw the game into a PNG).",
            file=sys.stderr,
        )
        return None
    return run_game(
        story_path,
        saves=args.saves,
        seed=args.seed,
        partner=partner,
        load=args.load,
        choices=choices,
        size=size if args.size != DEFAULT_SIZE else None,
        **game_options,
    )


def classroom_options(args: argparse.Namespace) -> dict:
    """The game's classroom settings from the command line: the --classroom file (read by the
    game, so that its problems show on screen) and the flags that override it."""
    return {
        "start": start_request(args),
        "classroom": args.classroom,
        "classroom_overrides": {
            "allow_undo": args.allow_undo,
            "show_meters": args.show_meters,
            "ask_player": args.ask_player,
            "records": args.records,
        },
        "player": args.player,
    }
