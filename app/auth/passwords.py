"""Password strength and hashing (scrypt, through Werkzeug)."""
import functools
import secrets
import string

from werkzeug.security import check_password_hash, generate_password_hash

from app.core.errors import BusinessRuleError
from app.core.messages import lazy_gettext as _l

MIN_LENGTH = 8
COMMON_PASSWORDS = frozenset({
    "password", "password1", "12345678", "123456789", "1234567890", "qwerty123", "11111111", "00000000",
    "iloveyou", "admin123", "welcome1", "abc12345", "p@ssw0rd", "passw0rd", "password123", "qwertyui",
})


@functools.cache
def _decoy_hash():
    """A real hash to verify against when the username is unknown, so timing does not reveal which names
    exist. Made on first use, not at import: scrypt takes a tenth of a second, and every command, worker
    and test process imports this module."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def strength_problems(password, username=""):
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("at least %(count)d characters", count=MIN_LENGTH))
    if not any(ch.isalpha() for ch in password):
        problems.append(_l("at least one letter"))
    if not any(ch.isdigit() for ch in password):
        problems.append(_l("at least one digit"))
    if password.lower() in COMMON_PASSWORDS:
        problems.append(_l("not a commonly used password"))
    if username and username.lower() in password.lower():
        problems.append(_l("not containing the username"))
    return problems


def check_strength(password, username=""):
    problems = strength_problems(password, username)
    if problems:
        listed = ", ".join(str(p) for p in problems)
        raise BusinessRuleError(_l("The password must have %(rules)s.", rules=listed))


def hash_password(password):
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash, password):
    return check_password_hash(password_hash or _decoy_hash(), password)


def temporary_password():
    """Readable one-time password for a reset: no 0/O or 1/l/I, always with letters and digits."""
    alphabet = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")
    while True:
        candidate = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
        if not strength_problems(candidate):
            return candidate
