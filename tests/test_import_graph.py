"""The package's modules, read with `ast`: their imports (inside functions too) form no cycle, and
the arrows point one way (the model knows no engine or door; only the PDF exporter knows WeasyPrint)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from conftest import ROOT

PACKAGE = "pressroom"


def package_folders() -> list[str]:
    """The package's folders, as the files say: the root and every folder below it with an `__init__.py`
    (a folder without one, such as tests/ or bench/, is not part of the package)."""
    found = [""]
    for init in sorted(ROOT.rglob("__init__.py")):
        folder = init.parent.relative_to(ROOT)
        if folder.parts and not any(part.startswith(".") or part in ("node_modules", "build") for part in folder.parts):
            if all((ROOT.joinpath(*folder.parts[:depth]) / "__init__.py").exists() for depth in range(1, len(folder.parts))):
                found.append(folder.as_posix())
    return found


FOLDERS = tuple(package_folders())
# What every layer may import: the errors users see, the settings read from the environment, and
# the one way to write a file whole, and where instance data and caches are kept.
FOUNDATION = {"pressroom.errors", "pressroom.files", "pressroom.locations", "pressroom.settings"}


def module_files() -> dict[str, Path]:
    """Every module of the package, by its dotted name."""
    modules = {}
    for folder in FOLDERS:
        prefix = ".".join(part for part in (PACKAGE, folder.replace("/", ".")) if part)
        for path in sorted((ROOT / folder).glob("*.py")):
            modules[prefix if path.stem == "__init__" else f"{prefix}.{path.stem}"] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that the module `name` imports, anywhere in its text."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            # `from .pkg import module` imports that module; `from .module import name` the module itself
            found |= {f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target
                      for alias in node.names}
    return found & known


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported_modules(name, path, set(modules)) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as the modules along it (the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_imports_are_found_relative_absolute_and_inside_functions(tmp_path):
    source = tmp_path / "library.py"
    source.write_text("from .errors import ContentError\n"
                      "from . import model\n"
                      "from ..exporters import export\n"
                      "import pressroom.app\n"
                      "import yaml\n"
                      "def add():\n"
                      "    from .uploads import add_upload\n", encoding="utf-8")
    known = {"pressroom.app", "pressroom.exporters", "pressroom.articles", "pressroom.articles.errors",
             "pressroom.articles.model", "pressroom.articles.uploads", "pressroom.articles.library"}
    assert imported_modules("pressroom.articles.library", source, known) == {
        "pressroom.articles.errors", "pressroom.articles.model", "pressroom.exporters", "pressroom.app",
        "pressroom.articles.uploads"}


def test_the_wheel_holds_every_folder_of_the_package():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert sorted(declared) == sorted(".".join(filter(None, (PACKAGE, *folder.split("/")))) for folder in FOLDERS)


def test_the_graph_holds_every_module_with_its_imports():
    graph = import_graph()
    assert {"pressroom", "pressroom.articles", "pressroom.articles.library.uploads", "pressroom.exporters"} <= set(graph)
    assert "pressroom.articles.library.uploads" in graph["pressroom.articles.library.folder"]


def test_find_cycle_finds_a_cycle_through_three_modules():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_module_imports_itself_through_others():
    cycle = find_cycle(import_graph())
    assert cycle is None, " imports ".join(cycle)


def test_archives_read_zips_without_knowing_of_uploads_or_the_library():
    assert import_graph()["pressroom.articles.library.archives"] == {"pressroom.errors"}


def external_imports(path: Path) -> set[str]:
    """The top-level names of the modules outside the package that the module at `path` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add((node.module or "").partition(".")[0])
    return found


