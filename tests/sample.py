"""Sample values for URL arguments, by argument name, taken from the ``org`` fixture."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import Flask

from quali_kompass.accounts.services import create_reset_token
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import OrgImport


def sample_url_values(app: Flask, org: SimpleNamespace) -> dict[str, Any]:
    """One existing object for each kind of URL argument; the lead and the head may see ``team_a``."""
    with app.app_context():
        # The token belongs to someone no route in the walk changes, so it stays valid throughout.
        token = create_reset_token(db.session.merge(org.other_employee), None)
        upload = OrgImport(
            created_at=utcnow(),
            filename="personal.csv",
            content="Personalnummer;Name;E-Mail;Fachbereich;Team;Führungskraft E-Mail;Aktiv\n".encode(),
        )
        db.session.add(upload)
        db.session.commit()
        return {
            "department_id": org.dept_a.id,
            "team_id": org.team_a.id,
            "person_id": org.employee.id,
            "token": token,
            "import_id": upload.id,
            "filename": "css/app.css",
        }


def role_person(org: SimpleNamespace, role: str):
    return {
        "employee": org.employee,
        "lead": org.lead,
        "department_head": org.head,
        "editor": org.editor,
        "admin": org.admin,
        "auditor": org.auditor,
    }[role]
