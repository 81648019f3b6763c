"""The Qualifizierungsplan: each person's proposals, and the lead's decisions on those of their teams."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue import picker
from quali_kompass.catalogue.picker import MaterialPicker
from quali_kompass.curricula import blueprint, plan
from quali_kompass.curricula.models import PlanItem
from quali_kompass.curricula.plan_forms import ApproveForm, DeclineForm, ProposalForm
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.notifications.services import send_now
from quali_kompass.web import get_or_404, show_refusal

lead_required = permission_required(lambda person: person.is_lead)

PLAN_STATE_LABELS = {
    "proposed": _l("Wartet auf Entscheidung"),
    "approved": _l("Vereinbart"),
    "declined": _l("Abgelehnt"),
    "withdrawn": _l("Zurückgezogen"),
}
# Badge variant and icon per state: the state is told by text and icon, never by colour alone.
PLAN_STATE_BADGES = {
    "proposed": ("info", "info"),
    "approved": ("success", "success"),
    "declined": ("danger", "close"),
    "withdrawn": ("info", "arrow-back"),
}


blueprint.add_app_template_global(PLAN_STATE_LABELS, "plan_state_labels")
blueprint.add_app_template_global(PLAN_STATE_BADGES, "plan_state_badges")


@blueprint.app_template_global()
def pending_proposal_count() -> int:
    """How many proposals wait for the current lead's decision (one statement)."""
    return db.session.scalar(plan.pending_count(current_user.reviewable_team_ids, current_user.id)) or 0


def _proposal_form() -> tuple[ProposalForm, MaterialPicker]:
    form = ProposalForm()
    materials = picker.offer(form.material_id, (0, _("– kein Angebot, eigener Wunsch –")))
    return form, materials


@blueprint.route("/kompass/plan", methods=["GET", "POST"])
@login_required
def plan_page() -> Response | tuple[str, int]:
    form, materials = _proposal_form()
    deciders = plan.leads_of(current_user)
    if request.method == "POST":
        if not deciders:
            flash(_("Ihr Team hat keine Führungskraft hinterlegt. Sie können daher nichts vorschlagen."), "error")
            return redirect(url_for("curricula.plan_page"))
        if not picker.searching() and form.validate_on_submit():
            try:
                item = plan.propose(current_user, form.material_id.data or None, form.wish.data, form.reason.data)
                db.session.commit()
                flash(
                    _("Ihr Vorschlag „%(title)s“ ist an Ihre Führungskraft gegangen.", title=plan.item_title(item)),
                    "success",
                )
                return redirect(url_for("curricula.plan_page"))
            except ServiceError as error:
                show_refusal(form, error)
    items = db.session.scalars(plan.person_plan(current_user.id)).all()
    return render_template(
        "curricula/plan.html", form=form, materials=materials, plan_items=items, deciders=deciders
    ), 400 if form.errors else 200


@blueprint.route("/kompass/plan/<int:plan_item_id>/zurueckziehen", methods=["POST"])
@login_required
def plan_withdraw(plan_item_id: int) -> Response:
    item = get_or_404(PlanItem, plan_item_id)
    if item.person_id != current_user.id:
        abort(403)
    try:
        plan.withdraw(item, current_user)
        db.session.commit()
        flash(_("Sie haben den Vorschlag „%(title)s“ zurückgezogen.", title=plan.item_title(item)), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return redirect(url_for("curricula.plan_page"))


def _decision_forms(items: list[PlanItem]) -> dict[int, tuple[ApproveForm, DeclineForm]]:
    """Empty forms per item; the prefix keeps the field ids of the items apart."""
    return {
        item.id: (
            ApproveForm(formdata=None, prefix=f"zustimmen-{item.id}"),
            DeclineForm(formdata=None, prefix=f"ablehnen-{item.id}"),
        )
        for item in items
    }


def _render_proposals(failed: tuple[int, ApproveForm | DeclineForm] | None = None) -> tuple[str, int]:
    items = db.session.scalars(plan.pending_for_teams(current_user.reviewable_team_ids, current_user.id)).all()
    forms = _decision_forms(items)
    if failed is not None and failed[0] in forms:
        item_id, form = failed
        approve_form, decline_form = forms[item_id]
        forms[item_id] = (form, decline_form) if isinstance(form, ApproveForm) else (approve_form, form)
    return render_template(
        "curricula/plan_proposals.html", proposals=items, forms=forms, today=berlin_today()
    ), 400 if failed else 200


@blueprint.route("/team/vorschlaege")
@lead_required
def proposals() -> tuple[str, int]:
    return _render_proposals()


def _decidable_or_403(plan_item_id: int) -> PlanItem:
    item = get_or_404(PlanItem, plan_item_id)
    if not plan.can_decide(current_user, item):
        abort(403)
    return item


@blueprint.route("/team/vorschlaege/<int:plan_item_id>/zustimmen", methods=["POST"])
@lead_required
def proposal_approve(plan_item_id: int) -> Response | tuple[str, int]:
    item = _decidable_or_403(plan_item_id)
    form = ApproveForm(prefix=f"zustimmen-{item.id}")
    if form.validate_on_submit():
        try:
            plan.approve(item, current_user, form.target_date.data, form.note.data)
            db.session.commit()
            send_now(item.person_id, plan.decision_key(item))
            flash(
                _("Sie haben „%(title)s“ für %(name)s zugestimmt.", title=plan.item_title(item), name=item.person.name),
                "success",
            )
            return redirect(url_for("curricula.proposals"))
        except ServiceError as error:
            show_refusal(form, error)
            if not any(field.errors for field in form):  # decided meanwhile: nothing to correct in the form
                return redirect(url_for("curricula.proposals"))
    return _render_proposals((item.id, form))


@blueprint.route("/team/vorschlaege/<int:plan_item_id>/ablehnen", methods=["POST"])
@lead_required
def proposal_decline(plan_item_id: int) -> Response | tuple[str, int]:
    item = _decidable_or_403(plan_item_id)
    form = DeclineForm(prefix=f"ablehnen-{item.id}")
    if form.validate_on_submit():
        try:
            plan.decline(item, current_user, form.note.data)
            db.session.commit()
            send_now(item.person_id, plan.decision_key(item))
            flash(
                _("Sie haben „%(title)s“ für %(name)s abgelehnt.", title=plan.item_title(item), name=item.person.name),
                "success",
            )
            return redirect(url_for("curricula.proposals"))
        except ServiceError as error:
            show_refusal(form, error)
            if not any(field.errors for field in form):
                return redirect(url_for("curricula.proposals"))
    return _render_proposals((item.id, form))
