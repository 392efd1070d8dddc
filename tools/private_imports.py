"""An import-linter contract: no module reaches into another module's private names.

Shared internals live in private modules (``corridors._name``), whose names are public to
the package. A public module's ``_name`` is its own: importing it elsewhere
(``from .analysis import _lines``) or reading it as an attribute (``analysis._LAST``) breaks
this contract. Dunder names (``__version__``) and a module reading its own names are allowed.

Configured in ``pyproject.toml`` under ``[tool.importlinter]``; run with ``lint-imports``.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from importlinter import Contract, ContractCheck, fields, output


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _public_module(dotted: str) -> bool:
    return not any(_private(part) for part in dotted.split("."))


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute name of the module an ``ImportFrom`` node imports from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def violations(package: str) -> list[str]:
    """Every private name imported or read across modules of ``package``, as
    ``"file:line: module imports name"`` lines."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{package} is not a package")
    root = Path(next(iter(spec.submodule_search_locations)))
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        is_package = rel.name == "__init__"
        parts = list(rel.parts[:-1] if is_package else rel.parts)
        module = ".".join([package, *parts])
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        aliases: dict[str, str] = {}  # local name -> module of the package
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve(module, node, is_package)
                if not (source == package or source.startswith(package + ".")):
                    continue
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    if _is_package(source) and importlib.util.find_spec(sub) is not None:
                        aliases[alias.asname or alias.name] = sub
                    elif _private(alias.name) and _public_module(source) and source != module:
                        found.append(f"{path.name}:{node.lineno}: {module} imports {source}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(package + ".") and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and _private(node.attr)):
                target = aliases[node.value.id]
                if _public_module(target) and target != module:
                    found.append(f"{path.name}:{node.lineno}: {module} reads {target}.{node.attr}")
    return found


def _is_package(dotted: str) -> bool:
    spec = importlib.util.find_spec(dotted)
    return bool(spec and spec.submodule_search_locations)


class NoPrivateImportsContract(Contract):
    """No module of ``package`` imports or reads a private name of another public module."""

    package = fields.StringField()

    def check(self, graph: object, verbose: bool) -> ContractCheck:
        found = violations(str(self.package))
        return ContractCheck(kept=not found, metadata={"violations": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["violations"]:
            output.print_error(line)
            output.new_line()
