"""The sync commands as a person meets them on a terminal (a real pseudo-terminal): the question
stays on screen, Ctrl-D means no, restore asks too, and the counter never passes its total."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import NORTHWIND_WRITTEN, REPO, copy_example


def _spawn(args: list[str], cwd: Path) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: brandkit on a terminal, both for its input and its output
        os.chdir(cwd)
        os.environ.update(COLUMNS="100", LINES="40", TERM="xterm")
        os.execv(sys.executable, [sys.executable, "-m", "brandkit", *args])
    return pid, fd


def _read_until(fd: int, pattern: str, timeout: float = 120) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if re.search(pattern, seen.decode("utf-8", "replace")):
                break
    return seen.decode("utf-8", "replace")


def _finish(pid: int, fd: int) -> tuple[int, str]:
    rest = _read_until(fd, r"$^", timeout=60)  # until the child closes
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), rest


def _visible(text: str) -> str:
    """What the screen ends up showing: escape sequences and erased lines taken out."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r", "")


def _screen(text: str) -> str:
    """What stays on screen: each line as left by its last carriage return, escapes removed."""
    lines = [line.split("\r")[-1] for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in lines)


def _brand(tmp_path: Path) -> Path:
    copy_example("northwind", tmp_path / "northwind")
    return tmp_path / "northwind" / "brand.yaml"


def test_the_question_stays_and_ctrl_d_means_no(tmp_path: Path) -> None:
    spec = _brand(tmp_path)
    pid, fd = _spawn(["apply", str(spec), "--sandbox"], tmp_path)
    asked = _read_until(fd, r"\[y/N\]")
    assert "apply these changes? [y/N]" in _visible(asked), asked[-500:]
    counters = [tuple(map(int, m)) for m in re.findall(r"(\d+)/(\d+)", _visible(asked))]
    assert all(done <= total for done, total in counters), counters
    os.write(fd, b"\x04")  # Ctrl-D
    code, rest = _finish(pid, fd)
    assert code == 0, rest
    assert "nothing written" in _visible(rest)
    assert "Traceback" not in rest and "internal error" not in rest


def test_yes_writes_and_restore_asks_first(tmp_path: Path) -> None:
    spec = _brand(tmp_path)
    pid, fd = _spawn(["apply", str(spec), "--sandbox"], tmp_path)
    _read_until(fd, r"\[y/N\]")
    os.write(fd, b"y\n")
    code, rest = _finish(pid, fd)
    shown = _visible(rest)
    assert code == 0, shown
    counters = [tuple(map(int, m)) for m in re.findall(r"(\d+)/(\d+)", shown)]
    assert all(done <= total for done, total in counters), counters
    backup = re.search(r"undo: brandkit restore (\S+)\)", shown)
    assert backup, shown
    pid, fd = _spawn(["restore", backup.group(1), "--sandbox"], tmp_path)
    asked = _visible(_read_until(fd, r"\[y/N\]"))
    assert "will put back  twitter:northwind-x" in asked
    assert "write these values to the live accounts? [y/N]" in asked
    os.write(fd, b"n\n")
    code, rest = _finish(pid, fd)
    assert code == 0 and "nothing written" in _visible(rest)


def test_without_a_terminal_nothing_is_written_and_results_print_once(tmp_path: Path) -> None:
    spec = _brand(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "brandkit", "apply", str(spec), "--sandbox"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 1 and "pass --yes" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "brandkit", "apply", str(spec), "--sandbox", "--yes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0
    # each account's result once, on stdout; stderr holds waits and failures, no copy of it
    assert re.search(r"^changed\s.*twitter:northwind-x", done.stdout, re.M), done.stdout
    assert not re.search(r"^(changed|ok)\s", done.stderr, re.M), done.stderr


def test_in_french_the_question_takes_oui(tmp_path: Path) -> None:
    spec = _brand(tmp_path)
    os.environ["LANG"] = "fr_FR.UTF-8"  # the child inherits it (pty.fork copies the environment)
    try:
        pid, fd = _spawn(["apply", str(spec), "--sandbox"], tmp_path)
    finally:
        os.environ["LANG"] = "C.UTF-8"
    asked = _screen(_read_until(fd, r"\[o/N\]"))
    assert "appliquer ces changements ? [o/N] (o ou oui pour continuer)" in asked, asked[-400:]
    assert re.search(r"^écart\s+Northwind", asked, re.M), asked[-2000:]
    os.write(fd, b"oui\n")
    code, rest = _finish(pid, fd)
    shown = _visible(rest)
    assert code == 0, shown
    assert f"modifiés : {NORTHWIND_WRITTEN}, ok : 2, échecs : 0" in shown, shown[-1500:]
    assert "sauvegarde de ce qui a été remplacé" in shown
