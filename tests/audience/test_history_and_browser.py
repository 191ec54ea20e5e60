"""The history holds under two jobs at once and a job killed halfway; the HTML report opens in a
real browser (Chromium from the OS packages), draws its charts, logs nothing, and prints on A4."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from brandkit.audience.history import History, HistoryError, snapshots
from tests.conftest import REPO

WRITER = textwrap.dedent(
    """
    import sys
    from brandkit.audience.history import History
    name, count = sys.argv[1], int(sys.argv[2])
    with History(sys.argv[3]) as store:
        for i in range(count):
            store.add_snapshot("Northwind", "twitter", f"{name}-{i}", i, {"followers_count": i})
            store.add_event("Northwind", "twitter", name, "applied", str(i))
    print("done")
    """
)


def _writer(history: Path, name: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, name, str(count), str(history)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_jobs_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    # four jobs that all find no history yet: creating it (WAL, the schema) and writing race;
    # a CI run once saw "database is locked" while two jobs created the file together
    history = tmp_path / "history.sqlite"
    jobs = [_writer(history, name, 100) for name in ("hourly", "ci", "manual", "report")]
    for job in jobs:
        out, err = job.communicate(timeout=120)
        assert job.returncode == 0 and out.strip() == "done", err
    with History(history) as store:
        assert len(store.events(kinds=["applied"])) == 400
        rows = store.count(snapshots)
    assert rows == 400


def test_a_job_killed_halfway_leaves_a_whole_history(tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    job = _writer(history, "killed", 100_000)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # let it commit some rows, then kill it mid-write
        time.sleep(0.2)
        if history.exists() and history.stat().st_size > 50_000:
            break
    job.send_signal(signal.SIGKILL)
    job.communicate(timeout=30)
    with sqlite3.connect(history) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with History(history) as store:
        events = len(store.events(kinds=["applied"]))
        written = store.count(snapshots)
    assert events > 0
    assert written in (events, events + 1)  # each write is whole: at most one ahead


def test_a_file_that_is_not_a_history_is_refused_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "history.sqlite"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="not a brandkit history .* move it away"):
        History(bogus)
    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(newer)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    db.commit()
    db.close()
    with pytest.raises(HistoryError, match="newer brandkit"):
        History(newer)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "the report test needs Chromium from the OS packages: apt-get install chromium"
    return found


def _browser(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(home)},  # Chromium keeps its profile there
    )


def test_the_report_opens_draws_and_prints_in_a_browser(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("make_report.py")), str(tmp_path / "w")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    page = f"file://{made.stdout.strip()}"
    shot = tmp_path / "shot.png"
    seen = _browser(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", page)
    assert shot.exists(), seen.stderr
    console = [ln for ln in seen.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert console == [], console
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
        # the charts' line is the brand's primary (#0b3d3a); their area a tint of it
        data = rgb.tobytes()
        primary = (0x0B, 0x3D, 0x3A)
        line = sum(
            1
            for i in range(0, len(data), 3)
            if all(abs(data[i + k] - primary[k]) < 12 for k in range(3))
        )
        right_half = rgb.crop((rgb.width // 2, 150, rgb.width, rgb.height))
        assert right_half.getbbox() is not None
    assert line > 2_000, line  # the header band and three drawn lines
    pdf = tmp_path / "report.pdf"
    printed = _browser(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page)
    assert pdf.exists(), printed.stderr
    raw = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", raw))
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", raw))
    assert 1 <= pages <= 3, pages
    # A4 is 595 x 842 points
    assert all(abs(float(w) - 595) < 3 and abs(float(h) - 842) < 3 for w, h in sizes), sizes
