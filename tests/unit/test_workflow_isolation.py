"""Only app/workflow talks to SpiffWorkflow; everything else goes through its API."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("app", "forms", "workers")
ALLOWED = ROOT / "app" / "workflow"


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                yield node.args[0].value


def test_only_app_workflow_imports_spiffworkflow():
    offenders = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ALLOWED in path.parents:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            if any(module.split(".")[0] == "SpiffWorkflow" for module in _imported_modules(tree)):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_scan_sees_app_workflow_itself():
    engine = (ALLOWED / "engine.py").read_text(encoding="utf-8")
    assert any(module.startswith("SpiffWorkflow") for module in _imported_modules(ast.parse(engine)))
