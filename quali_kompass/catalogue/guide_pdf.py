"""A click-through guide as a PDF on A4: every step with its instruction, screenshot and highlight."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from flask import make_response
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF, XPos, YPos
from PIL import Image
from werkzeug.wrappers import Response

from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import GuideStep, Material
from quali_kompass.catalogue.rendering import markdown_to_text
from quali_kompass.database import utcnow

MARGIN_MM = 18
IMAGE_MAX_HEIGHT_MM = 95  # two steps fit on one A4 page
HIGHLIGHT_RGB = (176, 0, 32)
TEXT_RGB = (0, 0, 0)
MUTED_RGB = (80, 80, 80)


class GuidePDF(FPDF):
    """A4 portrait with the guide's title and page numbers in the footer."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.guide_title = title
        fonts = resources.files("quali_kompass") / "data" / "fonts"
        self.add_font("Fira Sans", "", str(fonts / "FiraSans-Regular.ttf"))
        self.add_font("Fira Sans", "B", str(fonts / "FiraSans-Bold.ttf"))
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 4)
        self.set_title(title)
        self.set_lang("de")
        self.set_creator("Quali-Kompass")

    def footer(self) -> None:
        self.set_y(-MARGIN_MM + 2)
        self.set_font("Fira Sans", size=8)
        self.set_text_color(*MUTED_RGB)
        page = _("Seite %(page)d von %(pages)s", page=self.page_no(), pages="{nb}")
        self.cell(0, 5, f"Quali-Kompass · {self.guide_title[:80]} · {page}", align="C")


def render(material: Material) -> bytes:
    """The PDF of a guide as bytes."""
    pdf = GuidePDF(material.title)
    pdf.add_page()
    pdf.set_text_color(*TEXT_RGB)
    pdf.set_font("Fira Sans", "B", 20)
    _paragraph(pdf, 9, material.title)
    pdf.ln(2)
    if material.summary:
        pdf.set_font("Fira Sans", size=11)
        _paragraph(pdf, 5.5, material.summary)
        pdf.ln(2)
    pdf.set_font("Fira Sans", size=9)
    pdf.set_text_color(*MUTED_RGB)
    version = material.current_version
    facts = [_("Klickstrecke mit %(count)d Schritten", count=len(material.steps))]
    if version is not None:
        facts.append(_("Version %(number)d", number=version.number))
    facts.append(_("Erstellt am %(date)s", date=format_date(utcnow(), "medium")))
    _paragraph(pdf, 5, " · ".join(facts))
    pdf.set_text_color(*TEXT_RGB)
    for step in material.steps:
        _render_step(pdf, step, len(material.steps))
    return bytes(pdf.output())


def _paragraph(pdf: GuidePDF, line_height: float, text: str) -> None:
    pdf.multi_cell(0, line_height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _render_step(pdf: GuidePDF, step: GuideStep, count: int) -> None:
    width = pdf.epw
    image_path = files.path_of(step.image_file) if step.image_file is not None else None
    image_size = _image_size(image_path, width) if image_path and image_path.is_file() else None
    instruction = markdown_to_text(step.instruction)
    # Keep a step together: start a new page unless heading, some text and the screenshot fit.
    needed = 12 + 6 * min(instruction.count("\n") + 2, 6) + (image_size[1] if image_size else 0)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin and pdf.get_y() > pdf.t_margin + 20:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("Fira Sans", "B", 14)
    _paragraph(pdf, 7, _("Schritt %(number)d von %(count)d", number=step.position, count=count))
    pdf.set_font("Fira Sans", size=11)
    _paragraph(pdf, 5.5, instruction)
    pdf.ln(2)
    if image_size is None:
        pdf.set_text_color(*MUTED_RGB)
        _paragraph(pdf, 5, step.alt_text or _("Für diesen Schritt fehlt das Bildschirmfoto."))
        pdf.set_text_color(*TEXT_RGB)
        return
    image_width, image_height = image_size
    if pdf.get_y() + image_height > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.image(str(image_path), x=x, y=y, w=image_width, h=image_height, alt_text=step.alt_text or None)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, image_width, image_height)
    if step.highlight:
        left, top, box_width, box_height = step.highlight
        pdf.set_draw_color(*HIGHLIGHT_RGB)
        pdf.set_line_width(0.8)
        pdf.rect(
            x + image_width * left / 1000,
            y + image_height * top / 1000,
            image_width * box_width / 1000,
            image_height * box_height / 1000,
        )
    pdf.set_y(y + image_height + 2)


def _image_size(path: Path, max_width: float) -> tuple[float, float] | None:
    """Width and height in mm that fit the column and the height limit, keeping the proportions."""
    try:
        with Image.open(path) as image:
            pixel_width, pixel_height = image.size
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    # Files stored before uploads were checked may still be too large to decode: shown as missing instead.
    if pixel_width <= 0 or pixel_height <= 0 or pixel_width * pixel_height > files.MAX_IMAGE_PIXELS:
        return None
    width = max_width
    height = width * pixel_height / pixel_width
    if height > IMAGE_MAX_HEIGHT_MM:
        height = IMAGE_MAX_HEIGHT_MM
        width = height * pixel_width / pixel_height
    return width, height


def download(material: Material) -> Response:
    """The PDF as a download named after the guide."""
    response = make_response(render(material))
    response.headers["Content-Type"] = "application/pdf"
    name = re.sub(r"[^\w\- ]+", "", material.title).strip().replace(" ", "-")[:80] or "Klickstrecke"
    response.headers["Content-Disposition"] = f'attachment; filename="{_ascii(name)}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


def _ascii(name: str) -> str:
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        name = name.replace(umlaut, spelled)
    return name.encode("ascii", "ignore").decode() or "Klickstrecke"
