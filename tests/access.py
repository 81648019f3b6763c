"""Who may use which route: the expected-access table for every endpoint of the app.

A route missing here fails the suite, so that each new page comes with a decision about access.
"""

from __future__ import annotations

ROLES = ("anonymous", "employee", "lead", "department_head", "editor", "admin", "auditor")
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)
ADMIN = frozenset({"admin"})
LEADS = frozenset({"lead", "department_head"})
EDITORS = frozenset({"editor"})

EXPECTED_ACCESS: dict[str, frozenset[str]] = {
    "static": PUBLIC,
    "frame.healthz": PUBLIC,
    "frame.set_language": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "frame.home": LOGGED_IN,
    "accounts.logout": LOGGED_IN,
    "accounts.account": LOGGED_IN,
    "accounts.change_password": LOGGED_IN,
    "notifications.index": LOGGED_IN,
    "notifications.mark_all_read": LOGGED_IN,
    "notifications.mark_one_read": LOGGED_IN,
    # News: the sample item is for all departments and published; editors of all departments edit it.
    "news.index": LOGGED_IN,
    "news.item": LOGGED_IN,
    "news.editor_list": EDITORS,
    "news.editor_new": EDITORS,
    "news.editor_edit": EDITORS,
    "news.editor_delete": EDITORS,  # a bare POST (without the confirmation) deletes nothing
    "organisation.my_teams": LEADS,
    "organisation.my_team": LEADS,
    "review.person": LEADS | ADMIN,  # the sample employee, of team A
    "review.remind_person": LEADS | ADMIN,
    "review.remind_team": LEADS,
    "organisation.admin_overview": ADMIN,
    "organisation.admin_departments": ADMIN,
    "organisation.admin_department": ADMIN,
    "organisation.admin_department_delete": ADMIN,
    "organisation.admin_department_head_add": ADMIN,
    "organisation.admin_department_head_remove": ADMIN,
    "organisation.admin_teams": ADMIN,
    "organisation.admin_team": ADMIN,
    "organisation.admin_team_delete": ADMIN,
    "organisation.admin_team_lead_add": ADMIN,
    "organisation.admin_team_lead_remove": ADMIN,
    "organisation.admin_people": ADMIN,
    "organisation.admin_person_new": ADMIN,
    "organisation.admin_person": ADMIN,
    "organisation.admin_person_roles": ADMIN,
    "organisation.admin_person_move": ADMIN,
    "organisation.admin_person_reset_link": ADMIN,
    "organisation.admin_import": ADMIN,
    "organisation.admin_import_preview": ADMIN,
    "organisation.admin_import_apply": ADMIN,
    "organisation.admin_import_discard": ADMIN,
    "audit.log": frozenset({"admin", "auditor"}),
    "privacy.access_log": frozenset({"admin", "auditor"}),
    "privacy.transparency": LOGGED_IN,
    "privacy.my_data": LOGGED_IN,
    "catalogue.browse": LOGGED_IN,
    "catalogue.material": LOGGED_IN,
    "catalogue.material_print": LOGGED_IN,
    # Feedback: everyone rates; editors read it without names; leads never (not even when editors too).
    "feedback.give": LOGGED_IN,
    "feedback.overview": EDITORS,
    "feedback.material": EDITORS,
    "feedback.reply": EDITORS,
    "catalogue.editor_materials": EDITORS,
    "catalogue.editor_material_new": EDITORS,
    "catalogue.editor_material": EDITORS,
    "catalogue.editor_material_publish": EDITORS,
    "catalogue.editor_material_archive": EDITORS,
    "catalogue.editor_video_upload": EDITORS,
    "catalogue.editor_video_transcript": EDITORS,
    "catalogue.material_file": LOGGED_IN,
    "catalogue.material_pdf": LOGGED_IN,
    "catalogue.editor_guide_step_add": EDITORS,
    "catalogue.editor_guide_step": EDITORS,
    "catalogue.editor_guide_step_move": EDITORS,
    "catalogue.editor_guide_step_remove": EDITORS,
    "catalogue.editor_session_date_add": EDITORS,
    "catalogue.editor_session_date": EDITORS,
    "catalogue.editor_session_date_cancel": EDITORS,
    "catalogue.session_register": LOGGED_IN,
    "catalogue.session_unregister": LOGGED_IN,
    "catalogue.topics": EDITORS,
    "catalogue.topic": EDITORS,
    "catalogue.topic_delete": EDITORS,
    "catalogue.tools": EDITORS,
    "catalogue.tool": EDITORS,
    "catalogue.tool_delete": EDITORS,
    # The person page for the sample employee (team A) and the attendance page of the sample date (no trainer).
    "curricula.completion_mark": LOGGED_IN,
    "curricula.completion_undo": LOGGED_IN,
    "curricula.completion_person": LEADS | ADMIN,
    "curricula.completion_reset": LEADS | ADMIN,
    "curricula.attendance": LEADS | ADMIN,
    "curricula.plan_page": LOGGED_IN,
    "curricula.plan_withdraw": frozenset({"employee"}),  # only the person who proposed (the sample's employee)
    "curricula.proposals": LEADS,
    "curricula.proposal_approve": LEADS,
    "curricula.proposal_decline": LEADS,
    "curricula.record": LOGGED_IN,
    "curricula.record_download": LOGGED_IN,
    "curricula.calendar_file": LOGGED_IN,
    # The sample requirement belongs to department A: the lead of team A reads it, its head and the admin manage it.
    "curricula.requirement_list": LEADS | ADMIN,
    "curricula.requirement_new": LEADS | ADMIN,
    "curricula.requirement": LEADS | ADMIN,
    "curricula.requirement_change_rule": frozenset({"department_head", "admin"}),
    "curricula.requirement_end": frozenset({"department_head", "admin"}),
    # Team A's exports and print view: those who may review team A.
    "review.team_export_csv": LEADS,
    "review.team_export_xlsx": LEADS,
    "review.team_print": LEADS,
    # Department A's overview: its head and the admins; the lead of team A is no head.
    "review.department": frozenset({"department_head", "admin"}),
    # Statistics: aggregates for everyone; per team and the CSV export only for admins.
    "statistics.overview": LOGGED_IN,
    "statistics.export_csv": ADMIN,
    # Needs surveys: editors and admins manage them; the sample survey is open to department A's members only.
    "surveys.overview": EDITORS | ADMIN,
    "surveys.new": EDITORS | ADMIN,
    "surveys.survey": EDITORS | ADMIN,
    "surveys.send": EDITORS | ADMIN,  # refused (already sent): back to the survey page
    "surveys.close": EDITORS | ADMIN,
    "surveys.answer": frozenset({"employee", "lead", "department_head"}),
    # Qualification needs: everyone states their own; editors answer them (the sample need is of department A).
    "needs.my_needs": LOGGED_IN,
    "needs.new_need": LOGGED_IN,  # a bare POST states nothing: 400
    "needs.matches": LOGGED_IN,
    "needs.overview": EDITORS,
    "needs.need": EDITORS,  # a bare POST answers nothing: 400
    "needs.unmet": EDITORS,
}

# Routes that are not pages: excluded from the browser walk.
NOT_PAGES = frozenset(
    {
        "static",
        "frame.healthz",
        "catalogue.material_file",
        "catalogue.material_pdf",
        "curricula.record_download",
        "curricula.calendar_file",
        "privacy.my_data",
        "review.team_export_csv",
        "review.team_export_xlsx",
        "statistics.export_csv",
        "needs.matches",  # JSON for the needs form
    }
)
