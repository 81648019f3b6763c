"""Security headers, cookie flags, safe redirects and error pages."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from quali_kompass import logs
from quali_kompass.extensions import db

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class RequestAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (request.is_secure if request else False)


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def allows_large_uploads(view: Callable) -> Callable:
    """Let a view accept uploads up to MAX_CONTENT_LENGTH (videos); every other request keeps QK_MAX_REQUEST_MB."""
    view.qk_large_uploads = True  # type: ignore[attr-defined]
    return view


def _limit_request_size() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "qk_large_uploads", False):
        limit = current_app.config["QK_MAX_REQUEST_MB"] * 1024 * 1024
        request.max_content_length = min(limit, current_app.config["MAX_CONTENT_LENGTH"] or limit)


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Files served behind a permission check mark themselves private (browser cache only, revalidated).
    private_file = bool(response.cache_control.private)
    if (
        request.endpoint != "static"
        and not private_file
        and (current_user.is_authenticated or response.mimetype == "text/html")
    ):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def _error_page(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if code == 500:
        return _server_error(error)
    db.session.rollback()
    if request.accept_mimetypes.best == "application/json" and not request.accept_mimetypes.accept_html:
        return {"error": error.name, "status": code}, code  # type: ignore[return-value]
    template = f"errors/{code}.html" if code in {400, 403, 404, 405, 413, 429} else "errors/error.html"
    return render_template(template, error=error, code=code), code


def _server_error(error: Exception) -> tuple[str, int]:
    """Log the error with a reference, undo the request's changes, show the reference but no details."""
    reference = logs.request_id()
    try:
        db.session.rollback()
    finally:
        logs.load_person()  # after the rollback: a failed transaction would refuse the query
        current_app.logger.error(
            "Unhandled error on %s %s", request.method, request.path, exc_info=error, extra={"reference": reference}
        )
    return render_template("errors/500.html", code=500, reference=reference), 500


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    db.session.rollback()
    return render_template("errors/csrf.html", code=400), 400


def install(app: Flask) -> None:
    app.session_interface = RequestAwareSessionInterface()
    if proxies := app.config["QK_TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    # First of all, before CSRF protection reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_request_size)
    app.after_request(_set_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _server_error)
