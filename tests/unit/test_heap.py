"""The served app's start-up objects are frozen out of the cyclic collector's full collections (issue 15
benchmark: those collections cost 110-160 ms in the middle of a signature step)."""
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_wsgi_start_up_leaves_what_it_made_to_the_permanent_generation(tmp_path):
    environ = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "INSTANCE_PATH": str(tmp_path),
               "SECRET_KEY": "heap-test-" * 5, "REDIS_URL": ""}
    script = "import gc, wsgi\nprint(gc.get_freeze_count(), len(gc.get_objects(generation=2)))\n"
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True,
                              text=True, timeout=60, check=True)
    frozen, scanned = map(int, finished.stdout.split()[-2:])
    assert frozen > 100_000 and scanned < frozen / 20, finished.stdout
