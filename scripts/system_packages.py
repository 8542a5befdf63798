#!/usr/bin/env python3
"""Install the Debian packages e-Saraban needs, asked for by capability, never by a name already provided.

    scripts/system_packages.py install run|test   install what is missing for `make run` or `make test`
    scripts/system_packages.py check run|test     ask apt's resolver whether a bare machine's set installs
    scripts/system_packages.py plan run|test      print what would be asked for, and why
    (and `server`: what scripts/install-server.sh needs on a production server)

A capability is what the project uses: a command, a shared library by soname, a Python module, Thai fonts.
Each names the Debian package that gives it on a bare machine. A capability already present is never asked
for again, whoever provides it: NodeSource's `nodejs` carries its own `npm` command, and asking apt for
Debian's `npm` beside it is refused ("nodejs : Conflicts: npm").

`check` runs `apt-get install --simulate` over the packages a bare machine would be given, leaving out the
capabilities that another package (or no package) provides here, so a conflict fails CI on a machine where
everything is already installed, not only on a fresh one. Standard library only: it runs before the venv.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from typing import Callable, Iterable


@dataclasses.dataclass(frozen=True)
class Capability:
    kind: str  # command | library | python (python3 on PATH) | system-python (/usr/bin/python3) | thai-fonts | file
    name: str  # the command, the soname, the modules (comma-separated), a path, or a description
    package: str  # the Debian package that gives it on a bare Debian 12/13 machine

    def describe(self) -> str:
        return f"{self.kind} {self.name}"


RUN = (
    Capability("command", "node", "nodejs"),
    Capability("command", "npm", "npm"),
    Capability("python", "venv,ensurepip", "python3-venv"),
    Capability("library", "libpango-1.0.so.0", "libpango-1.0-0"),
    Capability("library", "libpangoft2-1.0.so.0", "libpangoft2-1.0-0"),
    Capability("library", "libharfbuzz-subset.so.0", "libharfbuzz-subset0"),
)
TEST = RUN + (
    Capability("command", "mariadbd", "mariadb-server"),
    Capability("command", "mariadb-install-db", "mariadb-server"),
    Capability("command", "mariadb", "mariadb-client"),
    Capability("command", "mariadb-admin", "mariadb-client"),
    Capability("command", "redis-server", "redis-server"),
    Capability("command", "redis-cli", "redis-tools"),
    Capability("command", "chromium", "chromium"),
    Capability("command", "pdftoppm", "poppler-utils"),
    Capability("command", "pdftotext", "poppler-utils"),
    Capability("command", "pdffonts", "poppler-utils"),
    Capability("command", "tesseract", "tesseract-ocr"),  # letters are read back as a reader's OCR would
    Capability("file", "/usr/share/tesseract-ocr/5/tessdata/tha.traineddata", "tesseract-ocr-tha"),
    Capability("command", "zbarimg", "zbar-tools"),  # reads a letter's QR code back from the rendered page
    Capability("command", "pdfsig", "poppler-utils"),      # checks the PAdES signatures (issue 15)
    Capability("command", "certutil", "libnss3-tools"),    # an NSS db trusting our CA, for pdfsig
    Capability("thai-fonts", "Thai fonts for the browser and PDFs", "fonts-thai-tlwg"),
)
SERVER = RUN + (
    Capability("system-python", "venv,ensurepip", "python3-venv"),  # the server's venv uses Debian's Python
    Capability("command", "mariadbd", "mariadb-server"),
    Capability("command", "mariadb", "mariadb-client"),
    Capability("command", "mariadb-dump", "mariadb-client"),
    Capability("command", "redis-server", "redis-server"),
    Capability("command", "redis-cli", "redis-tools"),
    Capability("command", "nginx", "nginx"),
    Capability("command", "rsync", "rsync"),
    Capability("command", "logrotate", "logrotate"),
    Capability("command", "make", "make"),
    Capability("command", "curl", "curl"),
    Capability("thai-fonts", "Thai fonts for PDFs", "fonts-thai-tlwg"),
)
SETS = {"run": RUN, "test": TEST, "server": SERVER}


@dataclasses.dataclass
class Machine:
    """What the planner asks of the machine; tests give a simulated one."""

    which: Callable[[str], str | None]
    owner_of: Callable[[str], str | None]  # path -> the installed package that owns it, or None
    is_installed: Callable[[str], bool]  # package -> dpkg has it installed
    has_library: Callable[[str], str | None]  # soname -> its path, or None
    has_python_modules: Callable[[Iterable[str], str], bool]  # (modules, interpreter)
    thai_font_path: Callable[[], str | None]
    path_exists: Callable[[str], bool] = os.path.exists


def real_machine() -> Machine:
    return Machine(which=shutil.which, owner_of=_dpkg_owner, is_installed=_dpkg_installed, has_library=_ldconfig_path,
                   has_python_modules=_python_has, thai_font_path=_thai_font)


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _dpkg_owner(path: str) -> str | None:
    for candidate in dict.fromkeys([path, os.path.realpath(path)]):
        result = _run(["dpkg-query", "-S", candidate])
        if result.returncode == 0 and ":" in result.stdout:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _dpkg_installed(package: str) -> bool:
    result = _run(["dpkg-query", "-W", "-f=${Status}", package])
    return result.returncode == 0 and "install ok installed" in result.stdout


def _ldconfig_path(soname: str) -> str | None:
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    for line in _run([ldconfig, "-p"]).stdout.splitlines():
        if line.strip().startswith(soname + " ") and "=>" in line:
            return line.split("=>", 1)[1].strip()
    return None


def _python_has(modules: Iterable[str], interpreter: str = "python3") -> bool:
    python = shutil.which(interpreter)
    return bool(python) and _run([python, "-c", "import " + ", ".join(modules)]).returncode == 0


def _thai_font() -> str | None:
    if not shutil.which("fc-list"):
        return None
    paths = _run(["fc-list", ":lang=th", "file"]).stdout.split()
    return paths[0].rstrip(":") if paths else None


@dataclasses.dataclass
class Decision:
    capability: Capability
    present_at: str | None  # where the machine already has it, or None
    provider: str | None  # the installed package that provides it (None: missing, or outside dpkg)
    package_installed: bool  # our package for it is installed (it may provide it through a dependency)

    @property
    def missing(self) -> bool:
        return self.present_at is None

    @property
    def provided_elsewhere(self) -> bool:
        """Present, but not through the package we would ask for: never ask apt for that package."""
        return not self.missing and not self.package_installed and self.provider != self.capability.package


def decide(capabilities: Iterable[Capability], machine: Machine) -> list[Decision]:
    decisions = []
    for capability in capabilities:
        present_at = _locate(capability, machine)
        provider = machine.owner_of(present_at) if present_at and present_at.startswith("/") else None
        decisions.append(Decision(capability, present_at, provider, machine.is_installed(capability.package)))
    return decisions


def _locate(capability: Capability, machine: Machine) -> str | None:
    if capability.kind == "command":
        return machine.which(capability.name)
    if capability.kind == "library":
        return machine.has_library(capability.name)
    if capability.kind in ("python", "system-python"):
        interpreter = "python3" if capability.kind == "python" else "/usr/bin/python3"
        return interpreter if machine.has_python_modules(capability.name.split(","), interpreter) else None
    if capability.kind == "thai-fonts":
        return machine.thai_font_path()
    if capability.kind == "file":
        return capability.name if machine.path_exists(capability.name) else None
    raise ValueError(f"unknown capability kind {capability.kind!r}")


def packages_to_install(decisions: list[Decision]) -> list[str]:
    """The packages for capabilities that are missing, unless another capability's provider already
    made that package redundant (both commands of one package)."""
    elsewhere = {d.capability.package for d in decisions if d.provided_elsewhere}
    return list(dict.fromkeys(d.capability.package for d in decisions
                              if d.missing and d.capability.package not in elsewhere))


def bare_machine_packages(decisions: list[Decision]) -> list[str]:
    """What a bare machine of this kind would be given: every capability's package, except those whose
    capability something else provides here (NodeSource's nodejs and its npm stay as they are)."""
    elsewhere = {d.capability.package for d in decisions if d.provided_elsewhere}
    return list(dict.fromkeys(d.capability.package for d in decisions if d.capability.package not in elsewhere))


def _as_root() -> list[str]:
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        return ["sudo"]
    sys.exit("Root or sudo is needed to install Debian packages (ต้องใช้สิทธิ์ root หรือ sudo เพื่อติดตั้งแพ็กเกจ)")


def _apt(args: list[str], *, simulate: bool = False) -> int:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ([] if simulate else _as_root()) + ["apt-get", *args]
    return subprocess.run(command, env=env, check=False).returncode


def _apt_lists_present() -> bool:
    return any(name.endswith("_Packages") or "_Packages." in name
               for name in os.listdir("/var/lib/apt/lists")) if os.path.isdir("/var/lib/apt/lists") else False


def install(decisions: list[Decision]) -> int:
    packages = packages_to_install(decisions)
    if not packages:
        return 0
    print("Installing Debian packages (ติดตั้งแพ็กเกจ): " + " ".join(packages), flush=True)
    if _apt(["update", "-qq"]) != 0:
        print("apt-get update failed: is the network to Debian's mirrors open?", file=sys.stderr)
        return 1
    return _apt(["install", "-y", "-qq", "--no-install-recommends", *packages])


def check(decisions: list[Decision]) -> int:
    packages = bare_machine_packages(decisions)
    if not _apt_lists_present():
        if _apt(["update", "-qq"]) != 0:
            print("apt-get update failed", file=sys.stderr)
            return 1
    result = subprocess.run(["apt-get", "install", "--simulate", "--no-install-recommends", "-qq", *packages],
                            capture_output=True, text=True, check=False,
                            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if result.returncode != 0:
        print("apt's resolver refuses the package set a bare machine would need:\n  " + " ".join(packages),
              file=sys.stderr)
        print(result.stdout + result.stderr, file=sys.stderr)
        return 1
    print(f"apt's resolver accepts the bare-machine package set ({len(packages)} packages).")
    return 0


def plan(decisions: list[Decision]) -> int:
    for d in decisions:
        if d.missing:
            state = f"missing -> apt-get install {d.capability.package}"
        elif d.provided_elsewhere:
            provider = d.provider or "a file outside dpkg"
            state = f"provided by {provider} at {d.present_at}; {d.capability.package} never asked for"
        else:
            state = f"installed ({d.provider or d.capability.package})"
        print(f"{d.capability.describe():45} {state}")
    return 0


def main(argv: list[str]) -> int:
    actions = {"install": install, "check": check, "plan": plan}
    if len(argv) != 2 or argv[0] not in actions or argv[1] not in SETS:
        print(__doc__, file=sys.stderr)
        return 2
    return actions[argv[0]](decide(SETS[argv[1]], real_machine()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
