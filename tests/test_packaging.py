"""The wheel: what it holds, and an installed copy working from an empty folder, apart from the checkout."""

from __future__ import annotations

import configparser
import importlib.metadata
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

DIST_INFO = "pressroom-0.1.0.dist-info"
TEXT = "A Short Note\n\n\nIt was written to be exported.\n\n\nIt has two paragraphs.\n"
MARKDOWN = "---\ntitle: Field Note\nauthor: A. Tester\n---\n\n## Found\n\nSome *emphasis* and a list:\n\n- one\n- two\n"


def build_isolation() -> list[str]:
    """Build in this venv when its setuptools is new enough (no download), else in pip's isolated one."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return []
    return ["--no-build-isolation"] if major >= 77 else []


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel` builds from the checkout, once per session."""
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *build_isolation(),
                             "-w", str(dist), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    [built] = dist.glob("pressroom-*.whl")
    return built


@pytest.fixture(scope="session")
def members(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


@pytest.fixture(scope="session")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel; the other requirements are this venv's, seen through a .pth
    file (which, unlike site-packages, runs no .pth of its own: not the checkout's editable hook)."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    Path(site_packages, "requirements.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                             "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def run_installed(venv: Path, *command: str, cwd: Path, data_dir: Path) -> subprocess.CompletedProcess:
    """Run a program of the venv as a user would: from `cwd`, with no path into the checkout."""
    unset = ("PYTHONPATH", "PRESSROOM_CHECKOUT", "PRESSROOM_SECRET_KEY")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env["PRESSROOM_DATA_DIR"] = str(data_dir)
    result = subprocess.run([str(venv / "bin" / command[0]), *command[1:]], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*")}


def test_the_wheel_installs_pressroom_as_its_only_top_level_name(members, wheel):
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"{DIST_INFO}/top_level.txt").decode().split() == ["pressroom"]
    assert {member.split("/")[0] for member in members} == {"pressroom", DIST_INFO}


def test_the_wheel_holds_the_modules_templates_fonts_and_sample(members):
    for module in ("__init__.py", "app.py", "cli.py", "locations.py", "exporters/__init__.py",
                   "articles/__init__.py"):
        assert f"pressroom/{module}" in members
    templates = [path.relative_to(ROOT).as_posix() for path in (ROOT / "templates").rglob("*") if path.is_file()]
    assert templates and {f"pressroom/{path}" for path in templates} <= set(members)
    assert [member for member in members if member.startswith("pressroom/templates/fonts/")
            and member.endswith(".ttf")]
    assert f"pressroom/content/{SAMPLE.name}" in members
    migrations = [path.relative_to(ROOT).as_posix() for path in (ROOT / "catalogue" / "migrations").rglob("*.py")]
    assert len(migrations) >= 3 and {f"pressroom/{path}" for path in migrations} <= set(members)


def test_the_wheel_leaves_out_the_checkouts_tools_tests_and_data(members):
    left_out = {".venv", "build", "tools", "tests", "bench", "scripts", ".git", ".ci", "instance",
                "pressroom.egg-info", "__pycache__"}
    shipped = [member for member in members if set(member.split("/")) & left_out]
    assert shipped == []
    # locations.is_checkout() tells a checkout by its pyproject.toml beside the modules.
    assert "pressroom/pyproject.toml" not in members


def test_the_wheel_registers_the_built_in_exporters_and_the_console_script(wheel):
    entry_points = configparser.ConfigParser()
    with zipfile.ZipFile(wheel) as archive:
        entry_points.read_string(archive.read(f"{DIST_INFO}/entry_points.txt").decode())
    assert dict(entry_points["pressroom.exporters"]) == {"pdf": "pressroom.exporters.pdf:PdfExporter",
                                                         "epub": "pressroom.exporters.epub:EpubExporter",
                                                         "html": "pressroom.exporters.html:HtmlExporter",
                                                         "md": "pressroom.exporters.markdown:MarkdownExporter",
                                                         "print": "pressroom.exporters.pdf.printready:PrintExporter"}
    assert dict(entry_points["console_scripts"]) == {"pressroom": "pressroom.__main__:run"}


def test_the_installed_wheel_lists_and_exports_from_an_empty_folder_writing_nothing_into_itself(venv, tmp_path):
    here, data = tmp_path / "empty", tmp_path / "data"
    here.mkdir()
    package = Path(run_installed(venv, "python", "-P", "-c", "import pressroom; print(pressroom.__file__)",
                                 cwd=here, data_dir=data).stdout.strip()).parent
    assert package.is_relative_to(venv) and not (package / "pyproject.toml").exists()
    before = snapshot(package)

    listed = run_installed(venv, "pressroom", "list", cwd=here, data_dir=data).stdout
    assert listed.startswith(f"{SAMPLE.stem}\t")
    assert (data / "content" / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()

    (here / "short-note.txt").write_text(TEXT, encoding="utf-8")
    (here / "field-note.md").write_text(MARKDOWN, encoding="utf-8")
    run_installed(venv, "pressroom", "export", "short-note.txt", "field-note.md", cwd=here, data_dir=data)
    for slug in ("short-note", "field-note"):
        assert (here / f"{slug}.pdf").read_bytes().startswith(b"%PDF-")
        with zipfile.ZipFile(here / f"{slug}.epub") as epub:
            first = epub.infolist()[0]
            assert first.filename == "mimetype" and epub.read(first) == b"application/epub+zip"
            assert epub.testzip() is None
        assert (here / f"{slug}.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")

    run_installed(venv, "python", "-P", "-c", "from pressroom.exporters import Exporter", cwd=here, data_dir=data)
    served = run_installed(venv, "python", "-P", "-c", "from pressroom.app import create_app\n"
                           "app = create_app(); print(app.config['CONTENT_DIR']); print(app.instance_path)",
                           cwd=here, data_dir=data).stdout.split()
    assert served == [str(data / "content"), str(data / "instance")]
    assert (data / "instance" / "secret_key").is_file()
    assert snapshot(package) == before
