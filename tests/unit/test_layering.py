"""Issue 13 item 5: workers import the app, never the reverse (the web app once imported workers/app.py
through app/core/jobs.py, which imported the application factory: a circle of 13 modules)."""
import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_module_of_the_app_or_the_forms_imports_the_worker_package():
    offenders = sorted(f"{path.relative_to(ROOT)} imports {name}"
                       for folder in ("app", "forms") for path in (ROOT / folder).rglob("*.py")
                       for name in imported_modules(path) if name == "workers" or name.startswith("workers."))
    assert offenders == []


def test_the_web_app_and_its_jobs_load_without_the_worker_package(tmp_path):
    script = (
        "import sys\n"
        "from app import create_app\n"
        f"app = create_app({{'TESTING': True}}, environ={{'DATABASE_URL': 'sqlite:///{tmp_path}/x.sqlite3'}})\n"
        "import app.notifications.jobs, app.search.jobs\n"
        "print(sorted(m for m in sys.modules if m == 'workers' or m.startswith('workers.')))\n")
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path)}, check=True)
    assert loaded.stdout.strip().splitlines()[-1] == "[]"