def test_only_the_pdf_exporter_imports_the_pdf_engine_or_is_imported_for_it():
    modules = module_files()
    graph = import_graph()
    pdf = "pressroom.exporters.pdf"
    assert sorted(name for name, path in modules.items() if "weasyprint" in external_imports(path)) == [
        f"{pdf}.engine", f"{pdf}.fetcher", f"{pdf}.layout", f"{pdf}.pages", f"{pdf}.printready.cover",
        f"{pdf}.printready.interior", f"{pdf}.printready.preflight"]
    assert [name for name, imported in graph.items() if not name.startswith(pdf)
            and any(module == pdf or module.startswith(pdf + ".") for module in imported)] == []


def test_the_article_model_knows_no_engine_and_no_door():
    modules = module_files()
    graph = import_graph()
    for name, path in modules.items():
        if name.startswith("pressroom.articles"):
            assert not external_imports(path) & {"flask", "werkzeug", "weasyprint", "ebooklib", "click"}, name
            assert all(module.startswith("pressroom.articles") or module in FOUNDATION for module in graph[name]), name


def test_create_app_only_configures_and_registers():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    (factory,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "create_app"]
    assert factory.end_lineno - factory.lineno + 1 < 45
    assert not [node for node in ast.walk(factory) if node is not factory and isinstance(node, (ast.FunctionDef, ast.Lambda))]
    source = ast.get_source_segment((ROOT / "app.py").read_text(encoding="utf-8"), factory)
    assert "route" not in source and "pdf" not in source.lower().replace("pressroom", "")


def test_no_module_outside_execution_creates_processes():
    makers = ("os.fork", "multiprocessing", "ProcessPoolExecutor", "billiard")
    found = [f"{name}: {maker}" for name, path in module_files().items()
             if not name.startswith("pressroom.execution") for maker in makers
             if maker in path.read_text(encoding="utf-8")]
    assert found == []


def test_execution_runs_exporters_and_knows_no_door():
    graph = import_graph()
    for name, path in module_files().items():
        if name.startswith("pressroom.execution"):
            assert not external_imports(path) & {"flask", "werkzeug", "click", "celery", "redis"}, name
            assert not {module for module in graph[name] if module.startswith(("pressroom.web", "pressroom.jobs",
                                                                                  "pressroom.cli", "pressroom.app"))}, name
        if name.startswith(("pressroom.exporters", "pressroom.articles")):
            assert not {module for module in graph[name] if module.startswith("pressroom.execution")}, name


def test_the_queue_jobs_know_no_command_line():
    for name, path in module_files().items():
        if name.startswith("pressroom.jobs"):
            assert "click" not in external_imports(path), name


def test_the_foundation_imports_nothing_of_the_package_but_itself():
    graph = import_graph()
    for name in FOUNDATION:
        assert graph[name] <= FOUNDATION, name


def test_only_the_settings_read_the_environment():
    readers = sorted(name for name, path in module_files().items()
                     if any(word in path.read_text(encoding="utf-8") for word in ("os.environ", "os.getenv", "envvar=")))
    assert readers == ["pressroom.settings"]


def test_every_setting_is_documented():
    from pressroom import settings

    assert settings.documentation() in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def test_files_are_replaced_atomically_in_one_place():
    found = sorted(name for name, path in module_files().items()
                   if "os.replace(" in path.read_text(encoding="utf-8") or "mkstemp(" in path.read_text(encoding="utf-8"))
    assert found == ["pressroom.files"]


def test_one_module_defines_the_characters_an_edition_holds():
    ranges = ("\\ufffe", "\\ud800-\\udfff", "\\ue000-\\ufffd", "\\x0b\\x0c\\x0e-\\x1f")
    found = sorted(name for name, path in module_files().items()
                   if any(text in path.read_text(encoding="utf-8") for text in ranges))
    assert found == ["pressroom.articles.content.characters"]


def test_the_command_line_declares_each_shared_option_once():
    source = (ROOT / "cli.py").read_text(encoding="utf-8")
    for flag in ('"--strict"', '"--allow-host"', '"--queue"', '"--content"', '"--skip-bad"', '"--output"'):
        assert source.count(flag) == 1, flag
