"""Flask-Login wiring: the browser's session holds only the token of a server-side login session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from quali_kompass.extensions import login_manager


def install(app: Flask) -> None:
    from quali_kompass.accounts.services import load_session

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    # Our server-side sessions replace Flask-Login's fingerprinting of the browser.
    login_manager.session_protection = None
    login_manager.user_loader(load_session)

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        if request.blueprint == "api" or request.accept_mimetypes.best == "application/json":
            abort(401)
        from flask import flash

        flash(login_manager.login_message, "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def permission_required(check: Callable[[Any], bool]) -> Callable:
    """Let through logged-in people for whom ``check(current_user)`` holds; 403 for the others."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
