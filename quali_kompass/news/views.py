"""News pages: the editors' list and form, the person's news and one item."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from quali_kompass.catalogue import editor_queries, picker
from quali_kompass.catalogue.editor_views import editor_required
from quali_kompass.catalogue.models import Material
from quali_kompass.catalogue.picker import MaterialPicker
from quali_kompass.catalogue.rendering import render_markdown
from quali_kompass.catalogue.sessions import berlin_to_utc, in_berlin
from quali_kompass.catalogue.taxonomy_views import editor_navigation
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.news import blueprint, queries, services
from quali_kompass.news.forms import DeleteForm, NewsForm
from quali_kompass.news.models import NewsItem
from quali_kompass.organisation.models import Department
from quali_kompass.web import get_or_404, show_refusal

PER_PAGE = 20
EDITOR_PER_PAGE = 50

# The editors' sub-navigation (Material, Themen, Werkzeuge, Neuigkeiten) on the news editor pages too.
blueprint.context_processor(editor_navigation)


# Reading ---------------------------------------------------------------------------------------------------------
@blueprint.route("/neuigkeiten")
@login_required
def index() -> str:
    page = db.paginate(
        queries.person_news(current_user.id, utcnow()),
        page=request.args.get("seite", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("news/index.html", page=page)


@blueprint.route("/neuigkeiten/<int:news_id>")
@login_required
def item(news_id: int) -> str:
    """One item; opening it marks it read for this person. Editors may also preview news not meant for them."""
    news = queries.news_item(news_id, current_user.id)
    if news is None:
        abort(404)
    now = utcnow()
    meant_for_person = news.is_published(now) and news.is_for_department(queries.current_department_id(current_user.id))
    if not meant_for_person and not news.can_edit(current_user):
        abort(404)
    unread = meant_for_person and news.read_at is None
    if unread and services.mark_read(news, current_user):
        try:
            db.session.commit()
        except IntegrityError:  # the same person opened it twice at the same moment
            db.session.rollback()
            news = queries.news_item(news_id, current_user.id)
    return render_template(
        "news/item.html",
        news=news,
        body=render_markdown(news.body),
        meant_for_person=meant_for_person,
        scheduled=not news.is_published(now),
        materials=[material for material in news.materials if material.status == "published"],
    )


# Editing ---------------------------------------------------------------------------------------------------------
def _editable_or_403(news_id: int) -> NewsItem:
    news = get_or_404(NewsItem, news_id)
    if not news.can_edit(current_user):
        abort(403)
    return news


def _news_form(news: NewsItem | None = None) -> tuple[NewsForm, MaterialPicker]:
    form = NewsForm(obj=news)
    form.department_ids.choices = editor_queries.department_choices(current_user)
    if not form.is_submitted():
        if news is not None:
            form.fill_from(news)
        else:
            now = in_berlin(utcnow())
            form.publish_day.data = now.date()
            form.publish_time.data = now.time().replace(second=0, microsecond=0)
    return form, picker.offer(form.material_ids)


def _save(news: NewsItem | None, form: NewsForm) -> NewsItem:
    """Apply a validated form through the service (raises ServiceError)."""
    ids = form.department_ids.data or []
    departments = db.session.scalars(select(Department).where(Department.id.in_(ids))).all() if ids else []
    ids = form.material_ids.data or []
    materials = db.session.scalars(select(Material).where(Material.id.in_(ids))).all() if ids else []
    fields = dict(form.data, publish_at=berlin_to_utc(form.publish_day.data, form.publish_time.data))
    return services.save_news(news, current_user, fields, departments, materials)


@blueprint.route("/redaktion/neuigkeiten")
@editor_required
def editor_list() -> str:
    page = db.paginate(
        queries.editable_news(current_user),
        page=request.args.get("seite", 1, type=int),
        per_page=EDITOR_PER_PAGE,
        error_out=False,
    )
    return render_template("news/editor_list.html", page=page, now=utcnow())


@blueprint.route("/redaktion/neuigkeiten/neu", methods=["GET", "POST"])
@editor_required
def editor_new() -> Response | tuple[str, int]:
    form, materials = _news_form()
    if not picker.searching() and form.validate_on_submit():
        try:
            news = _save(None, form)
            db.session.commit()
            flash(_("Die Neuigkeit „%(title)s“ ist gespeichert.", title=news.title), "success")
            return redirect(url_for("news.editor_edit", news_id=news.id))
        except ServiceError as error:
            show_refusal(form, error)
    return render_template(
        "news/editor_form.html", form=form, materials=materials, news=None
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/neuigkeiten/<int:news_id>", methods=["GET", "POST"])
@editor_required
def editor_edit(news_id: int) -> Response | tuple[str, int]:
    news = _editable_or_403(news_id)
    form, materials = _news_form(news)
    if not picker.searching() and form.validate_on_submit():
        try:
            _save(news, form)
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
            return redirect(url_for("news.editor_edit", news_id=news.id))
        except ServiceError as error:
            show_refusal(form, error)
            news = _editable_or_403(news_id)
    return render_template(
        "news/editor_form.html",
        form=form,
        materials=materials,
        news=news,
        preview=render_markdown(news.body),
        now=utcnow(),
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/neuigkeiten/<int:news_id>/loeschen", methods=["GET", "POST"])
@editor_required
def editor_delete(news_id: int) -> Response | tuple[str, int]:
    news = _editable_or_403(news_id)
    form = DeleteForm()
    if form.validate_on_submit():
        title = news.title
        try:
            services.delete_news(news, current_user)
            db.session.commit()
            flash(_("Die Neuigkeit „%(title)s“ ist gelöscht.", title=title), "success")
            return redirect(url_for("news.editor_list"))
        except ServiceError as error:
            show_refusal(None, error)
            news = _editable_or_403(news_id)
    elif form.is_submitted():
        flash(_("Bitte bestätigen Sie das Löschen mit der Schaltfläche „Endgültig löschen“."), "error")
    return render_template("news/editor_delete.html", news=news, form=form), 400 if form.is_submitted() else 200
