"""Login, logout, the own account page and password-reset links."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from quali_kompass.accounts import blueprint, throttle
from quali_kompass.accounts.forms import LanguageForm, LoginForm, PasswordChangeForm, PasswordResetForm
from quali_kompass.accounts.passwords import verify_password
from quali_kompass.accounts.services import (
    authenticate,
    end_session,
    find_reset_token,
    normalise_email,
    set_password,
    start_session,
    use_reset_token,
)
from quali_kompass.audit.services import record
from quali_kompass.extensions import db, limiter
from quali_kompass.frame.security import safe_next_url


@blueprint.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["QK_LOGIN_LIMIT_CLIENT"],
    key_func=lambda: "login-client:" + (get_remote_address() or ""),
    methods=["POST"],
)
def login() -> Response | str:
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("frame.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        if not throttle.attempt_allowed(email):
            current_app.logger.warning("Login refused: too many attempts for %r", email)
            record("login_throttled", actor_label=email[:254])
            db.session.commit()
            abort(429)
        person = authenticate(email, form.password.data)
        if person is not None:
            throttle.forget_attempts(email)
            # A fresh cookie session: nothing issued before the login (CSRF token included) stays valid.
            session.clear()
            start_session(person)
            login_user(person)
            db.session.commit()
            return redirect(next_url or url_for("frame.home"))
        db.session.commit()
        form.password.errors.append(
            _("E-Mail-Adresse oder Passwort sind nicht richtig. Bitte versuchen Sie es noch einmal.")
        )
    return render_template("accounts/login.html", form=form)


@blueprint.route("/abmelden", methods=["POST"])
@login_required
def logout() -> Response:
    record("logout", current_user._get_current_object())
    end_session(current_user.session_token)
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    db.session.commit()
    flash(_("Sie haben sich abgemeldet."), "success")
    return redirect(url_for("accounts.login"))


@blueprint.route("/konto")
@login_required
def account() -> str:
    return render_template(
        "accounts/account.html",
        password_form=PasswordChangeForm(),
        language_form=LanguageForm(locale=current_user.locale),
    )


@blueprint.route("/konto/passwort", methods=["POST"])
@login_required
def change_password() -> Response | str:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        # Checking the current password counts as a login attempt: a stolen session must not allow endless guessing.
        if not throttle.attempt_allowed(current_user.email):
            abort(429)
        if verify_password(current_user.password_hash, form.current_password.data):
            throttle.forget_attempts(current_user.email)
            set_password(current_user, form.new_password.data, keep_session=current_user.session_token)
            record("password_changed", current_user._get_current_object())
            db.session.commit()
            flash(_("Ihr neues Passwort ist gespeichert. Andere Anmeldungen wurden beendet."), "success")
            return redirect(url_for("accounts.account"))
        form.current_password.errors.append(_("Das bisherige Passwort ist nicht richtig."))
    return render_template(
        "accounts/account.html", password_form=form, language_form=LanguageForm(locale=current_user.locale)
    ), 400


@blueprint.route("/passwort-zuruecksetzen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    reset = find_reset_token(token)
    if reset is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = PasswordResetForm()
    if form.validate_on_submit():
        use_reset_token(reset, form.new_password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form, person=reset.person)
