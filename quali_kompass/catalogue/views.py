"""The catalogue for everyone logged in: browse the published material, open one, print it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from quali_kompass.catalogue import blueprint, queries, rendering, search, session_queries
from quali_kompass.catalogue.models import KINDS, LEVELS, SOURCES, Material
from quali_kompass.database import utcnow
from quali_kompass.extensions import db

PER_PAGE = 20
DURATION_LABELS = {"bis-15": _l("bis 15 Min."), "15-60": _l("15–60 Min."), "ueber-60": _l("über 60 Min.")}
SORT_LABELS = {"neueste": _l("Neueste zuerst"), "titel": _l("Titel"), "dauer": _l("Dauer"), "relevanz": _l("Relevanz")}


def _labels() -> dict:
    """The German names of the codes stored with material, for the templates."""
    return {
        "kinds": rendering.KIND_LABELS,
        "levels": rendering.LEVEL_LABELS,
        "sources": rendering.SOURCE_LABELS,
        "languages": rendering.LANGUAGE_LABELS,
        "duration": rendering.duration_label,
    }


def _content(material: Material) -> dict:
    """What the content section shows: the sanitised text of a written guide, the address of a link."""
    external_url = rendering.safe_external_url(material.external_url) if material.kind == "link" else None
    return {
        "body": rendering.render_markdown(material.body) if material.kind == "document" else None,
        "external_url": external_url,
        "external_host": urlsplit(external_url).hostname if external_url else None,
    }


def _sessions(material: Material) -> dict:
    """The dates of a session, upcoming (with cancelled ones, so that those registered learn of it) and past."""
    if material.kind != "session":
        return {}
    overviews = session_queries.date_overviews(material, current_user)
    return {
        "upcoming_dates": [item for item in overviews if not item.past],
        "past_dates": [item for item in overviews if item.past],
    }


def _visible_material_or_404(material_id: int) -> Material:
    """The material if this person may see it; 404 for drafts of others, so that they stay unknown."""
    material = db.session.scalar(queries.material_detail(material_id))
    if material is None or not material.is_visible_to(current_user):
        abort(404)
    return material


@blueprint.route("/katalog")
@login_required
def browse() -> str:
    filters = queries.CatalogueFilters.from_args(request.args)
    match = search.find(db.session, filters.suche) if filters.suche else None
    page = db.paginate(
        queries.published_materials(filters, search.ranking(match) if match else None),
        page=request.args.get("seite", 1, type=int),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    materials = queries.with_details(page.items, steps=match is not None)
    choices = {
        "departments": db.session.execute(queries.department_choices()).all(),
        "topics": [(topic.id, topic.label) for topic in db.session.scalars(queries.topic_choices())],
        "tools": db.session.execute(queries.tool_choices()).all(),
        "kinds": [(kind, rendering.KIND_LABELS[kind]) for kind in KINDS],
        "levels": [(level, rendering.LEVEL_LABELS[level]) for level in LEVELS],
        "sources": [(source, rendering.SOURCE_LABELS[source]) for source in SOURCES],
        "durations": list(DURATION_LABELS.items()),
        # Relevance only means something while searching.
        "sorts": [(sort, label) for sort, label in SORT_LABELS.items() if sort != "relevanz" or filters.suche],
    }
    return render_template(
        "catalogue/browse.html",
        page=page,
        materials=materials,
        filters=filters,
        choices=choices,
        labels=_labels(),
        search=match,
        snippets=search.snippets(materials, match) if match else {},
        # The needs form comes with its own feature; until then the page offers no link to it.
        needs_form="needs.new_need" in current_app.view_functions,
    )


def _guide(material: Material, requested: int | None = None) -> dict:
    """A guide's current step for the player, and every step with its rendered instruction for paper."""
    if material.kind != "guide":
        return {}
    return {
        "guide": rendering.guide_position(material.steps, requested),
        "guide_steps": [(step, rendering.render_markdown(step.instruction)) for step in material.steps],
    }


@blueprint.route("/katalog/<int:material_id>")
@login_required
def material(material_id: int) -> str:
    from quali_kompass.curricula.completion_views import material_completion_context
    from quali_kompass.feedback.views import material_feedback_context

    material = _visible_material_or_404(material_id)
    return render_template(
        "catalogue/material.html",
        material=material,
        can_edit=current_user.can_edit_material(material),
        labels=_labels(),
        **_content(material),
        **_sessions(material),
        **_guide(material, request.args.get("schritt", type=int)),
        **material_completion_context(material, current_user),
        **material_feedback_context(material, current_user),
    )


@blueprint.route("/katalog/<int:material_id>/drucken")
@login_required
def material_print(material_id: int) -> str:
    material = _visible_material_or_404(material_id)
    return render_template(
        "catalogue/material_print.html",
        material=material,
        labels=_labels(),
        today=utcnow(),
        **_content(material),
        **_sessions(material),
        **_guide(material),
    )
