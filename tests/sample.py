"""Sample values for URL arguments, by argument name, taken from the ``org`` fixture."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from flask import Flask
from werkzeug.datastructures import FileStorage

from quali_kompass.accounts.services import create_reset_token
from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import GuideStep, Material, MaterialVersion, SessionDate, Tool, Topic
from quali_kompass.curricula.models import Completion, PlanItem, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.feedback.models import MaterialFeedback
from quali_kompass.needs.models import Need
from quali_kompass.news.models import NewsItem
from quali_kompass.notifications.models import Notification
from quali_kompass.organisation.models import OrgImport
from quali_kompass.surveys.models import Survey, SurveyItem


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# The smallest valid PNG: one transparent pixel.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


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
        material = Material(
            kind="document",
            title="E-Akte: Posteingang bearbeiten",
            summary="Wie Sie neue Post in der E-Akte sichten, zuordnen und weiterleiten.",
            body="## Schritte\n\n1. Posteingang öffnen\n2. Dokument **zuordnen**\n\n"
            "Mehr dazu im [Intranet](https://intranet.example.org/e-akte).",
            duration_minutes=20,
            status="published",
            published_at=utcnow(),
            all_departments=True,
            contact_name="Ria Redaktion",
            contact_email="ria.redaktion@jobcenter-test.de",
            topic=Topic(name="E-Akte"),
        )
        db.session.add(MaterialVersion(material=material, number=1, change_note="Erste Fassung"))
        # A poster image, kept on disk in the app's upload folder, to serve through the material's file route.
        material.poster_file = files.store(
            FileStorage(io.BytesIO(TINY_PNG), filename="Vorschaubild Übersicht.png"), ["image/png"], 1024 * 1024, None
        )
        start = utcnow() + timedelta(days=14)
        session_date = SessionDate(
            starts_at=start, ends_at=start + timedelta(hours=2), place="Raum 1.12", capacity=12, online_url=""
        )
        session = Material(
            kind="session",
            title="Präsenzschulung E-Akte",
            summary="Die E-Akte in der Gruppe kennenlernen.",
            status="published",
            published_at=utcnow(),
            all_departments=True,
            topic=material.topic,
            session_dates=[session_date],
        )
        db.session.add(MaterialVersion(material=session, number=1, change_note="Erste Fassung"))
        # A main topic with a subtopic: the walk's POST to its delete route is refused, so it stays for later routes.
        # A published click-through guide with one step; the walk's POST may remove the step, the guide stays.
        step = GuideStep(
            position=1,
            instruction="Klicken Sie auf **Posteingang**.",
            alt_text="Startseite der E-Akte mit dem Menü links",
            image_file=files.store(
                FileStorage(io.BytesIO(TINY_PNG), filename="Schritt 1.png"), ["image/png"], 1024 * 1024, None
            ),
            highlight_left=100,
            highlight_top=100,
            highlight_width=200,
            highlight_height=100,
        )
        guide = Material(
            kind="guide",
            title="Klickstrecke: Posteingang öffnen",
            summary="In drei Klicks zum Posteingang der E-Akte.",
            status="published",
            published_at=utcnow(),
            all_departments=True,
            topic=material.topic,
            steps=[step],
        )
        db.session.add(MaterialVersion(material=guide, number=1, change_note="Erste Fassung"))
        topic = Topic(name="Kommunikation", children=[Topic(name="Videoberatung")])
        tool = Tool(name="Videokommunikation (VIKO)", description="Beratung per Video")
        db.session.add_all([topic, tool])
        # A completion of the employee's, recorded by the admin: the walk's reset POST is refused for want of a reason.
        completion = Completion(
            person_id=org.employee.id,
            material=material,
            completed_on=berlin_today() - timedelta(days=3),
            method="recorded",
            note="Schulung beim Träger",
            recorded_by_id=org.admin.id,
        )
        db.session.add(completion)
        # A pending proposal of the employee's (team A): the walk's POSTs withdraw it or decide on it.
        plan_item = PlanItem(person_id=org.employee.id, material=guide, reason="Für die Arbeit im Posteingang")
        db.session.add(plan_item)
        # A requirement of department A (the lead and the head see it, the head and the admin manage it).
        requirement = Requirement(
            material=material,
            scope="department",
            department_id=org.dept_a.id,
            effective_from=berlin_today() - timedelta(days=30),
            rules=[RequirementRule(valid_from=berlin_today() - timedelta(days=30), due_kind="days", due_days=30)],
        )
        db.session.add(requirement)
        # A notification of the employee's: marking it read is open to everyone and changes only one's own.
        notification = Notification(person_id=org.employee.id, kind="assigned", key="sample", params={})
        db.session.add(notification)
        # The employee's rating with a comment of the sample material: editors read and answer it.
        feedback = MaterialFeedback(
            person_id=org.employee.id, material=material, rating=4, comment="Hat mir geholfen, danke."
        )
        db.session.add(feedback)
        # A published news item for everyone, linked to the sample material.
        news = NewsItem(
            title="Neue Anleitung zum Posteingang",
            body="Die Anleitung zur **E-Akte** ist online.",
            all_departments=True,
            publish_at=utcnow() - timedelta(hours=1),
            materials=[material],
        )
        db.session.add(news)
        # An open needs survey of department A: its members answer it, the walk's POSTs may close it.
        survey = Survey(
            title="Bedarf E-Akte und Videoberatung",
            department_id=org.dept_a.id,
            state="open",
            opens_on=berlin_today() - timedelta(days=1),
            closes_on=berlin_today() + timedelta(days=14),
            items=[
                SurveyItem(position=1, label="E-Akte", topic=material.topic),
                SurveyItem(position=2, label=tool.name, tool=tool),
            ],
        )
        db.session.add(survey)
        # An open qualification need of the employee's (department A), with a tool: editors answer it.
        need = Need(
            person_id=org.employee.id,
            department_id=org.dept_a.id,
            tool=tool,
            text="Videoberatung mit Dolmetscher",
            urgency="high",
        )
        db.session.add(need)
        db.session.commit()
        return {
            "department_id": org.dept_a.id,
            "team_id": org.team_a.id,
            "person_id": org.employee.id,
            "token": token,
            "import_id": upload.id,
            "filename": "css/app.css",
            "material_id": material.id,
            "topic_id": topic.id,
            "tool_id": tool.id,
            "date_id": session_date.id,
            "file_id": material.poster_file_id,
            "guide_id": guide.id,
            "step_id": step.id,
            "completion_id": completion.id,
            "plan_item_id": plan_item.id,
            "requirement_id": requirement.id,
            "notification_id": notification.id,
            "feedback_id": feedback.id,
            "news_id": news.id,
            "survey_id": survey.id,
            "need_id": need.id,
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
