"""Click-through guides (Klickstrecken): adding, changing, reordering and removing steps. Services flush and audit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from quali_kompass.audit.services import record
from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import GuideStep, Material
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
MAX_STEPS = 100
INSTRUCTION_MAX = 5000
ALT_TEXT_MAX = 500


@dataclass(frozen=True)
class Highlight:
    """The rectangle drawn over a screenshot, in per mille of its width and height."""

    left: int
    top: int
    width: int
    height: int

    @classmethod
    def from_percent(cls, left: float | None, top: float | None, width: float | None, height: float | None):
        """The rectangle from the editor's percentages; None if no field is filled in, ServiceError if only some."""
        values = (left, top, width, height)
        if all(value is None for value in values):
            return None
        if any(value is None for value in values):
            raise ServiceError(
                _("Für die Markierung brauchen Sie alle vier Angaben: links, oben, Breite und Höhe."), "highlight_left"
            )
        left, top, width, height = (round(float(value) * 10) for value in values)
        if min(left, top) < 0 or min(width, height) <= 0 or left + width > 1000 or top + height > 1000:
            raise ServiceError(
                _("Die Markierung muss ganz im Bildschirmfoto liegen: links + Breite und oben + Höhe höchstens 100 %."),
                "highlight_left",
            )
        return cls(left, top, width, height)


def _check_editor(material: Material, editor: Person) -> None:
    if not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if material.kind != "guide":
        raise ServiceError(_("Schritte gibt es nur bei Klickstrecken."))


def _clean_texts(instruction: str, alt_text: str) -> tuple[str, str]:
    instruction = (instruction or "").replace("\r\n", "\n").strip()
    alt_text = " ".join((alt_text or "").split())
    if not instruction:
        raise ServiceError(_("Bitte beschreiben Sie, was in diesem Schritt zu tun ist."), "instruction")
    if len(instruction) > INSTRUCTION_MAX:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=INSTRUCTION_MAX), "instruction")
    if len(alt_text) > ALT_TEXT_MAX:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=ALT_TEXT_MAX), "alt_text")
    return instruction, alt_text


def _store_image(upload: FileStorage, editor: Person):
    max_bytes = int(current_app.config["QK_MAX_REQUEST_MB"]) * 1024 * 1024
    return files.store(upload, IMAGE_TYPES, max_bytes, editor)


def _set_highlight(step: GuideStep, highlight: Highlight | None) -> None:
    step.highlight_left = highlight.left if highlight else None
    step.highlight_top = highlight.top if highlight else None
    step.highlight_width = highlight.width if highlight else None
    step.highlight_height = highlight.height if highlight else None


def add_step(
    material: Material,
    editor: Person,
    instruction: str,
    alt_text: str,
    upload: FileStorage | None,
    highlight: Highlight | None = None,
) -> GuideStep:
    """Append a step with its screenshot; the screenshot is required, the alt text only for publishing."""
    _check_editor(material, editor)
    instruction, alt_text = _clean_texts(instruction, alt_text)
    if len(material.steps) >= MAX_STEPS:
        raise ServiceError(_("Eine Klickstrecke hat höchstens %(count)d Schritte.", count=MAX_STEPS))
    if upload is None or not upload.filename:
        raise ServiceError(_("Bitte wählen Sie ein Bildschirmfoto aus (PNG, JPEG oder WebP)."), "image")
    image = _store_image(upload, editor)
    step = GuideStep(position=len(material.steps) + 1, instruction=instruction, alt_text=alt_text, image_file=image)
    _set_highlight(step, highlight)
    material.steps.append(step)
    db.session.flush()
    record(
        "guide_step_added",
        material,
        label=material.title,
        step=step.position,
        file=image.display_name,
        sha256=image.sha256,
    )
    return step


def update_step(
    step: GuideStep,
    editor: Person,
    instruction: str,
    alt_text: str,
    upload: FileStorage | None,
    highlight: Highlight | None,
) -> bool:
    """Change a step's texts, highlight and (if a new file is given) its screenshot; True if anything changed."""
    material = step.material
    _check_editor(material, editor)
    instruction, alt_text = _clean_texts(instruction, alt_text)
    changes: dict[str, object] = {}
    if instruction != step.instruction:
        changes["instruction"] = ("…", "…")
        step.instruction = instruction
    if alt_text != step.alt_text:
        changes["alt_text"] = (step.alt_text, alt_text)
        step.alt_text = alt_text
    old_highlight = step.highlight
    _set_highlight(step, highlight)
    if step.highlight != old_highlight:
        changes["highlight"] = (old_highlight, step.highlight)
    old_image = step.image_file
    if upload is not None and upload.filename:
        step.image_file = _store_image(upload, editor)
        changes["file"] = (old_image.display_name if old_image else None, step.image_file.display_name)
    if not changes:
        return False
    db.session.flush()
    if "file" in changes and old_image is not None:
        files.discard(old_image)
        db.session.flush()
    record("guide_step_changed", material, label=material.title, step=step.position, **changes)
    return True


def move_step(step: GuideStep, editor: Person, offset: int) -> bool:
    """Move a step one place up (-1) or down (+1); False at either end."""
    material = step.material
    _check_editor(material, editor)
    steps = list(material.steps)
    index = steps.index(step)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(steps):
        return False
    steps[index], steps[target] = steps[target], steps[index]
    _renumber(steps)
    db.session.flush()
    record("guide_step_moved", material, label=material.title, step=(index + 1, target + 1))
    return True


def remove_step(step: GuideStep, editor: Person) -> None:
    """Delete a step and its screenshot; the steps after it move up."""
    material = step.material
    _check_editor(material, editor)
    position, image = step.position, step.image_file
    steps = [other for other in material.steps if other is not step]
    material.steps.remove(step)
    _renumber(steps)
    db.session.flush()
    if image is not None:
        files.discard(image)
        db.session.flush()
    record("guide_step_removed", material, label=material.title, step=position)


def _renumber(steps: list[GuideStep]) -> None:
    for number, step in enumerate(steps, start=1):
        step.position = number


def publishing_problems(material: Material) -> list[str]:
    """What a guide lacks before it can be published."""
    if not material.steps:
        return [_("Die Klickstrecke hat noch keinen Schritt.")]
    problems = []
    if without_image := [str(step.position) for step in material.steps if step.image_file_id is None]:
        problems.append(_("Bildschirmfoto fehlt bei Schritt %(steps)s.", steps=", ".join(without_image)))
    if without_alt := [str(step.position) for step in material.steps if not step.alt_text]:
        problems.append(
            _(
                "Alternativtext fehlt bei Schritt %(steps)s – er beschreibt das Bildschirmfoto für alle, "
                "die es nicht sehen können.",
                steps=", ".join(without_alt),
            )
        )
    return problems
