"""Browser tests: the real app served on a free local port, driven by Debian's Chromium through Playwright.

The app runs as in production (CSRF on, MariaDB from `make test`) on its own database
(TEST_E2E_DATABASE_URL) with the demo organisation loaded, beside the local LINE server (fake_line/) it talks
to as it would to LINE. Its background jobs (LINE pushes, the reply to a new friend of the official account)
run on the in-process job runner, as in the embedded default: without REDIS_URL no job goes to the shared
test Redis, where another run's rq worker could take it. Every test gets a fresh browser context, so
cookies never leak between tests. Tests that change a user make their own (`make_account`); demo users'
passwords and languages are left alone.

All browser tests log in from 127.0.0.1: 20 failed logins from one address lock it for 15 minutes, so the
whole suite keeps wrong-password attempts to one or two.
"""
import re
import threading
import uuid

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.core.actor import Actor
from app.core.jobs import start_in_process_runner
from app.extensions import db
from app.org import demo, queries, services
from tests.conftest import app_environ, build_schema, recreate_database, service_url
from tests.line_support import fake_line_server, line_environ

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
DEMO_PASSWORD = demo.DEMO_PASSWORD
ACCOUNT_PASSWORD = "Phukradueng2569"
SYSTEM = Actor.system("test")

# Reported to Python from inside every page: Content-Security-Policy violations, whatever the console says.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


# ---- the live server -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fake_line():
    """The local LINE server on a free port (`.url`; `.state` is its FakeLine). It learns the app's webhook
    address once the live server has its port."""
    with fake_line_server() as server:
        yield server


@pytest.fixture(scope="session")
def e2e_app(fake_line):
    database_url = service_url("TEST_E2E_DATABASE_URL")
    recreate_database(database_url)
    # LINE settings as `make run` gives them: the local server stands in for api.line.me and access.line.me,
    # and the LINE page's "open LINE" link leads to its demo page. PUBLIC_BASE_URL is set by live_server.
    # SWEEP_SECONDS: no periodic sweep during the run. Its thread outlives the browser tests, and the
    # integration tests that follow in the same process swap db.session for their own connection.
    line_settings = line_environ(fake_line.url, LINE_ADD_FRIEND_URL=f"{fake_line.url}/", SWEEP_SECONDS="3600")
    application = create_app({"TESTING": False}, environ=app_environ(database_url, **line_settings))
    build_schema(application)
    with application.app_context():
        demo.load(SYSTEM)
        db.session.commit()
    return application


@pytest.fixture(scope="session")
def live_server(e2e_app, fake_line):
    server = make_server("127.0.0.1", 0, e2e_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # The port is known only now. Links in LINE messages are built from PUBLIC_BASE_URL when a job runs,
    # so setting it before the first request is as good as setting it at start-up.
    e2e_app.config["PUBLIC_BASE_URL"] = url
    fake_line.state.webhook_url = f"{url}/line/webhook"
    fake_line.state.app_url = url
    start_in_process_runner(e2e_app)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with e2e_app.app_context():
        db.engine.dispose()


# ---- the browser -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


class BrowserProblems:
    """What went wrong inside the pages of one test: console errors, CSP violations, uncaught exceptions."""

    def __init__(self):
        self.console_errors = []
        self.csp_violations = []
        self.page_errors = []

    def csp_related(self):
        return self.csp_violations + [message for message in self.console_errors
                                      if "Content Security Policy" in message or "Refused" in message]


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def open_browser_as(browser, live_server, browser_problems):
    """Log someone in inside a browser context of their own (a username, or anything with .username);
    returns the page. Pages opened from a link (the local LINE server's) are watched too. After the test,
    no page of any of them may have broken the Content-Security-Policy or thrown."""
    contexts = []

    def watch(page):
        def on_console(message):
            if message.type == "error":
                browser_problems.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")

        page.on("console", on_console)
        page.on("pageerror", lambda error: browser_problems.page_errors.append(str(error)))

    def open_as(person, password=DEMO_PASSWORD, viewport=DESKTOP):
        ctx = browser.new_context(base_url=live_server, viewport=viewport, locale="th-TH")
        contexts.append(ctx)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.set_default_navigation_timeout(TIMEOUT_MS)
        ctx.expose_function("__e2eCspViolation",
                            lambda report: browser_problems.csp_violations.append(report))
        ctx.add_init_script(_REPORT_CSP_VIOLATIONS)
        ctx.on("page", watch)
        page = ctx.new_page()
        login(page, getattr(person, "username", person), password)
        return page

    yield open_as
    for ctx in contexts:
        ctx.close()
    blocked = browser_problems.csp_related()
    assert blocked == [], f"the Content-Security-Policy blocked something: {blocked}"
    thrown = browser_problems.page_errors
    assert thrown == [], f"a page threw an uncaught exception: {thrown}"


@pytest.fixture
def context(browser, live_server, browser_problems):
    ctx = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="th-TH")
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    ctx.expose_function("__e2eCspViolation", lambda report: browser_problems.csp_violations.append(report))
    ctx.add_init_script(_REPORT_CSP_VIOLATIONS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, browser_problems):
    """A fresh page; after the test, no page may have broken the Content-Security-Policy or thrown."""
    new_page = context.new_page()

    def on_console(message):
        if message.type == "error":
            browser_problems.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: browser_problems.page_errors.append(str(error)))
    yield new_page
    assert browser_problems.csp_related() == [], "the Content-Security-Policy blocked something"
    assert browser_problems.page_errors == [], "a page threw an uncaught exception"


