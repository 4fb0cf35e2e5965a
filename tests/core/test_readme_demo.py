"""README's "Trying it without a Plex server", run as written: the doubles started with the
README's command, then each command of its second block in a fresh data directory (embedded
SQLite, as a newcomer has). The README promises what the dry run prints (10 picks for Ava
Owner in Movies, 5 of them in Plex, `create +5` for the Immaculate Taste row); this test holds
it to that, so a change of catalog, seed or defaults cannot quietly make the walkthrough lie.

The doubles listen on 127.0.0.4 with the README's port base, so the README's addresses map to
them by swapping only the host, and a developer's own `python -m tests.fakes` on 127.0.0.1 is
left alone.
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys

from tests.core.procs import ROOT, clean_env

HOST = "127.0.0.4"


def _section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Trying it without a Plex server", 1)[1].split("\n## ", 1)[0]


def _blocks(section: str) -> list[str]:
    return [b.split("\n```", 1)[0] for b in section.split("```text\n")[1:]]


def _local(text: str) -> str:
    return text.replace("127.0.0.1:", f"{HOST}:")


def _commands(block: str, data_dir) -> tuple[dict, list[list[str]]]:
    """The block's exports (as an environment) and its manage.py commands (as argv lists)."""
    env = clean_env(data_dir)
    commands = []
    for line in _local(block).splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            env.update(word.split("=", 1) for word in words[1:])
        else:
            assert words[0] == ".venv/bin/python", line  # the README runs the project's venv
            commands.append([sys.executable, *words[1:]])
    env["APP_DATA_DIR"] = str(data_dir)  # the README's /tmp/immaculaterr-demo, kept per test
    return env, commands


def test_readme_walkthrough_dry_run_prints_what_the_readme_says(tmp_path):
    start, steps = _blocks(_section())[:2]
    fakes = shlex.split(_local(start), comments=True)
    assert fakes[:3] == [".venv/bin/python", "-m", "tests.fakes"]
    process = subprocess.Popen([sys.executable, *fakes[1:], "--bind", HOST], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.startswith("Serving"):
                break
        env, commands = _commands(steps, tmp_path)
        results = [subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=120) for argv in commands]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)

    failed = [(r.args[2:], r.returncode, r.stdout[-500:], r.stderr[-1500:])
              for r in results if r.returncode != 0]
    assert failed == []
    assert [argv[2] for argv in commands] == ["migrate", "vault", "vault", "vault", "run_job"]
    report = results[-1].stdout
    picks = re.findall(r"^\s*\d+\.\s.*$", report, flags=re.M)
    assert "scope: Ava Owner · Movies" in report and "10 picks for Ava Owner" in report, report
    assert len(picks) == 10, report
    assert sum("[in Plex]" in line for line in picks) == 5, report
    assert "Plex plan (not applied)" in report and "create +5" in report, report
