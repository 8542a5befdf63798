"""The official Thai fonts a letter may be set in (the Cabinet resolution of 7 Sep 2553 names 13 national
fonts; letters use TH SarabunPSK). Debian's Laksaman has TH SarabunPSK's metrics and is always there; an
office that installs TH Sarabun New or THSarabunIT๙ (Thai digits by default) may pick it."""
import functools
import shutil
import subprocess

DEFAULT_FONT = "Laksaman"
OFFICIAL_FONTS = ("Laksaman", "TH SarabunPSK", "TH Sarabun New", "THSarabunNew", "TH SarabunIT๙",
                  "TH Niramit AS", "TH Krub", "TH Charm of AU", "TH K2D July8", "TH Mali Grade6",
                  "TH Chakra Petch", "TH Baijam", "TH KoHo", "TH Kodchasal", "TH Srisakdi", "TH Fah kwang",
                  "TH Charmonman")


@functools.cache
def installed_families():
    if not shutil.which("fc-list"):
        return frozenset()
    listing = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True).stdout
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def available():
    """The official fonts this machine has, the default first."""
    families = installed_families()
    return [name for name in OFFICIAL_FONTS if name == DEFAULT_FONT or name in families]
