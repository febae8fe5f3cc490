"""Supply chain: YAML is only ever read with safe loaders, and every dependency is pinned and installed
from the lock file by the Makefile that CI runs."""

from __future__ import annotations

import ast
import re
import tomllib

from conftest import ROOT

UNSAFE_YAML = {
    "load",
    "load_all",
    "full_load",
    "full_load_all",
    "unsafe_load",
    "unsafe_load_all",
    "Loader",
    "FullLoader",
    "UnsafeLoader",
    "CLoader",
    "CFullLoader",
    "CUnsafeLoader",
    "UnsafeConstructor",
    "FullConstructor",
    "Constructor",
    "add_constructor",
    "add_multi_constructor",
}
SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "_FAST_LOADER"}
SOURCES = sorted(file for folder in ("generator", "bench", "tests", "tools") for file in (ROOT / folder).rglob("*.py"))


def _yaml_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every `yaml.<name>` attribute and every name imported from yaml."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yaml":
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_yaml_is_only_read_with_safe_loaders() -> None:
    unsafe = []
    for file in SOURCES:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for line, name in _yaml_uses(tree):
            if name in UNSAFE_YAML:
                unsafe.append(f"{file.relative_to(ROOT)}:{line}: yaml.{name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("compose", "compose_all", "parse", "scan")
            ):
                loader = next((kw.value for kw in node.keywords if kw.arg == "Loader"), None)
                name = getattr(loader, "attr", None) or getattr(loader, "id", None)
                if isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml" and name not in SAFE_LOADERS:
                    unsafe.append(f"{file.relative_to(ROOT)}:{node.lineno}: yaml.{node.func.attr} with {name}")
    assert unsafe == []
    assert len(SOURCES) > 20


def test_the_check_catches_an_unsafe_loader() -> None:
    sample = "import yaml\nyaml.load(text, Loader=yaml.FullLoader)\nfrom yaml import unsafe_load\n"
    assert sorted(name for _, name in _yaml_uses(ast.parse(sample))) == ["FullLoader", "load", "unsafe_load"]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]).lower()


def test_every_dependency_is_pinned_in_the_lock_file() -> None:
    lines = [line.strip() for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()]
    pins = [line for line in lines if line and not line.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*==[A-Za-z0-9_.+!-]+", pin) for pin in pins), pins
    pinned = {_name(pin) for pin in pins}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *[r for extra in project["optional-dependencies"].values() for r in extra]]
    assert {_name(r) for r in wanted} - pinned == set()


def test_make_and_ci_install_from_the_lock_files() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = re.search(r"^\$\(VENV\)/\.installed:.*?(?=^\S)", makefile, re.M | re.S)
    assert install, "the Makefile has no rule that installs the virtualenv"
    commands = install.group()
    assert "requirements.lock" in commands.splitlines()[0], "the install rule must rerun when the lock changes"
    assert re.search(r"pip install .*-r requirements\.lock", commands)
    assert all("--no-deps" in line for line in commands.splitlines() if re.search(r"pip install .*(-e|\s)\.", line))
    assert re.search(r"^test:.*\$\(VENV\)/\.installed", makefile, re.M)
    assert "npm ci" in makefile  # Node tools from package-lock.json
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
