"""Feedback in the browser: the form on the material page, and the editors' pages (without names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue import queries as catalogue_queries
from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.status import add_months, berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.feedback import blueprint, queries, services
from quali_kompass.feedback.forms import RATING_LABELS, FeedbackForm, ReplyForm
from quali_kompass.feedback.models import MaterialFeedback, can_read_feedback, can_read_material_feedback
from quali_kompass.organisation.models import Person
from quali_kompass.web import ListPage, get_or_404, page_links, show_refusal

OVERVIEW_PER_PAGE = 50

feedback_reader_required = permission_required(can_read_feedback)
blueprint.add_app_template_global(can_read_feedback, "can_read_feedback")
blueprint.add_app_template_global(can_read_material_feedback, "can_read_material_feedback")


@blueprint.app_template_filter("average")
def average_label(value: float | None) -> str:
    """An average rating with one decimal in the reader's language (3,5 in German); a dash if there is none."""
    return "–" if value is None else format_decimal(value, format="0.0")


# The section on the material page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MaterialFeedbackSection:
    """What the viewer sees: their own rating of the current version, the form, and the answered comments."""

    form: FeedbackForm | None  # None: the material cannot be rated (not published)
    own: MaterialFeedback | None
    answered: list[MaterialFeedback]
    labels: dict


def material_feedback_context(material: Material, viewer: Person) -> dict:
    """Context of templates/feedback/_material_feedback.html; one statement."""
    rows = db.session.scalars(queries.own_and_answered(material.id, viewer.id)).unique().all()
    version = material.current_version
    version_id = version.id if version else None
    own = next((row for row in rows if row.person_id == viewer.id and row.material_version_id == version_id), None)
    answered = [row for row in rows if row.reply]
    form = None
    if material.status == "published":
        # After a refused submission (feedback.give) the page shows that form with its messages.
        form = g.pop("feedback_form", None) or FeedbackForm(formdata=None, obj=own)
    return {"feedback": MaterialFeedbackSection(form, own, answered, RATING_LABELS)}


def _to_section(material_id: int) -> Response:
    return redirect(url_for("catalogue.material", material_id=material_id, _anchor="rueckmeldung"))


@blueprint.route("/katalog/<int:material_id>/rueckmeldung", methods=["POST"])
@login_required
def give(material_id: int) -> Response | tuple[str, int]:
    from quali_kompass.catalogue import views as catalogue_views

    material = db.session.scalar(catalogue_queries.material_detail(material_id))
    # Drafts stay unknown, even to their editors: only what everyone can read can be rated.
    if material is None or material.status == "draft":
        abort(404)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            existed = services.own_feedback(current_user.id, material) is not None
            services.give_feedback(current_user, material, form.rating.data, form.comment.data or "")
            db.session.commit()
            flash(_("Danke! Ihre Bewertung ist geändert.") if existed else _("Danke für Ihre Rückmeldung!"), "success")
            return _to_section(material.id)
        except ServiceError as error:
            show_refusal(form, error)
            if not error.field:
                return _to_section(material.id)
    g.feedback_form = form
    return catalogue_views.material(material_id), 400


# The editors' pages ---------------------------------------------------------------------------------------
def _review_cutoff() -> date:
    return add_months(berlin_today(), -queries.REVIEW_MONTHS)


@blueprint.route("/redaktion/rueckmeldungen")
@feedback_reader_required
def overview() -> str:
    rows = queries.material_ratings(current_user)
    cutoff = _review_cutoff()
    # Each list a page at a time (an editor of the whole catalogue may see thousands), each with its own page.
    lists = {
        "niedrig_seite": sorted((row for row in rows if row.low), key=lambda row: (row.average, row.title)),
        "pruefen_seite": [row for row in rows if row.review_overdue(cutoff)],
        "seite": [row for row in rows if row.ratings],
    }
    pages = {
        name: ListPage.within(items, request.args.get(name, 1, type=int), OVERVIEW_PER_PAGE)
        for name, items in lists.items()
    }
    anchors = {"niedrig_seite": "low-heading", "pruefen_seite": "review-heading", "seite": "all-heading"}
    return render_template(
        "feedback/overview.html",
        low=pages["niedrig_seite"],
        not_reviewed=pages["pruefen_seite"],
        rated=pages["seite"],
        links={name: page_links(pages, name, anchor) for name, anchor in anchors.items()},
        low_average=queries.LOW_AVERAGE,
        low_min_ratings=queries.LOW_MIN_RATINGS,
        review_months=queries.REVIEW_MONTHS,
    )


def _readable_or_403(material_id: int) -> Material:
    material = get_or_404(Material, material_id)
    if not can_read_material_feedback(current_user, material):
        abort(403)
    return material


def _reply_form(feedback_id: int, submitted: bool = False, reply: str = "") -> ReplyForm:
    """The answer form of one comment; only the submitted one reads the request."""
    if submitted:
        return ReplyForm(prefix=f"antwort-{feedback_id}")
    return ReplyForm(prefix=f"antwort-{feedback_id}", formdata=None, data={"reply": reply})


def _render_material(
    material: Material, failed: tuple[int, ReplyForm] | None = None, status: int = 200
) -> tuple[str, int]:
    comments = db.session.scalars(queries.comments(material.id)).all()
    forms = {comment.id: _reply_form(comment.id, reply=comment.reply) for comment in comments}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    distribution = queries.distribution(material.id)
    total = sum(distribution.values())
    average = sum(rating * count for rating, count in distribution.items()) / total if total else None
    return render_template(
        "feedback/material.html",
        material=material,
        distribution=distribution,
        total=total,
        average=average,
        comments=comments,
        forms=forms,
        labels=RATING_LABELS,
    ), status


@blueprint.route("/redaktion/rueckmeldungen/<int:material_id>")
@feedback_reader_required
def material(material_id: int) -> tuple[str, int]:
    return _render_material(_readable_or_403(material_id))


@blueprint.route("/redaktion/rueckmeldungen/kommentar/<int:feedback_id>/antwort", methods=["POST"])
@feedback_reader_required
def reply(feedback_id: int) -> Response | tuple[str, int]:
    feedback = get_or_404(MaterialFeedback, feedback_id)
    material = _readable_or_403(feedback.material_id)
    form = _reply_form(feedback.id, submitted=True)
    if form.validate_on_submit():
        try:
            services.reply(current_user, feedback, form.reply.data)
            db.session.commit()
            flash(_("Ihre Antwort ist gespeichert und auf der Seite des Materials zu sehen."), "success")
            return redirect(url_for("feedback.material", material_id=material.id, _anchor=f"kommentar-{feedback.id}"))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_material(material, failed=(feedback.id, form), status=400)
