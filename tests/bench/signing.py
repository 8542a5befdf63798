"""Signing and checking times (issue 15): unlock with the PIN (scrypt), sign a two-page PDF (PAdES with the
CRL embedded), co-sign it, and validate_pdf over the co-signed file; p50/p95 of each.

    .venv/bin/python -m tests.bench.signing [--runs 50] [--database-url mysql+pymysql://...]

Without --database-url it builds a throwaway SQLite database in a temporary folder.
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app import create_app
from app.core.heap import freeze_start_up_objects
from app.core.actor import Actor
from app.extensions import db
from app.org import services as org
from app.signing import keys, pades, services, verify
from tests.conftest import TEST_SECRET_KEY, app_environ, build_schema, recreate_database

PIN = "bench-pin-2569"


def two_page_pdf():
    from weasyprint import HTML

    line = "ขอเชิญประชุมคณะกรรมการพิจารณางบประมาณประจำปี ณ ห้องประชุมใหญ่"
    body = "".join(f"<p>{i}. {line}</p>" for i in range(60))
    return HTML(string=f"<html lang='th'><body><h1>บันทึกข้อความ</h1>{body}</body></html>").write_pdf()


def percentiles(samples):
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="esaraban-bench-signing-")
    url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    recreate_database(url)
    app = create_app(environ={**app_environ(url), "SECRET_KEY": TEST_SECRET_KEY, "LOG_LEVEL": "WARNING"})
    build_schema(app)
    freeze_start_up_objects()  # as wsgi.py and the worker do once the app is made
    with app.app_context():
        system = Actor.system("bench")
        top = org.create_unit(system, code="top", kind="division", name_th="องค์การบริหารส่วนจังหวัดเลย",
                              name_en="", letter_code="ลย 51001", parent=None)
        people = []
        for number, name in enumerate(("นายปลัด ลงนาม", "นางรอง ลงนามร่วม")):
            user = org.create_user(system, username=f"bench{number}", full_name_th=name, full_name_en="",
                                   unit=top, roles=[("manager", "chief")], password="Bench2569x",
                                   must_change_password=False)
            services.set_pin(system, user, pin=PIN)
            services.issue_certificate(system, user)
            people.append(user)
        db.session.commit()
        pdf = two_page_pdf()
        figures = {"unlock": [], "sign": [], "co-sign": [], "validate_pdf": []}
        for _ in range(args.runs):
            started = time.perf_counter()
            first = keys.unlock(people[0], PIN)
            figures["unlock"].append(time.perf_counter() - started)
            started = time.perf_counter()
            signed = pades.sign_pdf(pdf, first, field_name="chief", reason="ลงนาม", location="เลย")
            figures["sign"].append(time.perf_counter() - started)
            second = keys.unlock(people[1], PIN)
            started = time.perf_counter()
            both = pades.sign_pdf(signed, second, field_name="deputy", reason="ลงนามร่วม", location="เลย")
            figures["co-sign"].append(time.perf_counter() - started)
            started = time.perf_counter()
            assert verify.validate_pdf(both).all_valid
            figures["validate_pdf"].append(time.perf_counter() - started)
            db.session.rollback()
        print(f"two-page PDF {len(pdf):,} bytes, signed twice {len(both):,} bytes, {args.runs} runs")
        for name, samples in figures.items():
            p50, p95 = percentiles(samples)
            print(f"{name:>13}: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
