"""Ctrl-C during `surgeplan plan` keeps the best plan found so far, checked and written."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("after", [8, 20])
def test_ctrl_c_keeps_best_plan(tmp_path: Path, after: int) -> None:
    """SIGINT into a 120 s solve of the built-in scenario, while the cost MIP beside the
    first stage solves its LP (8 s) or a round (20 s): exit 0 (a HiGHS thread still
    running at exit would abort the process), plan written."""
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
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert summary["checked"] is True
    assert summary["solve_seconds"] < 60
    assert "(interrupted)" in stdout
