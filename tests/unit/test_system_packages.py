"""The installer asks apt for missing capabilities only, never for a package whose command is already provided
(issue 13: NodeSource's nodejs ships npm, and apt refuses Debian's npm beside it)."""
import importlib.util
import pathlib
import sys

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "system_packages", pathlib.Path(__file__).parents[2] / "scripts" / "system_packages.py")
system_packages = importlib.util.module_from_spec(_SPEC)
sys.modules["system_packages"] = system_packages  # dataclasses look their module up there
_SPEC.loader.exec_module(system_packages)


def simulated_machine(*, commands=None, installed=(), libraries=None, python_ok=True, thai_font=None, files=()):
    """commands: {name: (path, owning package or None)}; installed: packages dpkg reports installed;
    files: the paths that exist."""
    commands = commands or {}
    owners = {path: owner for path, owner in commands.values()}
    if thai_font:
        owners[thai_font[0]] = thai_font[1]
    for soname, (path, owner) in (libraries or {}).items():
        owners[path] = owner
    return system_packages.Machine(
        which=lambda name: commands.get(name, (None, None))[0],
        owner_of=owners.get,
        is_installed=lambda package: package in installed,
        has_library=lambda soname: (libraries or {}).get(soname, (None, None))[0],
        has_python_modules=lambda modules, interpreter: python_ok,
        thai_font_path=lambda: thai_font[0] if thai_font else None,
        path_exists=lambda path: path in files,
    )


NODESOURCE = {
    "node": ("/usr/bin/node", "nodejs"),
    "npm": ("/usr/bin/npm", "nodejs"),  # NodeSource's nodejs owns /usr/bin/npm; Debian's npm is not installed
}


def plan_for(machine, which="test"):
    decisions = system_packages.decide(system_packages.SETS[which], machine)
    return system_packages.packages_to_install(decisions), system_packages.bare_machine_packages(decisions)


def test_nodesource_npm_is_never_asked_for_on_a_fresh_machine():
    machine = simulated_machine(commands=NODESOURCE, installed={"nodejs"})

    to_install, bare_set = plan_for(machine)

    assert "npm" not in to_install
    assert "npm" not in bare_set, "the resolver check would fail on the conflict the machine cannot have"
    assert {"mariadb-server", "redis-server", "chromium", "poppler-utils", "libnss3-tools",
            "fonts-thai-tlwg"} <= set(to_install)
    assert "nodejs" not in to_install


def test_a_machine_without_node_gets_debians_nodejs_and_npm():
    to_install, bare_set = plan_for(simulated_machine())

    assert {"nodejs", "npm"} <= set(to_install)
    assert {"nodejs", "npm"} <= set(bare_set)


def test_everything_present_installs_nothing_but_the_resolver_still_checks_the_whole_set():
    commands = dict(NODESOURCE)
    owned = {
        "mariadbd": "mariadb-server-core", "mariadb-install-db": "mariadb-server-core",
        "mariadb": "mariadb-client-core", "mariadb-admin": "mariadb-client", "redis-server": "redis-server",
        "redis-cli": "redis-tools", "chromium": "chromium", "pdftoppm": "poppler-utils",
        "pdftotext": "poppler-utils", "pdffonts": "poppler-utils", "tesseract": "tesseract-ocr",
        "pdfsig": "poppler-utils", "certutil": "libnss3-tools", "zbarimg": "zbar-tools",
    }
    commands.update({name: (f"/usr/bin/{name}", owner) for name, owner in owned.items()})
    libraries = {soname: (f"/usr/lib/{soname}", package) for soname, package in (
        ("libpango-1.0.so.0", "libpango-1.0-0"), ("libpangoft2-1.0.so.0", "libpangoft2-1.0-0"),
        ("libharfbuzz-subset.so.0", "libharfbuzz-subset0"))}
    installed = {"nodejs", "python3-venv", "mariadb-server", "mariadb-client", "redis-server", "redis-tools",
                 "chromium", "poppler-utils", "libnss3-tools", "fonts-thai-tlwg", "libpango-1.0-0",
                 "libpangoft2-1.0-0", "libharfbuzz-subset0", "tesseract-ocr", "tesseract-ocr-tha", "zbar-tools"}
    machine = simulated_machine(commands=commands, installed=installed, libraries=libraries,
                                thai_font=("/usr/share/fonts/truetype/tlwg/Laksaman.ttf", "fonts-tlwg-laksaman"),
                                files={THAI_OCR_DATA})

    to_install, bare_set = plan_for(machine)

    assert to_install == []
    assert "mariadb-server" in bare_set and "chromium" in bare_set and "npm" not in bare_set


THAI_OCR_DATA = "/usr/share/tesseract-ocr/5/tessdata/tha.traineddata"


def test_tesseract_without_its_thai_data_gets_the_thai_language_package():
    machine = simulated_machine(commands={"tesseract": ("/usr/bin/tesseract", "tesseract-ocr")},
                                installed={"tesseract-ocr"})

    to_install, _ = plan_for(machine)

    assert "tesseract-ocr-tha" in to_install and "tesseract-ocr" not in to_install


def test_a_command_outside_dpkg_counts_as_provided():
    """pyenv's python3 or a hand-installed Node: present, owned by no package, never replaced."""
    machine = simulated_machine(commands={"node": ("/opt/node/bin/node", None), "npm": ("/opt/node/bin/npm", None)})

    to_install, bare_set = plan_for(machine, "run")

    assert "npm" not in to_install and "nodejs" not in to_install
    assert "npm" not in bare_set and "nodejs" not in bare_set


def test_a_missing_library_is_asked_for_by_its_package():
    machine = simulated_machine(commands=NODESOURCE, installed={"nodejs"}, libraries={
        "libpango-1.0.so.0": ("/usr/lib/libpango-1.0.so.0", "libpango-1.0-0"),
        "libpangoft2-1.0.so.0": ("/usr/lib/libpangoft2-1.0.so.0", "libpangoft2-1.0-0")})

    to_install, _ = plan_for(machine, "run")

    assert to_install == ["libharfbuzz-subset0"]


@pytest.mark.parametrize("argv", [[], ["install"], ["install", "prod"], ["remove", "run"]])
def test_wrong_arguments_print_usage(argv, capsys):
    assert system_packages.main(argv) == 2
    assert "capability" in capsys.readouterr().err
