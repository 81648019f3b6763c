"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import contextlib
import re
import secrets
import string
import unicodedata
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128

# argon2id with 64 MiB memory, 3 passes: above the OWASP minimum for argon2id.
_hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)
# Verified against when the account does not exist, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("dummy password for timing")

_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


def normalise(password: str) -> str:
    """Compare passwords in NFC so that the same characters typed differently match."""
    return unicodedata.normalize("NFC", password)


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        _burn_time()
        return False
    try:
        return _hasher.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def _burn_time() -> None:
    with contextlib.suppress(VerificationError):
        _hasher.verify(_DUMMY_HASH, "not the dummy password")


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    text = files("quali_kompass").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Return why the password may not be used (translated), or None if it is acceptable."""
    length = len(normalise(password))
    if length < MIN_LENGTH:
        return str(_l("Das Passwort muss mindestens %(min)d Zeichen lang sein.", min=MIN_LENGTH))
    if length > MAX_LENGTH:
        return str(_l("Das Passwort darf höchstens %(max)d Zeichen lang sein.", max=MAX_LENGTH))
    lowered = normalise(password).casefold()
    base = _TRAILING_NOISE.sub("", lowered)
    common = _common_passwords()
    if lowered in common or (len(base) >= 6 and base in common) or len(set(lowered)) < 4:
        return str(
            _l(
                "Dieses Passwort ist zu bekannt und leicht zu erraten. "
                "Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern."
            )
        )
    return None


def generate_password(length: int = 16) -> str:
    """A random password that passes the policy (no look-alike characters)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if password_problem(candidate) is None:
            return candidate