# ---- accounts --------------------------------------------------------------------------------------

def unique_name(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def make_account(e2e_app):
    """Create a user of one's own (unique username) through the services, committed, in a demo unit."""

    def create(*, prefix="e2e", unit_code="palad.general", roles=(("operator", None),), full_name_th=None,
               full_name_en="", password=ACCOUNT_PASSWORD, must_change_password=False):
        username = unique_name(prefix)
        with e2e_app.app_context():
            services.create_user(
                SYSTEM, username=username, full_name_th=full_name_th or f"นายทดสอบ {username}",
                full_name_en=full_name_en, unit=queries.unit_by_code(unit_code), roles=list(roles),
                password=password, must_change_password=must_change_password)
            db.session.commit()
        return username

    return create


# ---- what a user does ------------------------------------------------------------------------------

LOGIN_PATH = re.compile(r"/login(\?.*)?$")
HOME_PATH = re.compile(r"/$")
PASSWORD_PATH = re.compile(r"/account/password$")


def submit(page, button):
    """Press a button that sends a form, and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        button.click()


def login(page, username, password, *, expect_home=True):
    """Open the login page, type the username and password, press the button."""
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    submit(page, page.locator("main form button[type=submit]"))
    if expect_home:
        expect(page).to_have_url(HOME_PATH)


def logout_button(page):
    return page.locator("nav form[action$='/logout'] button")


OPENED = re.compile(r"(^|\s)show(\s|$)")


def reveal_in_menu(page, item):
    """Make a menu entry visible as a person would: open the collapsed menu on a narrow screen, then the
    group (หนังสือ, the user's menu) it sits in. Returns the item."""
    if item.is_visible():
        return item
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(OPENED)  # the slide-down animation has finished
    # Open the groups one by one until the item shows: a role locator (get_by_role) does not find an item
    # inside a closed group at all, so the group cannot be found from the item.
    for group in page.locator("nav [data-bs-toggle=dropdown]").all():
        if item.is_visible():
            break
        group.click()
        if not item.is_visible():
            group.click()  # close it again
    expect(item).to_be_visible()
    return item


def menu_link(page, path, **options):
    """The navbar link whose address ends in `path`, made visible."""
    return reveal_in_menu(page, page.locator(f"nav a[href$='{path}']", **options))


def logout(page):
    """Press the navbar's log-out button (in the user's menu; the collapsed menu first on a narrow screen)."""
    submit(page, reveal_in_menu(page, logout_button(page)))
    expect(page).to_have_url(LOGIN_PATH)


def switch_language(page, label):
    """Press the language button ("English" or "ภาษาไทย") in the user's menu, which posts a form; logged
    out, it is in the navbar itself."""
    submit(page, reveal_in_menu(page, page.locator("nav form[action*='/locale/'] button", has_text=label)))


def change_password(page, current, new):
    """Fill in the change-password form (the page must be open) and send it."""
    page.locator("input[name=current_password]").fill(current)
    page.locator("input[name=new_password]").fill(new)
    page.locator("input[name=confirm_password]").fill(new)
    submit(page, page.locator("main form button[type=submit]"))


def unit_picker(form, field):
    """The unit picker (static/js/unit-picker.js) that stands in for the <select multiple name=field>."""
    return form.locator(f"select[name={field}] + [data-testid=unit-picker]")


def pick_units(form, field, names):
    """Choose exactly the units `names` in a unit picker as a person does: remove the chips of others (the
    send form starts with the letter's recipients ticked), then type each name and tick it."""
    picker = unit_picker(form, field)
    expect(picker).to_be_visible()
    for chip in picker.locator(".unit-picker-chip").all():
        if chip.inner_text().strip() not in names:
            chip.locator("button").click()
    for name in names:
        picker.locator(".unit-picker-filter").fill(name)
        picker.get_by_label(name, exact=True).check()
    picker.locator(".unit-picker-filter").fill("")
    expect(picker.locator(".unit-picker-chip")).to_have_text(list(names))


def has_no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sarabun_in_use(page):
    """The Sarabun web font (Thai glyphs included) has loaded and the body is set in it."""
    return page.evaluate("""async () => {
      await document.fonts.ready;
      const loaded = [...document.fonts].filter(
        (face) => face.family.replace(/["']/g, "") === "Sarabun" && face.status === "loaded");
      const bodyFont = getComputedStyle(document.body).fontFamily.replace(/["']/g, "");
      return loaded.length > 0 && document.fonts.check("16px Sarabun", "หน้าแรก")
        && bodyFont.startsWith("Sarabun");
    }""")


def elements_cut_off(page):
    """Visible elements reaching past the right edge of the window (outside intended scroll boxes).

    An element clipped by an ancestor with hidden overflow does not widen the page, so the scrollWidth
    check alone would not notice it.
    """
    return page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      const inScrollBox = (element) => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
          if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) return true;
        }
        return false;
      };
      return [...document.body.querySelectorAll("*")]
        .filter((element) => element.checkVisibility() && !inScrollBox(element))
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    }""")


def scrolling_in_cards(page):
    """Boxes of the page's cards that are wider inside than out: a card, a table or the box around it, or a
    scroll box (overflow-x auto or scroll) that scrolls sideways or has something sticking out of it.
    Visually hidden helpers (a 1 px box: a stacked table's header) do not count."""
    return page.evaluate("""() => {
      const cards = [...document.querySelectorAll("main .app-card, main .card")];
      const inside = cards.flatMap((card) => [...card.querySelectorAll("*")]);
      const boxes = new Set([...cards,
        ...inside.filter((element) => element.tagName === "TABLE"
          || ["auto", "scroll"].includes(getComputedStyle(element).overflowX)),
        ...inside.filter((element) => element.tagName === "TABLE").map((table) => table.parentElement)]);
      return [...boxes]
        .filter((box) => box.checkVisibility() && box.clientWidth > 1 && box.scrollWidth > box.clientWidth + 1)
        .map((box) => `${box.tagName.toLowerCase()}.${box.className} ${box.scrollWidth} > ${box.clientWidth}`);
    }""")


# ---- documents: registering a received letter ------------------------------------------------------

RECEIPT_PATH = re.compile(r"/documents/(\d+)/receipt/(\d+)$")
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def pdf_bytes(text="e-Saraban test scan"):
    """A small but complete one-page PDF (catalog, page, font, content stream, cross-reference table)."""
    content = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(text="รายละเอียดงบประมาณ"):
    """A minimal Word (.docx) file built in memory: content types, package relationship, one paragraph."""
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml.encode("utf-8"))
    return buffer.getvalue()


