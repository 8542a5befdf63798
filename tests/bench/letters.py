"""Writing and signing letters (issue 15): the signature step of a two-page external letter (unlock the
PIN, take the number, render the final PDF, PAdES-sign it with the CRL embedded, store and freeze it,
deliver), the draft preview's rendering, the public verify page checking an uploaded copy, and for a letter
with a co-signer the signer's step (with the empty field of the co-signer's slot) and the co-signature
step (unlock, read the kept file, sign into the field with a typed name, store the new version, deliver);
p50/p95.

    .venv/bin/python -m tests.bench.letters [--runs 30] [--database-url mysql+pymysql://...]

Without --database-url it builds a throwaway SQLite database in a temporary folder.
"""
import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.core.heap import freeze_start_up_objects
from app.attachments.storage import file_store
from app.core.actor import Actor
from app.documents.models import DocumentType
from app.extensions import db
from app.handling import services as handling
from app.letters import queries, render, services
from app.letters.kinds import LetterKind
from app.signing import services as signing
from tests.conftest import app_environ, build_schema, csrf_token_from, recreate_database
from tests.factories import SYSTEM, make_unit, make_user

PIN = "bench-pin-2569"
PARAGRAPH = ("ตามที่ องค์การบริหารส่วนจังหวัดเลย กำหนดจัดโครงการฝึกอบรมผู้ใหญ่บ้านและกำนัน เพื่อเพิ่ม"
             "ประสิทธิภาพการปฏิบัติงาน ในวันที่ 15 มกราคม 2570 ณ ห้องประชุมใหญ่ จึงขอความอนุเคราะห์ใช้สถานที่")
BODY = "\n\n".join([PARAGRAPH] * 14)  # two pages


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, round(len(ordered) * 0.95) - 1)] * 1000


def timed(samples, action):
    started = time.perf_counter()
    result = action()
    samples.append(time.perf_counter() - started)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        if args.database_url:
            recreate_database(url)
        app = create_app(environ=app_environ(url, FILES_PATH=str(Path(folder) / "files")))
        build_schema(app)
        freeze_start_up_objects()  # as wsgi.py and the worker do once the app is made
        with app.app_context():
            run(app, args.runs)


def run(app, runs):
    office = make_unit(name_th="กองคลัง", letter_code="ลย 51001")
    writer = make_user(unit=office, roles=("operator",))
    chief = make_user(unit=office, roles=("manager",), full_name_th="นางสาวมาลี ใจดี")
    member = make_user(unit=office, roles=("operator",), full_name_th="นายสมชาย ตรวจการ")
    for signer in (chief, member):
        signing.set_pin(SYSTEM, signer, pin=PIN)
        signing.issue_certificate(SYSTEM, signer)
    db.session.commit()
    external = db.session.scalar(select(DocumentType).where(DocumentType.code == "external"))
    previews, signatures, verifies, pages, sizes = [], [], [], set(), []
    slotted, cosignatures = [], []
    client = app.test_client()
    def proposed(index, cosigners=()):
        letter, _ = services.start_letter(Actor(user=writer), owner_unit=office, document_type=external,
                                          draft=services.LetterDraft(
                                              kind=LetterKind.EXTERNAL, subject=f"ขอความอนุเคราะห์ใช้สถานที่ {index}",
                                              fields={"addressee": "นายอำเภอเมืองเลย", "body": BODY,
                                                      "signer_name": chief.full_name_th},
                                              cosigner_ids=[user.id for user in cosigners]))
        work = handling.propose_outgoing(Actor(user=writer), letter.document, unit=office, reviewer=chief)
        db.session.commit()
        return letter, work

    for index in range(runs + 1):  # the first run warms fonts and caches; it is not counted
        letter, work = proposed(index)
        preview = [] if index == 0 else previews
        timed(preview, lambda: render.render_pdf(queries.content_for(letter), queries.letterhead()))
        step = [] if index == 0 else signatures
        timed(step, lambda: (handling.sign(Actor(user=chief), work, pin=PIN, seen_revision=1), db.session.commit()))
        data = file_store().path_for(letter.signed_attachment.sha256).read_bytes()
        sizes.append(len(data))
        pages.add(data.count(b"/Type /Page\n") or data.count(b"/Type/Page"))
        page = client.get(f"/verify/{letter.verify_code}").get_data(as_text=True)
        check = [] if index == 0 else verifies
        response = timed(check, lambda: client.post(
            f"/verify/{letter.verify_code}", data={"csrf_token": csrf_token_from(page),
                                                   "file": (io.BytesIO(data), "letter.pdf")},
            content_type="multipart/form-data"))
        assert "ไม่มีการแก้ไขตั้งแต่ลงนาม" in response.get_data(as_text=True)
    for index in range(runs + 1):
        letter, work = proposed(f"ร่วม {index}", cosigners=[member])
        timed([] if index == 0 else slotted,
              lambda: (handling.sign(Actor(user=chief), work, pin=PIN, seen_revision=1), db.session.commit()))
        timed([] if index == 0 else cosignatures,
              lambda: (handling.cosign(Actor(user=member), work, pin=PIN), db.session.commit()))
        assert work.status == "dispatched"
    for label, samples in (("draft preview (render only)", previews),
                           ("signature step (number, render, sign, store, deliver)", signatures),
                           ("verify page, uploaded copy checked", verifies),
                           ("signature step of a letter with a co-signer's slot", slotted),
                           ("co-signature step (unlock, sign into the slot, deliver)", cosignatures)):
        p50, p95 = percentiles(samples)
        print(f"{label:58s} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms   ({len(samples)} runs)")
    print(f"signed letter size: {statistics.median(sizes) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
