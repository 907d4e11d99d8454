"""Ctrl-C during `surgeplan plan` keeps the best plan found so far, checked and written."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_ctrl_c_keeps_best_plan(tmp_path: Path) -> None:
    """SIGINT a few seconds into a 120 s solve of the built-in scenario: exit 0, plan written."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "surgeplan",
            "plan",
            "--out",
            str(tmp_path),
            "--time-limit",
            "120",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert summary["checked"] is True
    assert summary["solve_seconds"] < 60
    assert "(interrupted)" in stdout
