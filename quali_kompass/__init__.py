"""Quali-Kompass: training material, minimum curricula and completion records for Jobcenters."""

from __future__ import annotations

from typing import Any

from flask import Flask

from quali_kompass.config import INSTANCE_PATH, Config


def create_app(config: Any = None) -> Flask:
    """Build the app; ``config`` (object or mapping) overrides the environment-based settings."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(Config())
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    from quali_kompass.web import IdConverter

    app.url_map.converters["int"] = IdConverter
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    from quali_kompass import logs
    from quali_kompass.frame import security

    security.install(app)
    logs.install(app)
    return app


def register_extensions(app: Flask) -> None:
    from quali_kompass import i18n
    from quali_kompass.accounts import login
    from quali_kompass.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login.install(app)
    i18n.install(app)


def register_blueprints(app: Flask) -> None:
    from quali_kompass import (
        accounts,
        audit,
        catalogue,
        curricula,
        feedback,
        frame,
        needs,
        news,
        notifications,
        organisation,
        privacy,
        review,
        statistics,
        surveys,
    )

    # Importing a feature's views attaches its routes to its blueprint.
    from quali_kompass.accounts import views as _accounts_views  # noqa: F401
    from quali_kompass.audit import views as _audit_views  # noqa: F401
    from quali_kompass.catalogue import editor_views as _editor_views  # noqa: F401
    from quali_kompass.catalogue import guide_views as _guide_views  # noqa: F401
    from quali_kompass.catalogue import session_views as _session_views  # noqa: F401
    from quali_kompass.catalogue import taxonomy_views as _taxonomy_views  # noqa: F401
    from quali_kompass.catalogue import video_views as _video_views  # noqa: F401
    from quali_kompass.catalogue import views as _catalogue_views  # noqa: F401
    from quali_kompass.curricula import completion_views as _completion_views  # noqa: F401
    from quali_kompass.curricula import kompass_views as _kompass_views  # noqa: F401
    from quali_kompass.curricula import models as _curricula_models  # noqa: F401
    from quali_kompass.curricula import plan_views as _plan_views  # noqa: F401
    from quali_kompass.curricula import requirement_views as _requirement_views  # noqa: F401
    from quali_kompass.feedback import models as _feedback_models  # noqa: F401
    from quali_kompass.feedback import views as _feedback_views  # noqa: F401
    from quali_kompass.frame import views as _frame_views  # noqa: F401
    from quali_kompass.needs import models as _needs_models  # noqa: F401
    from quali_kompass.needs import views as _needs_views  # noqa: F401
    from quali_kompass.news import models as _news_models  # noqa: F401
    from quali_kompass.news import views as _news_views  # noqa: F401
    from quali_kompass.notifications import models as _notification_models  # noqa: F401
    from quali_kompass.notifications import views as _notification_views  # noqa: F401
    from quali_kompass.organisation import import_views as _import_views  # noqa: F401
    from quali_kompass.organisation import views as _organisation_views  # noqa: F401
    from quali_kompass.privacy import views as _privacy_views  # noqa: F401
    from quali_kompass.review import cells as _review_cells  # noqa: F401
    from quali_kompass.review import department_views as _department_views  # noqa: F401
    from quali_kompass.review import export_views as _export_views  # noqa: F401
    from quali_kompass.review import models as _review_models  # noqa: F401
    from quali_kompass.review import reminder_views as _reminder_views  # noqa: F401
    from quali_kompass.review import views as _review_views  # noqa: F401
    from quali_kompass.statistics import models as _statistics_models  # noqa: F401
    from quali_kompass.statistics import views as _statistics_views  # noqa: F401
    from quali_kompass.surveys import models as _survey_models  # noqa: F401
    from quali_kompass.surveys import views as _survey_views  # noqa: F401

    for feature in (
        frame,
        accounts,
        organisation,
        audit,
        catalogue,
        curricula,
        review,
        privacy,
        notifications,
        news,
        needs,
        feedback,
        surveys,
        statistics,
    ):
        app.register_blueprint(feature.blueprint)


def register_commands(app: Flask) -> None:
    from quali_kompass.commands import commands

    for command in commands:
        app.cli.add_command(command)
