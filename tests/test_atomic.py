"""Files written atomically (engine/atomic.py), with the user's normal permissions, and the
temporary files of a killed write cleaned up by the next write into the folder (issue 11,
item 15)."""

import os
import random
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.atomic import STALE_AFTER, TEMP_NAME, remove_stale_temp_files, write_atomic

from .conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def main_py(*args, umask: int, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, run under the given umask."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == 0, result.stderr
    return result


@posix_only
@pytest.mark.parametrize("umask, file_mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_records_saves_and_reports_follow_the_umask(tmp_path, umask, file_mode):
    """They were all 0600 (tempfile.mkstemp's mode), so a teacher's account could not read a
    shared records folder."""
    saves, records = tmp_path / "saves", tmp_path / "records"
    transcript = tmp_path / "transcript.json"
    main_py(
        "play", TINY, "--text", "--seed", "1", "--choices", "argue,1", "--saves", saves,
        "--records", records, "--transcript", transcript, umask=umask,
    )  # fmt: skip
    main_py("play", TINY, "--text", "--saves", saves, "--load", "autosave", umask=umask)
    main_py("report", records, "-o", tmp_path / "class.html", umask=umask)
    main_py("report", transcript, "--playthrough", "-o", tmp_path / "mine.html", umask=umask)
    main_py("schema", "-o", tmp_path / "story.schema.json", umask=umask)
    main_py("map", TINY, "-o", tmp_path / "map.svg", umask=umask)
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    names = {path.name for path in written}
    assert {"autosave.json", "autosave.json.bak", "autosave.playthrough.json"} <= names
    assert {"transcript.json", "class.html", "mine.html", "story.schema.json", "map.svg"} <= names
    assert len(list(records.glob("*.json"))) == 1
    assert {path.name: oct(mode(path)) for path in written} == {
        path.name: oct(file_mode) for path in written
    }
    assert mode(records) == 0o777 & ~umask and mode(saves / "tiny") == 0o777 & ~umask


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_a_write_removes_stale_temp_files_and_nothing_else(tmp_path):
    stale = [tmp_path / ".autosave.json.ab12cd34.tmp", tmp_path / ".record.json.k_9xyz01.tmp"]
    live = tmp_path / ".slot-1.json.0f0f0f0f.tmp"  # another process may be writing it now
    others = [
        tmp_path / "notes.tmp",  # not ours: no leading dot and random part
        tmp_path / ".notes.tmp",
        tmp_path / ".x.TOOSHORT.tmp",
        tmp_path / ".x.ab12cd34.tmp.keep",
    ]
    for path in [*stale, live, *others]:
        path.write_bytes(b'{"half": ')
    for path in [*stale, *others]:
        age(path, STALE_AFTER + 5)
    folder_like = tmp_path / ".folder.ab12cd34.tmp"
    folder_like.mkdir()
    age(folder_like, STALE_AFTER + 5)
    write_atomic(tmp_path / "autosave.json", b"{}", backup=True)
    assert not any(path.exists() for path in stale)
    assert live.exists() and folder_like.is_dir() and all(path.exists() for path in others)
    assert (tmp_path / "autosave.json").read_bytes() == b"{}"


@posix_only
def test_a_symlink_named_like_a_temp_file_is_not_followed(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", "utf-8")
    link = tmp_path / ".precious.txt.ab12cd34.tmp"
    link.symlink_to(precious)
    age(link, STALE_AFTER + 5)
    age(precious, STALE_AFTER + 5)
    assert remove_stale_temp_files(tmp_path) == []
    assert precious.read_text("utf-8") == "keep me" and link.is_symlink()


def test_the_temp_names_written_match_the_pattern_cleaned(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(source, target):
        seen.append(Path(source).name)
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "a name with spaces.json", b"1", backup=True)
    write_atomic(tmp_path / "a name with spaces.json", b"2", backup=True)
    assert len(seen) == 3 and all(TEMP_NAME.match(name) for name in seen)


@posix_only
def test_temp_files_left_by_kills_mid_save_go_with_the_next_save(tmp_path):
    """A process saving in a loop, killed at random moments (issue 11: 56 of 200 kills left
    temp files): whatever the kills leave, the next save once they are stale removes it."""
    child = (
        "import sys\n"
        "from engine import Session, load_story\n"
        "from engine.play.saves import SaveStore\n"
        "story = load_story(sys.argv[1])\n"
        "store = SaveStore(story, sys.argv[2])\n"
        "session = Session(story, seed=1)\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    store.write('autosave', session)\n"
    )
    saves = tmp_path / "saves"
    folder = saves / "balance_of_power"
    story = ROOT / "scenes" / "balance_of_power"
    choose = random.Random(11)
    for _ in range(20):
        process = subprocess.Popen(
            [sys.executable, "-c", child, str(story), str(saves)], cwd=ROOT, stdout=subprocess.PIPE
        )
        assert process.stdout.readline() == b"ready\n"
        time.sleep(choose.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
    left = [path for path in folder.iterdir() if path.name.endswith(".tmp")]
    for path in left:
        age(path, STALE_AFTER + 1)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "play", story, "--text", "--saves", saves]
        + ["--load", "autosave", "--choices", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert [path.name for path in folder.iterdir() if path.name.endswith(".tmp")] == []
    assert {path.name for path in folder.iterdir()} == {
        "autosave.json",
        "autosave.json.bak",
        "autosave.playthrough.json",
    }


@posix_only
def test_a_pipe_or_a_socket_is_never_replaced(tmp_path):
    """A rename replaces whatever has the name: run as root, `--transcript /dev/full` put a
    regular file in place of the device. Only regular files are replaced now (a FIFO and a
    socket stand in for devices here, which only root can make)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target in (fifo, sock_path):
            with pytest.raises(OSError, match="a device, a pipe or a socket, not a file"):
                write_atomic(target, b"{}", backup=True)
            assert not target.is_file() and not Path(f"{target}.bak").exists()
        link = tmp_path / "link-to-pipe"
        link.symlink_to(fifo)
        with pytest.raises(OSError, match="a device, a pipe or a socket"):
            write_atomic(link, b"{}")
        assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "schema", "-o", str(fifo)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"error: cannot write {fifo}: it is a device, a pipe or a socket, not a file\n"
        )
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    finally:
        server.close()
