"""Login throttling per account, in the rate-limit storage of Flask-Limiter (memory, or Redis for several processes).

Every attempt is counted before its password is checked: guesses sent at the same moment are counted one by one,
which a deduction after the response (Flask-Limiter's ``deduct_when``) cannot do. A successful login clears the
count, so that people who log in often are not locked out by their own logins.
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse_many

from quali_kompass.extensions import limiter

SCOPE = "login-account"


def _limits() -> list[RateLimitItem]:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return []
    return parse_many(current_app.config["QK_LOGIN_LIMIT_ACCOUNT"])


def attempt_allowed(email: str) -> bool:
    """Count a login attempt for the (normalised) address; False once the account has had too many."""
    items = _limits()
    try:
        if not all(limiter.limiter.test(item, SCOPE, email) for item in items):
            # Already blocked: refuse without counting, so that a flood does not also fill the longer windows.
            return False
        return all([limiter.limiter.hit(item, SCOPE, email) for item in items])
    except Exception:
        # Without its counter store (Redis down) nobody could log in; the per-address limit keeps counting
        # in memory meanwhile (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
        current_app.logger.exception("Login throttling storage unavailable; account limit not applied")
        return True


def forget_attempts(email: str) -> None:
    """Clear the count after a successful login."""
    try:
        for item in _limits():
            limiter.limiter.clear(item, SCOPE, email)
    except Exception:
        current_app.logger.exception("Login throttling storage unavailable; count not cleared")
