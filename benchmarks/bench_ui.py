"""Speed of the desktop game, printed as ratios against its budgets (not a timed test).

    python benchmarks/bench_ui.py [--frames 300] [--launches 5]

- steady frame: drawing the play screen of a ~900-word scene at 1280x720, text cached, against
  the 1 ms budget (and with the display flip, for information);
- text: blitting the cached line surfaces of that scene against rendering every line anew each
  frame (what caching saves);
- idle: CPU time used while the loop waits for events with nothing animating;
- animating: CPU time used by the real loop (60 frames a second at most) while the typewriter
  writes the scene, and while the meters slide after a choice, against the budget of 10% of a
  core (issue 15), with how many frames were drawn a second;
- launch: `python main.py play STORY` from process start to its first frame on screen (main.py
  has engine/ui/splash.py open the window and draw the game's name before the rest of the
  engine is imported), and to the title screen, against a bare pygame-ce `pygame.init()` +
  `set_mode` + `flip` in a fresh interpreter, measured in the same run; the budget is 1.5x.

Launches run with Python's bytecode cache on, as on a player's machine (a first, untimed launch
fills it and the compiled story cache). Frame timings are the best of five runs (other
processes on the machine add noise).

Runs on the dummy video driver so it needs no display; the same code draws to a real window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STORY = ROOT / "tests" / "stories" / "ui_long.yaml"
FRAME_BUDGET_MS = 1.0
ANIMATING_BUDGET = 0.10  # of one core, while the typewriter or a meter animates
LAUNCH_BUDGET = 1.5

BARE = (
    "import pygame; pygame.init(); s = pygame.display.set_mode((1280, 720)); "
    "pygame.display.flip(); print('first-frame', flush=True)"
)


def play_screen_app():
    from engine.ui.launch import build_app
    from engine.ui.screenshot import build_screen

    app = build_app(STORY, size=(1280, 720), use_settings=False, fps=0)
    app.game.autosaving = False
    build_screen(app, "play", [])
    app.draw_frame()
    return app


def time_per_call(function, count: int, repeats: int = 5) -> float:
    """Milliseconds per call: the best of a few runs, since other processes add noise."""
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            function()
        best = min(best, (time.perf_counter() - start) / count * 1000)
    return best


def steady_frame(frames: int) -> tuple[float, float, int]:
    import pygame

    app = play_screen_app()
    renders_before = app.text_cache.renders
    draw = time_per_call(app.draw_frame, frames)
    renders = app.text_cache.renders - renders_before

    def draw_and_flip():
        app.draw_frame()
        pygame.display.flip()

    flip = time_per_call(draw_and_flip, frames)
    return draw, flip, renders


def text_cached_vs_rendered(frames: int) -> tuple[float, float, int]:
    app = play_screen_app()
    document = app.top.document
    lines = document.lines
    surface = app.surface
    words = sum(len(line.text.split()) for line in lines)

    def cached():
        for line in lines:
            surface.blit(line.surface, (line.x, line.y % 700))

    def rendered():
        for line in lines:
            surface.blit(line.font.render(line.text, True, line.colour), (line.x, line.y % 700))

    return time_per_call(cached, frames), time_per_call(rendered, max(10, frames // 10)), words


def idle_cpu(seconds: float = 1.0) -> float:
    import engine.ui.app as app_module

    app = play_screen_app()
    app.fps = 60
    app.run_until_idle()
    app_module.IDLE_WAIT_MS = 100
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start_wall < seconds:
        app.step(block=True)
    return (time.process_time() - start_cpu) / (time.perf_counter() - start_wall)


def animating_cpu(what: str, seconds: float = 2.0) -> tuple[float, float, float]:
    """The share of a core the real loop uses while `what` ('typewriter' or 'meters')
    animates, started again whenever it ends; the frames drawn a second; and the pixels put
    on screen as a share of 60 whole frames a second (what a real display's copy costs)."""
    from engine.ui.widgets.meters import ANIMATION_SECONDS

    app = play_screen_app()
    app.fps = 60
    app.run_until_idle()
    play, panel = app.top, app.meter_panel
    values = dict(app.game.session.meters)
    moved = {key: value + 10 for key, value in values.items()}

    def start() -> None:
        if what == "typewriter":
            play.document.reveal = 0.0
            play.scroll = 0
        else:
            target = moved if panel.target == values else values
            panel.set_values(target, {key: 10 for key in target})
        app.dirty = True

    start()
    app.step(block=True)
    frames_before, pixels_before = count_flips(app), app.drawn_pixels
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    started = start_wall
    while time.perf_counter() - start_wall < seconds:
        still = play.document.revealing if what == "typewriter" else panel.animating
        if not still or (what == "meters" and time.perf_counter() - started > ANIMATION_SECONDS):
            start()
            started = time.perf_counter()
        app.step(block=True)
    wall = time.perf_counter() - start_wall
    cpu = time.process_time() - start_cpu
    whole = app.surface.get_width() * app.surface.get_height() * 60 * wall
    return (
        cpu / wall,
        (count_flips(app) - frames_before) / wall,
        (app.drawn_pixels - pixels_before) / whole,
    )


def count_flips(app) -> int:
    """Frames put on screen so far (the app counts each flip or update of the display)."""
    return app.drawn_frames


def launch(command: list[str], runs: int, saves: str) -> dict[str, float]:
    """Median milliseconds from starting the process to each line it prints ('first-frame' once
    a frame is on screen, 'title' once the title screen is drawn)."""
    marks: dict[str, list[float]] = {}
    env = {**os.environ, "BOP_LAUNCH_PROBE": "1", "BOP_SAVES_DIR": saves}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a player's Python keeps compiled modules
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        for line in process.stdout:
            marks.setdefault(line.strip(), []).append((time.perf_counter() - start) * 1000)
        process.wait()
    return {mark: statistics.median(times) for mark, times in marks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()

    draw, flip, renders = steady_frame(args.frames)
    print(
        f"steady frame (play screen, 1280x720): {draw:.3f} ms = {draw / FRAME_BUDGET_MS:.2f}x "
        f"the {FRAME_BUDGET_MS:g} ms budget ({'ok' if draw <= FRAME_BUDGET_MS else 'OVER'}); "
        f"{renders} text renders in {args.frames} frames; with flip {flip:.3f} ms"
    )
    cached, rendered, words = text_cached_vs_rendered(args.frames)
    print(
        f"text, {words} words: cached blits {cached:.3f} ms, rendering every frame "
        f"{rendered:.3f} ms: caching is {rendered / cached:.1f}x faster"
    )
    share = idle_cpu()
    print(f"idle: the loop used {share * 100:.1f}% of one core while waiting for events")
    for what in ("typewriter", "meters"):
        share, rate, pixels = animating_cpu(what)
        print(
            f"animating ({what}): the loop used {share * 100:.1f}% of one core "
            f"(budget {ANIMATING_BUDGET * 100:.0f}%: "
            f"{'ok' if share <= ANIMATING_BUDGET else 'OVER'}), {rate:.0f} frames drawn a "
            f"second, covering {pixels * 100:.1f}% of the pixels of 60 whole frames"
        )
    game_command = [sys.executable, str(ROOT / "main.py"), "play", str(STORY)]
    with tempfile.TemporaryDirectory() as saves:
        launch(game_command, 1, saves)  # once first, so the compiled story cache is warm
        bare = launch([sys.executable, "-c", BARE], args.launches, saves)["first-frame"]
        game = launch(game_command, args.launches, saves)
    first, title = game["first-frame"], game["title"]
    ratio = first / bare
    print(
        f"launch to first frame: `python main.py play` {first:.0f} ms, bare pygame init + "
        f"set_mode + flip {bare:.0f} ms: {ratio:.2f}x (budget {LAUNCH_BUDGET}x: "
        f"{'ok' if ratio <= LAUNCH_BUDGET else 'OVER'}); the title screen is drawn at "
        f"{title:.0f} ms ({title / bare:.2f}x)"
    )


if __name__ == "__main__":
    main()