def upload(name, mime_type, data):
    """A file for set_input_files, made in memory."""
    return {"name": name, "mimeType": mime_type, "buffer": data}


def unique_subject(prefix="ขอความอนุเคราะห์ข้อมูลงบประมาณ"):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


class Receipt:
    """Where registering a letter led: the receipt page, its document and register entry, the number."""

    def __init__(self, url, number):
        match = RECEIPT_PATH.search(url)
        assert match, f"not a receipt page: {url}"
        self.url = url
        self.document_id, self.entry_id = int(match[1]), int(match[2])
        self.number = number

    @property
    def document_path(self):
        return f"/documents/{self.document_id}"


def register_letter(page, subject, *, sender="องค์การบริหารส่วนจังหวัดขอนแก่น", doc_number="ขก 51001/2345",
                    dated=None, speed="urgent", files=()):
    """As a logged-in clerk: open the receive page from the menu, type in a posted letter, attach `files`
    (upload() dicts), send it, and land on the receipt stamp. Returns the Receipt."""
    menu_link(page, "/documents/receive").click()
    expect(page).to_have_url(re.compile(r"/documents/receive$"))
    form = page.locator("main form[enctype='multipart/form-data']")
    type_select = form.locator("select[name=type_id]")
    external_letter = type_select.locator("option", has_text="หนังสือภายนอก").first
    type_select.select_option(external_letter.get_attribute("value"))
    form.locator("textarea[name=subject]").fill(subject)
    form.locator("input[name=from_text]").fill(sender)
    form.locator("input[name=doc_number]").fill(doc_number)
    if dated is not None:  # as a clerk types it: day/month/พ.ศ.
        form.locator("input[name=dated]").fill(f"{dated.day:02d}/{dated.month:02d}/{dated.year + 543}")
    form.locator("select[name=speed]").select_option(speed)
    if files:
        form.locator("input[type=file][name=files]").set_input_files(list(files))
    submit(page, form.locator("button[type=submit]"))
    expect(page).to_have_url(RECEIPT_PATH)
    number = page.locator(".app-receipt-number").inner_text().strip()
    assert number.isdigit() and int(number) > 0, f"receive number {number!r}"
    return Receipt(page.url, int(number))


# ---- the document page: one primary action, the others behind "การดำเนินการอื่น" -------------------------

OTHER_ACTIONS = "การดำเนินการอื่น"


def reveal(page, form):
    """`form` of the document page, opened from the "other actions" menu if it is one of those; returns it."""
    if form.count() == 1 and not form.is_visible():
        panel_id = form.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' collapse ')][1]"
                                ).get_attribute("id")
        page.locator("main").get_by_role("button", name=OTHER_ACTIONS).click()
        page.locator(f"main .dropdown-menu button[data-bs-target='#{panel_id}']").click()
        # Bootstrap marks the panel "show" when its slide-down has ended; a press before then can be lost
        expect(page.locator(f"#{panel_id}")).to_have_class(OPENED)
        expect(form).to_be_visible()
    return form
