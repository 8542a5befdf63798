"""Copy the front-end assets installed from the npm registry into app/static/vendor/.

The app serves them itself: government networks are often closed, so nothing is loaded from a CDN.
Run after `npm ci`; the output is a build product and is not committed.
"""
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "app" / "static" / "vendor"
COPIES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    # the flow editor (issue 16): the modeler, and the viewer for history and comparison pages
    "bpmn-js/dist/bpmn-modeler.production.min.js": "bpmn-js/bpmn-modeler.production.min.js",
    "bpmn-js/dist/bpmn-navigated-viewer.production.min.js": "bpmn-js/bpmn-navigated-viewer.production.min.js",
    "bpmn-js/dist/assets/diagram-js.css": "bpmn-js/diagram-js.css",
    "bpmn-js/dist/assets/bpmn-js.css": "bpmn-js/bpmn-js.css",
    "bpmn-js/dist/assets/bpmn-font/css/bpmn.css": "bpmn-js/bpmn-font/css/bpmn.css",
    **{f"bpmn-js/dist/assets/bpmn-font/font/bpmn.{ext}": f"bpmn-js/bpmn-font/font/bpmn.{ext}"
       for ext in ("woff2", "woff", "ttf")},
}
SARABUN_WEIGHTS = ("400", "600", "700")
SARABUN_SUBSETS = ("thai", "latin", "latin-ext")


def copy_files():
    for source, target in COPIES.items():
        destination = VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, destination)


def build_sarabun():
    """One stylesheet with the Thai and Latin faces of the weights the UI uses, and their font files."""
    package = MODULES / "@fontsource" / "sarabun"
    target = VENDOR / "sarabun"
    (target / "files").mkdir(parents=True, exist_ok=True)
    blocks = []
    for weight in SARABUN_WEIGHTS:
        css = (package / f"{weight}.css").read_text(encoding="utf-8")
        for block in re.findall(r"/\* sarabun-([a-z-]+)-\d+-normal \*/\s*(@font-face \{.*?\})", css, re.S):
            subset, rule = block
            if subset in SARABUN_SUBSETS:
                blocks.append(rule)
                for font_file in re.findall(r"url\(\./files/([^)]+)\)", rule):
                    shutil.copyfile(package / "files" / font_file, target / "files" / font_file)
    (target / "sarabun.css").write_text("\n".join(blocks) + "\n", encoding="utf-8")


def main():
    if not MODULES.is_dir():
        sys.exit("node_modules/ is missing: run `npm ci` first")
    copy_files()
    build_sarabun()
    print(f"vendor assets ready in {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
