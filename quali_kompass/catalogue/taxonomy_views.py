"""Editor pages for topics (two levels) and tools."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from quali_kompass.catalogue import blueprint, taxonomy
from quali_kompass.catalogue.editor_views import editor_required
from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.catalogue.taxonomy_forms import ToolForm, TopicForm
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.web import get_or_404, show_refusal

# The editors' sub-navigation: (endpoint, label, endpoints that belong to the same section).
EDITOR_NAV = (
    ("catalogue.editor_materials", _l("Material"), "catalogue.editor_"),
    ("catalogue.topics", _l("Themen"), "catalogue.topic"),
    ("catalogue.tools", _l("Werkzeuge"), "catalogue.tool"),
    ("news.editor_list", _l("Neuigkeiten"), "news.editor_"),
    ("needs.overview", _l("Gemeldeter Bedarf"), ("needs.overview", "needs.need", "needs.unmet")),
)


@blueprint.context_processor
def editor_navigation() -> dict:
    def editor_nav() -> list[dict]:
        """The entries whose pages exist, and whether each is the current page or its section."""
        endpoint = request.endpoint or ""
        items = []
        for target, label, section in EDITOR_NAV:
            current = "page" if endpoint == target else "true" if endpoint.startswith(section) else None
            items.append({"endpoint": target, "label": label, "current": current})
        return items

    return {"editor_nav": editor_nav}


def _parent_choices(main_topics: list[Topic], exclude: Topic | None = None) -> list[tuple[int, str]]:
    choices = [(topic.id, topic.name) for topic in main_topics if topic is not exclude]
    return [(0, _("– keins (Hauptthema) –")), *choices]


def _parent(parent_id: int) -> Topic | None:
    return get_or_404(Topic, parent_id) if parent_id else None


# Topics ---------------------------------------------------------------------------------------------
@blueprint.route("/redaktion/themen", methods=["GET", "POST"])
@editor_required
def topics() -> Response | tuple[str, int]:
    main_topics = db.session.scalars(taxonomy.main_topics()).all()
    form = TopicForm()
    form.parent_id.choices = _parent_choices(main_topics)
    if request.method == "GET" and (parent_id := request.args.get("oberthema", type=int)):
        form.parent_id.data = parent_id
    if form.validate_on_submit():
        try:
            topic = taxonomy.save_topic(None, form.name.data, _parent(form.parent_id.data))
            db.session.commit()
            flash(_("Das Thema „%(name)s“ ist angelegt.", name=topic.label), "success")
            return redirect(url_for("catalogue.topics"))
        except ServiceError as error:
            show_refusal(form, error)
            main_topics = db.session.scalars(taxonomy.main_topics()).all()
    counts = taxonomy.material_counts_by_topic()
    return render_template(
        "catalogue/topics.html", form=form, main_topics=main_topics, counts=counts
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/themen/<int:topic_id>", methods=["GET", "POST"])
@editor_required
def topic(topic_id: int) -> Response | tuple[str, int]:
    topic = get_or_404(Topic, topic_id)
    main_topics = db.session.scalars(taxonomy.main_topics()).all()
    form = TopicForm(data={"name": topic.name, "parent_id": topic.parent_id or 0})
    form.parent_id.choices = _parent_choices(main_topics, exclude=topic)
    if form.validate_on_submit():
        try:
            taxonomy.save_topic(topic, form.name.data, _parent(form.parent_id.data))
            db.session.commit()
            flash(_("Das Thema ist gespeichert."), "success")
            return redirect(url_for("catalogue.topic", topic_id=topic.id))
        except ServiceError as error:
            show_refusal(form, error)
            topic = get_or_404(Topic, topic_id)
    return render_template(
        "catalogue/topic.html", topic=topic, form=form, material_count=taxonomy.topic_material_count(topic)
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/themen/<int:topic_id>/loeschen", methods=["POST"])
@editor_required
def topic_delete(topic_id: int) -> Response:
    topic = get_or_404(Topic, topic_id)
    label = topic.label
    try:
        taxonomy.delete_topic(topic)
        db.session.commit()
        flash(_("Das Thema „%(name)s“ ist gelöscht.", name=label), "success")
        return redirect(url_for("catalogue.topics"))
    except ServiceError as error:
        show_refusal(None, error)
        return redirect(url_for("catalogue.topic", topic_id=topic_id))


# Tools ----------------------------------------------------------------------------------------------
@blueprint.route("/redaktion/werkzeuge", methods=["GET", "POST"])
@editor_required
def tools() -> Response | tuple[str, int]:
    form = ToolForm()
    if form.validate_on_submit():
        try:
            tool = taxonomy.save_tool(None, form.name.data, form.description.data)
            db.session.commit()
            flash(_("Das Werkzeug „%(name)s“ ist angelegt.", name=tool.name), "success")
            return redirect(url_for("catalogue.tools"))
        except ServiceError as error:
            show_refusal(form, error)
    rows = db.session.scalars(taxonomy.all_tools()).all()
    counts = taxonomy.material_counts_by_tool()
    return render_template("catalogue/tools.html", form=form, tools=rows, counts=counts), 400 if form.errors else 200


@blueprint.route("/redaktion/werkzeuge/<int:tool_id>", methods=["GET", "POST"])
@editor_required
def tool(tool_id: int) -> Response | tuple[str, int]:
    tool = get_or_404(Tool, tool_id)
    form = ToolForm(obj=tool)
    if form.validate_on_submit():
        try:
            taxonomy.save_tool(tool, form.name.data, form.description.data)
            db.session.commit()
            flash(_("Das Werkzeug ist gespeichert."), "success")
            return redirect(url_for("catalogue.tool", tool_id=tool.id))
        except ServiceError as error:
            show_refusal(form, error)
            tool = get_or_404(Tool, tool_id)
    return render_template(
        "catalogue/tool.html", tool=tool, form=form, material_count=taxonomy.tool_material_count(tool)
    ), 400 if form.errors else 200


@blueprint.route("/redaktion/werkzeuge/<int:tool_id>/loeschen", methods=["POST"])
@editor_required
def tool_delete(tool_id: int) -> Response:
    tool = get_or_404(Tool, tool_id)
    name = tool.name
    try:
        taxonomy.delete_tool(tool)
        db.session.commit()
        flash(_("Das Werkzeug „%(name)s“ ist gelöscht.", name=name), "success")
        return redirect(url_for("catalogue.tools"))
    except ServiceError as error:
        show_refusal(None, error)
        return redirect(url_for("catalogue.tool", tool_id=tool_id))
