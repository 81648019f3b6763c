"""Needs pages: a person states and follows their needs; editors answer them and see what to produce next."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue import queries as catalogue_queries
from quali_kompass.catalogue import rendering
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db, login_manager
from quali_kompass.needs import blueprint, queries, services
from quali_kompass.needs.forms import STATE_LABELS, URGENCY_LABELS, AnswerForm, NeedForm
from quali_kompass.needs.models import MAX_TEXT, Need
from quali_kompass.notifications.services import send_now
from quali_kompass.web import show_refusal

editor_required = permission_required(lambda person: person.can_edit_catalogue)

# Badge variant and icon per state: the state is told by text and icon, never by colour alone.
STATE_BADGES = {
    "open": ("info", "info"),
    "in_progress": ("warning", "autorenew"),
    "met": ("success", "success"),
    "declined": ("danger", "close"),
}


@blueprint.context_processor
def labels() -> dict:
    from quali_kompass.catalogue.taxonomy_views import editor_navigation

    return {
        "need_states": STATE_LABELS,
        "need_state_badges": STATE_BADGES,
        "urgency_labels": URGENCY_LABELS,
        "kind_labels": rendering.KIND_LABELS,
        **editor_navigation(),
    }


def _search_text(value: str) -> str:
    """The query as the catalogue cleans it (control characters, spaces, length)."""
    return catalogue_queries.CatalogueFilters.from_args(MultiDict({"suche": value})).suche


def _own_department_id() -> int | None:
    return db.session.scalar(queries.current_department_id(current_user.id))


# A person's needs ---------------------------------------------------------------------------------------------
@blueprint.route("/bedarf")
@login_required
def my_needs() -> str:
    needs = db.session.scalars(queries.person_needs(current_user.id)).all()
    return render_template("needs/my_needs.html", needs=needs)


def _need_form() -> tuple[NeedForm, dict]:
    form = NeedForm()
    tools = db.session.execute(catalogue_queries.tool_choices()).all()
    topics = [(topic.id, topic.label) for topic in db.session.scalars(catalogue_queries.topic_choices())]
    form.tool_id.choices = [(0, _("– kein bestimmtes Werkzeug –")), *((row.id, row.name) for row in tools)]
    form.topic_id.choices = [(0, _("– kein bestimmtes Thema –")), *topics]
    teams = (
        db.session.scalars(queries.team_choices(current_user.reviewable_team_ids)).all() if current_user.is_lead else []
    )
    form.team_id.choices = [
        (0, _("Für mich")),
        *((team.id, _("Für mein Team: %(team)s", team=team.label)) for team in teams),
    ]
    return form, {"tools": dict(tools), "topics": dict(topics), "teams": teams}


@blueprint.route("/bedarf/neu", methods=["GET", "POST"])
@login_required
def new_need() -> Response | tuple[str, int]:
    form, names = _need_form()
    query = ""
    if request.method == "GET":
        # Coming from the catalogue: take over its search and filters.
        tool_id, topic_id = request.args.get("werkzeug", type=int), request.args.get("thema", type=int)
        form.tool_id.data = tool_id if tool_id in names["tools"] else 0
        form.topic_id.data = topic_id if topic_id in names["topics"] else 0
        form.text.data = _search_text(request.args.get("suche", ""))
        query = form.text.data
    elif "suchen" in request.form:  # without JavaScript: show the matching material, keep what was typed
        query = _search_text(form.text.data or "") or names["tools"].get(form.tool_id.data, "")
        query = query or names["topics"].get(form.topic_id.data, "").split(" › ")[-1]
    elif form.validate_on_submit():
        try:
            services.state_need(
                current_user,
                tool_id=form.tool_id.data or None,
                topic_id=form.topic_id.data or None,
                text=form.text.data or "",
                urgency=form.urgency.data or "",
                team_id=form.team_id.data or None,
            )
            db.session.commit()
            flash(_("Vielen Dank! Ihr Bedarf ist bei der Redaktion angekommen."), "success")
            return redirect(url_for("needs.my_needs"))
        except ServiceError as error:
            show_refusal(form, error)
    matches = queries.matching_materials(db.session, query, _own_department_id()) if query else []
    return render_template(
        "needs/new_need.html", form=form, teams=names["teams"], matches=matches, searched=bool(query)
    ), 400 if form.errors else 200


@blueprint.route("/bedarf/passende-angebote")
def matches() -> Response | tuple[Response, int]:
    """Published material matching what a person types, for the needs form (JSON)."""
    if not current_user.is_authenticated:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=_("Bitte melden Sie sich erneut an.")), 401
        return login_manager.unauthorized()
    raw = request.args.get("suche", "")
    if len(raw) > MAX_TEXT:
        return jsonify(error=_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_TEXT)), 400
    materials = queries.matching_materials(db.session, _search_text(raw), _own_department_id())
    return jsonify(
        matches=[
            {
                "title": material.title,
                "kind": str(rendering.KIND_LABELS[material.kind]),
                "url": url_for("catalogue.material", material_id=material.id),
            }
            for material in materials
        ],
        hint=_("Das passt schon? Dann brauchen Sie keinen Bedarf zu melden.") if materials else "",
    )


# Editors ------------------------------------------------------------------------------------------------------
@blueprint.route("/redaktion/bedarfe")
@editor_required
def overview() -> str:
    filters = queries.NeedFilters.from_args(request.args)
    page = db.paginate(
        queries.editor_needs(current_user, filters),
        page=request.args.get("seite", 1, type=int),
        per_page=25,
        max_per_page=25,
        error_out=False,
    )
    counts = {
        dimension: db.session.execute(queries.counts_by(current_user, dimension)).all()
        for dimension in ("department", "topic", "tool")
    }
    allowed = current_user.editable_department_ids
    departments = [
        row
        for row in db.session.execute(catalogue_queries.department_choices())
        if allowed is None or row.id in allowed
    ]
    choices = {
        "departments": departments,
        "topics": [(topic.id, topic.label) for topic in db.session.scalars(catalogue_queries.topic_choices())],
        "tools": db.session.execute(catalogue_queries.tool_choices()).all(),
    }
    return render_template("needs/overview.html", page=page, filters=filters, counts=counts, choices=choices)


def _answerable_or_404(need_id: int) -> Need:
    need = db.session.scalar(queries.need_detail(need_id))
    if need is None:
        abort(404)
    if not need.can_answer(current_user):
        abort(403)
    return need


@blueprint.route("/redaktion/bedarfe/<int:need_id>", methods=["GET", "POST"])
@editor_required
def need(need_id: int) -> Response | tuple[str, int]:
    need = _answerable_or_404(need_id)
    default_query = need.tool.name if need.tool else need.topic.name if need.topic else ""
    query = _search_text(request.args.get("suche", default_query))
    candidates = queries.matching_materials(db.session, query, need.department_id, queries.CANDIDATE_LIMIT)
    form = AnswerForm()
    offered = {material.id: material for material in [*need.materials, *candidates]}
    if request.method == "POST":
        posted = [i for i in (form.material_ids.data or []) if i not in offered]
        if posted:  # chosen from an earlier search: keep them on the page
            offered.update((m.id, m) for m in db.session.scalars(queries.linkable_materials(posted)))
    form.material_ids.choices = [(material.id, material.title) for material in offered.values()]
    if form.validate_on_submit():
        try:
            key = services.answer(
                need, current_user, form.state.data or "", form.material_ids.data or [], form.reply.data
            )
            db.session.commit()
            send_now(need.person_id, key)
            flash(_("Ihre Antwort ist gespeichert. Wer den Bedarf gemeldet hat, wird benachrichtigt."), "success")
            return redirect(url_for("needs.need", need_id=need.id))
        except ServiceError as error:
            show_refusal(form, error)
            need = _answerable_or_404(need_id)  # the rollback expired it
    elif request.method == "GET":
        form.material_ids.data = [material.id for material in need.materials]
        form.state.data = need.state if need.state in services.ANSWER_STATES else "met"
        form.reply.data = need.reply
    return render_template(
        "needs/need.html", need=need, form=form, candidates=candidates, query=query
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/bedarfe/offen")
@editor_required
def unmet() -> str:
    return render_template("needs/unmet.html", groups=queries.unmet_groups(db.session, current_user))
