"""Make the demo screenshots, videos, captions and transcripts: ``python -m quali_kompass.demo_media.generate``.

The screens are HTML mock-ups (``mockups``) rendered in Chromium. Every click-through guide step is a screenshot
with the rectangle of the element it points at, measured in the page and stored in per mille. The videos are a
canvas animation over the same screenshots (a pointer, a highlight and a callout per step), recorded in the browser
with MediaRecorder; their captions and transcripts come from the same scene list, so they match the picture.
The output is committed; run this again only when the mock-ups or texts change.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import textwrap
from pathlib import Path
from typing import Any

from quali_kompass.demo_media import MANIFEST, MEDIA_DIR, mockups

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTH, HEIGHT = mockups.WIDTH, mockups.HEIGHT
WEBP_QUALITY = 0.8
HIGHLIGHT_PADDING = 6  # pixels around the element, so that the frame does not cover its edge
VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_FPS, VIDEO_BITRATE = 1280, 800, 25, 450_000
OUTPUT_PATTERNS = ("*.webp", "*.webm", "*.vtt", "*.txt")
CAPTION_LINE = 42  # characters per caption line, as subtitle guidelines recommend


def screens() -> dict[str, str]:
    """Every screen by name; a screen marks at most one element (``data-hl``) for the highlight."""
    m = mockups
    return {
        "ea_tree": m.e_akte_inbox(highlight="tree"),
        "ea_row": m.e_akte_inbox(selected=0, highlight="row"),
        "ea_assign": m.e_akte_inbox(selected=0, highlight="assign"),
        "ea_bg": m.e_akte_inbox(selected=0, dialog="found", highlight="bg"),
        "ea_confirm": m.e_akte_inbox(selected=0, dialog="ready", highlight="confirm"),
        "ea_done": m.e_akte_inbox(selected=0, assigned=True),
        "es_typed": m.e_akte_search("typed", highlight="search"),
        "es_filter": m.e_akte_search("filter", highlight="options"),
        "es_hit": m.e_akte_search("results", highlight="hit"),
        "es_star": m.e_akte_viewer(highlight="bookmark"),
        "vb_number": m.verbis_customer_search(highlight="number"),
        "vb_tab": m.verbis_overview(highlight="tab"),
        "vb_criteria": m.verbis_job_search("criteria", highlight="criteria"),
        "vb_start": m.verbis_job_search("criteria", highlight="start"),
        "vb_propose": m.verbis_job_search("results", highlight="propose"),
        "al_open": m.allegro_start(highlight="bg"),
        "al_nav": m.allegro_case("master", highlight="nav"),
        "al_wba": m.allegro_case("approvals", highlight="wba"),
        "al_period": m.allegro_case("new", highlight="period"),
        "al_result": m.allegro_case("calculated", highlight="result"),
        "jd_nav": m.portal_inbox("list", highlight="nav"),
        "jd_msg": m.portal_inbox("open", highlight="msg"),
        "jd_file": m.portal_inbox("open", highlight="file"),
        "jd_send": m.portal_inbox("reply", highlight="send"),
        "vk_room": m.video_room("today", highlight="room"),
        "vk_devices": m.video_room("waiting", highlight="devices"),
        "vk_admit": m.video_room("waiting", highlight="admit"),
        "vk_end": m.video_room("call", highlight="end"),
        "vk_call": m.video_room("call"),
        "ol_new": m.mail_client("inbox", highlight="new"),
        "ol_tab": m.mail_client("compose", highlight="tab"),
        "ol_option": m.mail_client("menu", highlight="option"),
        "ol_send": m.mail_client("encrypted", highlight="send"),
    }


# Click-through guides: key -> steps as (screen, instruction, alt text).
GUIDES: dict[str, list[tuple[str, str, str]]] = {
    "e-akte-zuordnen": [
        (
            "ea_tree",
            "Öffnen Sie die E-Akte und klicken Sie links unter „Leistung Team 1“ auf „Team-Posteingang“. Die Zahl "
            "daneben zeigt, wie viele Dokumente noch nicht bearbeitet sind.",
            "Die E-Akte mit dem Team-Posteingang von Leistung Team 1. Links der Navigationsbereich, darin ist der "
            "Eintrag „Team-Posteingang“ mit der Zahl 27 markiert. In der Mitte eine Liste eingescannter Dokumente "
            "mit Eingang, Dokumentart, Absender, BG-Nummer und Status.",
        ),
        (
            "ea_row",
            "Wählen Sie das Dokument mit dem Status „Klärung“ aus. Hier hat die Scanstelle die BG-Nummer nicht "
            "erkannt. Rechts in der Vorschau sehen Sie die Nummer, die auf dem Antrag steht.",
            "Die erste Zeile der Liste ist ausgewählt: Weiterbewilligungsantrag von Erika Mustermann, BG-Nummer "
            "„nicht erkannt“, Status „Klärung“. Rechts die Vorschau des Antrags mit der handschriftlichen "
            "BG-Nummer 12345BG0001234.",
        ),
        (
            "ea_assign",
            "Klicken Sie oben in der Symbolleiste auf „Zuordnen“.",
            "Die Symbolleiste der E-Akte mit den Schaltflächen Öffnen, Zuordnen, Weiterleiten, Wiedervorlage und "
            "Drucken. „Zuordnen“ ist markiert; in der Liste ist weiterhin der Weiterbewilligungsantrag ausgewählt.",
        ),
        (
            "ea_bg",
            "Tippen Sie die BG-Nummer vom Dokument ein, hier 12345BG0001234. Prüfen Sie, ob die angezeigten "
            "Personen zum Antrag passen.",
            "Das Fenster „Dokument zuordnen“. Im markierten Feld BG-Nummer steht 12345BG0001234. Darunter ein grüner "
            "Hinweis „Bedarfsgemeinschaft gefunden“ mit vier Personen: Erika, Max, Lina und Tom Mustermann.",
        ),
        (
            "ea_confirm",
            "Wählen Sie die Dokumentart „Weiterbewilligungsantrag (WBA)“ und bestätigen Sie mit „Zuordnen“. Die "
            "E-Akte legt für die zuständige Sachbearbeitung automatisch eine Wiedervorlage an.",
            "Das Fenster „Dokument zuordnen“ ist vollständig ausgefüllt: Dokumentart Weiterbewilligungsantrag (WBA), "
            "Eingangsdatum 23.11.2026, Wiedervorlage angehakt. Die Schaltfläche „Zuordnen“ unten rechts ist markiert.",
        ),
    ],
    "e-akte-suche": [
        (
            "es_typed",
            "Klicken Sie oben rechts in das Suchfeld, geben Sie die BG-Nummer ein und drücken Sie die Eingabetaste. "
            "Sie können auch nach einem Namen oder Aktenzeichen suchen.",
            "Die E-Akte in der Ansicht „Suche“. Im markierten Suchfeld oben rechts steht 12345BG0001234. Darunter "
            "11 Treffer aus Posteingang, Leistungsakte und Vermittlungsakte.",
        ),
        (
            "es_filter",
            "Grenzen Sie die Treffer mit dem Filter „Dokumentart“ ein: Setzen Sie zum Beispiel einen Haken bei "
            "„Lohnabrechnung“ und klicken Sie auf „Anwenden“.",
            "Die geöffnete Auswahlliste des Filters Dokumentart mit Kontrollkästchen. „Lohnabrechnung (5)“ ist "
            "angehakt; unten die Schaltflächen „Zurücksetzen“ und „Anwenden“.",
        ),
        (
            "es_hit",
            "Jetzt sehen Sie nur noch die fünf Lohnabrechnungen. Öffnen Sie die neueste mit einem Doppelklick.",
            "Die gefilterte Trefferliste mit fünf Lohnabrechnungen von Max Mustermann. Die oberste vom 23.11.2026 "
            "ist markiert.",
        ),
        (
            "es_star",
            "Das Dokument öffnet sich in der Ansicht. Mit „Lesezeichen“ merken Sie es sich; Sie finden es dann links "
            "unter „Lesezeichen“ wieder.",
            "Die Dokumentansicht der Lohnabrechnung Oktober 2026 mit Brutto- und Nettobeträgen, rechts die "
            "Dokumentdaten. Oben ist die Schaltfläche „Lesezeichen“ markiert.",
        ),
    ],
    "verbis-stellensuche": [
        (
            "vb_number",
            "Öffnen Sie in VerBIS den Bereich „Kunden“. Geben Sie die Kundennummer ein und klicken Sie auf „Suchen“.",
            "Die VerBIS-Suchmaske „Kundin oder Kunden suchen“. Im markierten Feld Kundennummer steht 123D456789. "
            "Rechts eine Liste der zuletzt aufgerufenen Kundinnen und Kunden.",
        ),
        (
            "vb_tab",
            "Die Übersicht von Erika Mustermann öffnet sich. Wechseln Sie zum Reiter „Stellensuche“.",
            "Die Kundenübersicht von Erika Mustermann mit Kundennummer, BG-Nummer, Status und vermittlungsrelevanten "
            "Daten wie Zielberuf und Arbeitszeit. Der Reiter „Stellensuche“ ist markiert.",
        ),
        (
            "vb_criteria",
            "VerBIS übernimmt die Suchkriterien aus dem Bewerberprofil. Prüfen Sie Beruf, Umkreis und Arbeitszeit "
            "gemeinsam mit der Kundin und passen Sie sie bei Bedarf an.",
            "Der Reiter Stellensuche. Links der markierte Bereich Suchkriterien: Beruf Kauffrau für Büromanagement, "
            "Arbeitsort Musterstadt, Umkreis 25 km, Teilzeit. Rechts noch keine Ergebnisse.",
        ),
        (
            "vb_start",
            "Klicken Sie auf „Suche starten“.",
            "Die Suchkriterien der Stellensuche; die Schaltfläche „Suche starten“ unten rechts ist markiert.",
        ),
        (
            "vb_propose",
            "Wählen Sie passende Stellen aus und klicken Sie auf „Vermittlungsvorschlag erstellen“. Besprechen Sie "
            "die Vorschläge mit der Kundin, bevor Sie sie versenden.",
            "Die Ergebnisliste mit sechs Stellen und ihrer Übereinstimmung in Prozent. Die ersten zwei Stellen sind "
            "angehakt, die Schaltfläche „Vermittlungsvorschlag erstellen“ ist markiert.",
        ),
    ],
    "allegro-weiterbewilligung": [
        (
            "al_open",
            "Geben Sie auf der Startseite von ALLEGRO die BG-Nummer ein und klicken Sie auf „Öffnen“.",
            "Die ALLEGRO-Startseite. Das markierte Feld BG-Nummer enthält 12345BG0001234. Darunter der "
            "Arbeitsvorrat mit fälligen Vorgängen, oben der Vorgang Weiterbewilligung für Erika Mustermann.",
        ),
        (
            "al_nav",
            "Die Leistungsakte öffnet sich mit den Stammdaten. Klicken Sie links auf „Bewilligung“.",
            "Die Leistungsakte von Erika Mustermann mit Stammdaten und den vier Personen der Bedarfsgemeinschaft. "
            "Links in der Navigation ist „Bewilligung“ markiert.",
        ),
        (
            "al_wba",
            "Sie sehen die bisherigen Bewilligungszeiträume; der aktuelle endet am 30.11.2026. Klicken Sie auf "
            "„Weiterbewilligung anlegen“.",
            "Die Tabelle der Bewilligungszeiträume, der aktuelle reicht vom 01.12.2025 bis 30.11.2026. Darunter die "
            "markierte Schaltfläche „Weiterbewilligung anlegen“ und ein gelber Hinweis auf den Antrag in der E-Akte.",
        ),
        (
            "al_period",
            "ALLEGRO schlägt den neuen Zeitraum vor und übernimmt die Daten des bisherigen. Prüfen Sie Beginn, Ende "
            "und Antragsdatum und tragen Sie Änderungen aus dem Antrag ein.",
            "Der markierte Bereich „Neuer Bewilligungszeitraum“: Beginn 01.12.2026, Ende 30.11.2027, Antragsdatum "
            "23.11.2026, Dauer 12 Monate, Änderungen laut Antrag: keine.",
        ),
        (
            "al_result",
            "Klicken Sie auf „Berechnen“ und prüfen Sie das Ergebnis. Erstellen Sie den Bescheid erst, wenn die "
            "Berechnung ohne Fehler ist.",
            "Das markierte Berechnungsergebnis für Dezember 2026 je Person mit Regelbedarf, Kosten der Unterkunft, "
            "anrechenbarem Einkommen und Anspruch; Summe 1.398,50 Euro. Darunter: Berechnung ohne Fehler.",
        ),
    ],
    "jobcenter-digital-postfach": [
        (
            "jd_nav",
            "Öffnen Sie in der Bearbeitung von jobcenter.digital das „Postfach“ Ihres Teams. Ungelesene Nachrichten "
            "haben einen roten Punkt.",
            "Die Bearbeitungsoberfläche von jobcenter.digital. Links der markierte Eintrag „Postfach“ mit 3 "
            "ungelesenen Nachrichten, in der Mitte die Liste der Nachrichten von Kundinnen und Kunden.",
        ),
        (
            "jd_msg",
            "Klicken Sie auf die Nachricht, um sie zu lesen. Sie sehen Absenderin, Kundennummer, BG-Nummer und die "
            "Anlagen.",
            "Die markierte Nachricht von Erika Mustermann „Unterlagen zum Weiterbewilligungsantrag“ ist geöffnet. "
            "Rechts der Text und zwei PDF-Anlagen mit Kontoauszügen.",
        ),
        (
            "jd_file",
            "Übernehmen Sie die Anlagen mit „Anlagen in E-Akte übernehmen“. Sie landen automatisch in der Akte der "
            "richtigen Bedarfsgemeinschaft.",
            "Die geöffnete Nachricht mit zwei Anlagen. Die Schaltfläche „Anlagen in E-Akte übernehmen“ ist markiert, "
            "daneben „Antworten“ und „Weiterleiten“.",
        ),
        (
            "jd_send",
            "Klicken Sie auf „Antworten“, bestätigen Sie den Eingang in einfachen Worten und klicken Sie auf "
            "„Senden“. Die Antwort erscheint im Postfach der Kundin.",
            "Ein grüner Hinweis bestätigt, dass die Anlagen in der E-Akte sind. Darunter eine Antwort an Erika "
            "Mustermann, die den Eingang bestätigt; die Schaltfläche „Senden“ ist markiert.",
        ),
    ],
    "videoberatung-warteraum": [
        (
            "vk_room",
            "Öffnen Sie die Videoberatung und wechseln Sie links zum „Warteraum“. Die Zahl zeigt, wie viele Personen "
            "warten.",
            "Die Videoberatung mit den Terminen des Tages. Links in der Navigation ist „Warteraum“ mit einer "
            "wartenden Person markiert.",
        ),
        (
            "vk_devices",
            "Prüfen Sie vor dem Gespräch Kamera, Mikrofon und Lautsprecher. Der grüne Balken zeigt, dass Ihr "
            "Mikrofon Sie hört.",
            "Der markierte Bereich „Ihre Geräte“ mit der Vorschau der eigenen Kamera und den ausgewählten Geräten: "
            "Integrierte Kamera, Headset als Mikrofon und Lautsprecher, daneben ein grüner Pegelbalken.",
        ),
        (
            "vk_admit",
            "Wartet Ihre Kundin, klicken Sie bei ihrem Termin auf „Ins Gespräch holen“.",
            "Die Terminliste im Warteraum. Bei Erika Mustermann, 10:00 Uhr, steht „wartet seit 2 Min.“; die "
            "Schaltfläche „Ins Gespräch holen“ ist markiert.",
        ),
        (
            "vk_end",
            "Begrüßen Sie die Kundin und sagen Sie, dass nichts aufgezeichnet wird. Am Ende beenden Sie das Gespräch "
            "mit „Gespräch beenden“.",
            "Das laufende Videogespräch mit Erika Mustermann, oben rechts das eigene Bild, oben links der Hinweis "
            "„Ende-zu-Ende verschlüsselt“. Unten die Steuerleiste; die rote Schaltfläche „Gespräch beenden“ ist "
            "markiert.",
        ),
    ],
    "verschluesselte-email": [
        (
            "ol_new",
            "Klicken Sie im Posteingang Ihres E-Mail-Programms auf „Neue E-Mail“.",
            "Das E-Mail-Programm mit dem Posteingang von Leistung Team 1. Oben links im Menüband ist die Schaltfläche "
            "„Neue E-Mail“ markiert.",
        ),
        (
            "ol_tab",
            "Schreiben Sie die Nachricht und fügen Sie die Anlage hinzu. Wechseln Sie dann oben zum Reiter „Optionen“.",
            "Eine neue Nachricht an Erika Mustermann mit Betreff, angefügtem Bescheid als PDF und Text. Oben im "
            "Menüband ist der Reiter „Optionen“ markiert.",
        ),
        (
            "ol_option",
            "Klicken Sie auf „Verschlüsseln“ und wählen Sie „Verschlüsseln (sicheres Postfach)“.",
            "Das geöffnete Menü unter „Verschlüsseln“ mit vier Einträgen. Der erste Eintrag „Verschlüsseln (sicheres "
            "Postfach)“ ist markiert.",
        ),
        (
            "ol_send",
            "Ein grüner Hinweis bestätigt die Verschlüsselung. Klicken Sie auf „Senden“. Die Kundin erhält einen "
            "Link zum sicheren Postfach.",
            "Über der Nachricht ein grüner Hinweis „Verschlüsselt: Diese Nachricht wird verschlüsselt gesendet“. Die "
            "Schaltfläche „Senden“ links ist markiert.",
        ),
    ],
}

# Videos: key -> title, tool, and scenes as (kind, screen, seconds, captions, callout).
# kind "title" shows the title card, "step" moves the pointer to the screen's marked element, "end" closes.
VIDEOS: dict[str, dict[str, Any]] = {
    "e-akte-zuordnen-video": {
        "title": "Post aus dem Team-Posteingang zuordnen",
        "tool": "E-Akte",
        "scenes": [
            ("title", "ea_tree", 3.5, ["In diesem Video sehen Sie, wie Sie ein Dokument in der E-Akte zuordnen."], ""),
            ("step", "ea_tree", 4.0, ["Öffnen Sie links den Team-Posteingang Ihres Teams."], "Team-Posteingang"),
            (
                "step",
                "ea_row",
                5.5,
                [
                    "Beim Status „Klärung“ hat die Scanstelle die BG-Nummer nicht erkannt.",
                    "Wählen Sie das Dokument aus. Die Nummer steht in der Vorschau.",
                ],
                "Dokument auswählen",
            ),
            ("step", "ea_assign", 4.0, ["Klicken Sie oben auf „Zuordnen“."], "Zuordnen"),
            (
                "step",
                "ea_bg",
                5.5,
                [
                    "Geben Sie die BG-Nummer vom Dokument ein.",
                    "Prüfen Sie, ob die Personen der Bedarfsgemeinschaft passen.",
                ],
                "BG-Nummer eingeben",
            ),
            (
                "step",
                "ea_confirm",
                5.0,
                ["Wählen Sie die Dokumentart und bestätigen Sie mit „Zuordnen“."],
                "Bestätigen",
            ),
            (
                "end",
                "ea_done",
                4.0,
                ["Fertig: Das Dokument liegt in der richtigen Akte. Die Klickstrecke finden Sie im Quali-Kompass."],
                "",
            ),
        ],
    },
    "videoberatung-video": {
        "title": "Videoberatung: vom Warteraum ins Gespräch",
        "tool": "Videokommunikation",
        "scenes": [
            (
                "title",
                "vk_room",
                3.5,
                ["In diesem Video sehen Sie, wie Sie eine Videoberatung beginnen und beenden."],
                "",
            ),
            ("step", "vk_room", 4.0, ["Wechseln Sie links zum Warteraum."], "Warteraum"),
            (
                "step",
                "vk_devices",
                5.5,
                ["Prüfen Sie Kamera, Mikrofon und Lautsprecher.", "Der grüne Balken zeigt: Ihr Mikrofon hört Sie."],
                "Geräte prüfen",
            ),
            (
                "step",
                "vk_admit",
                5.0,
                ["Ihre Kundin wartet. Klicken Sie auf „Ins Gespräch holen“."],
                "Ins Gespräch holen",
            ),
            (
                "step",
                "vk_end",
                6.0,
                [
                    "Begrüßen Sie die Kundin und sagen Sie, dass nichts aufgezeichnet wird.",
                    "Am Ende klicken Sie auf „Gespräch beenden“.",
                ],
                "Gespräch beenden",
            ),
            (
                "end",
                "vk_call",
                4.0,
                ["Dokumentieren Sie das Gespräch danach wie ein Gespräch vor Ort."],
                "",
            ),
        ],
    },
    "verschluesselte-email-video": {
        "title": "E-Mails mit Sozialdaten verschlüsselt senden",
        "tool": "Verschlüsselte E-Mail",
        "scenes": [
            (
                "title",
                "ol_new",
                3.5,
                ["Enthält eine E-Mail Sozialdaten, senden Sie sie verschlüsselt. So geht es."],
                "",
            ),
            ("step", "ol_new", 4.0, ["Klicken Sie auf „Neue E-Mail“."], "Neue E-Mail"),
            (
                "step",
                "ol_tab",
                5.0,
                ["Schreiben Sie die Nachricht und fügen Sie die Anlage hinzu.", "Wechseln Sie dann zu „Optionen“."],
                "Optionen",
            ),
            (
                "step",
                "ol_option",
                5.0,
                ["Klicken Sie auf „Verschlüsseln“ und wählen Sie das sichere Postfach."],
                "Verschlüsseln",
            ),
            (
                "step",
                "ol_send",
                5.0,
                ["Der grüne Hinweis bestätigt die Verschlüsselung. Klicken Sie auf „Senden“."],
                "Senden",
            ),
            (
                "end",
                "ol_send",
                4.0,
                ["Die Kundin erhält einen Link zum sicheren Postfach und liest die Nachricht dort."],
                "",
            ),
        ],
    },
}


def _per_mille(box: dict[str, float]) -> list[int]:
    """The element's box, padded and clipped to the screen, as (left, top, width, height) in per mille."""
    x0 = max(0.0, box["x"] - HIGHLIGHT_PADDING)
    y0 = max(0.0, box["y"] - HIGHLIGHT_PADDING)
    x1 = min(float(WIDTH), box["x"] + box["width"] + HIGHLIGHT_PADDING)
    y1 = min(float(HEIGHT), box["y"] + box["height"] + HIGHLIGHT_PADDING)
    left, top = math.floor(x0 * 1000 / WIDTH), math.floor(y0 * 1000 / HEIGHT)
    width = min(math.ceil(x1 * 1000 / WIDTH), 1000) - left
    height = min(math.ceil(y1 * 1000 / HEIGHT), 1000) - top
    return [left, top, width, height]


def _vint(value: int) -> bytes:
    """An EBML size as an 8-byte variable-length integer."""
    return bytes([0x01]) + value.to_bytes(7, "big")


def _read_vint(data: bytes, at: int, keep_marker: bool = False) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, length); all ones means unknown (-1)."""
    first = data[at]
    length = 8 - first.bit_length() + 1
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        value = -1
    return value, length


def with_duration(webm: bytes, seconds: float) -> bytes:
    """Add the duration that MediaRecorder leaves out, so players show the length and a progress bar."""
    at = 0
    header_id, length = _read_vint(webm, at, keep_marker=True)
    size, size_length = _read_vint(webm, at + length)
    at += length + size_length + size  # skip the EBML header
    segment_id, length = _read_vint(webm, at, keep_marker=True)
    if header_id != 0x1A45DFA3 or segment_id != 0x18538067:
        raise ValueError("not a WebM file")
    segment_size_at = at + length
    segment_size, segment_size_length = _read_vint(webm, segment_size_at)
    at = segment_size_at + segment_size_length
    while at < len(webm):
        element_id, id_length = _read_vint(webm, at, keep_marker=True)
        size, size_length = _read_vint(webm, at + id_length)
        content = at + id_length + size_length
        if element_id == 0x1549A966:  # Info
            info = webm[content : content + size]
            if b"\x44\x89" in info:
                return webm
            duration = b"\x44\x89\x88" + struct.pack(">d", seconds * 1000)  # in TimecodeScale units (1 ms)
            info += duration
            patched = webm[:at] + webm[at : at + id_length] + _vint(len(info)) + info + webm[content + size :]
            if segment_size >= 0:
                grown = segment_size + len(patched) - len(webm)
                patched = patched[:segment_size_at] + _vint(grown) + patched[segment_size_at + segment_size_length :]
            return patched
        if size < 0:
            break
        at = content + size
    raise ValueError("WebM file without an Info element")


def webvtt(cues: list[tuple[float, float, str]]) -> str:
    """WebVTT captions with lines of at most CAPTION_LINE characters."""

    def stamp(seconds: float) -> str:
        millis = round(seconds * 1000)
        return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"

    blocks = ["WEBVTT"]
    for number, (start, end, text) in enumerate(cues, 1):
        lines = "\n".join(textwrap.wrap(text, CAPTION_LINE))
        blocks.append(f"{number}\n{stamp(start)} --> {stamp(end)}\n{lines}")
    return "\n\n".join(blocks) + "\n"


def timeline(scenes: list[tuple[str, str, float, list[str], str]]) -> tuple[list[dict[str, Any]], list[tuple]]:
    """Scene start and end times, and the caption cues (a scene's time shared by its captions by length)."""
    at, plan, cues = 0.0, [], []
    number = 0
    for kind, screen, seconds, captions, callout in scenes:
        if kind == "step":
            number += 1
        plan.append(
            {"kind": kind, "screen": screen, "start": at, "end": at + seconds, "callout": callout, "number": number}
        )
        total = sum(len(text) for text in captions)
        start = at
        for text in captions:
            end = start + seconds * len(text) / total
            cues.append((round(start + 0.1, 2), round(end - 0.1, 2), text))
            start = end
        at += seconds
    return plan, cues


TO_WEBP_JS = """async ([png, quality]) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  canvas.getContext('2d').drawImage(image, 0, 0);
  return canvas.toDataURL('image/webp', quality).split(',')[1];
}"""

RECORD_JS = """async (o) => {
  const W = 1280, H = 800;
  const canvas = document.createElement('canvas');
  canvas.width = o.width; canvas.height = o.height;
  document.body.appendChild(canvas);
  const ctx = canvas.getContext('2d');
  const images = {};
  for (const [key, png] of Object.entries(o.images)) {
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    images[key] = image;
  }
  const scenes = o.scenes, total = scenes[scenes.length - 1].end;
  const ease = (x) => x <= 0 ? 0 : x >= 1 ? 1 : x < .5 ? 2 * x * x : 1 - Math.pow(-2 * x + 2, 2) / 2;
  const centre = (s) => s.target ? [s.target[0] + s.target[2] / 2, s.target[1] + s.target[3] / 2] : null;

  function pointerAt(index, local) {
    let from = [W * .55, H * .55];
    for (let j = index - 1; j >= 0; j--) {
      const c = centre(scenes[j]);
      if (c && scenes[j].kind === 'step') { from = c; break; }
    }
    const s = scenes[index], to = centre(s);
    if (s.kind !== 'step' || !to) return from;
    const k = ease((local - .3) / 1.2);
    return [from[0] + (to[0] - from[0]) * k, from[1] + (to[1] - from[1]) * k];
  }
  function wrap(text, width) {
    const words = text.split(' '), lines = [];
    let line = '';
    for (const word of words) {
      const test = line ? line + ' ' + word : word;
      if (ctx.measureText(test).width > width && line) { lines.push(line); line = word; } else line = test;
    }
    if (line) lines.push(line);
    return lines;
  }
  function roundRect(x, y, w, h, r) {
    ctx.beginPath(); ctx.roundRect(x, y, w, h, r);
  }
  function pointer(x, y) {
    ctx.save(); ctx.translate(x, y); ctx.scale(1.5, 1.5);
    ctx.beginPath();
    ctx.moveTo(0, 0); ctx.lineTo(0, 17); ctx.lineTo(4.2, 13.2); ctx.lineTo(7.2, 20); ctx.lineTo(10, 18.8);
    ctx.lineTo(7.2, 12.2); ctx.lineTo(12.5, 12.2); ctx.closePath();
    ctx.shadowColor = 'rgba(0,0,0,.35)'; ctx.shadowBlur = 4; ctx.shadowOffsetY = 1;
    ctx.fillStyle = '#fff'; ctx.fill(); ctx.shadowColor = 'transparent';
    ctx.lineWidth = 1.2; ctx.strokeStyle = '#111'; ctx.stroke();
    ctx.restore();
  }
  function callout(s, text, alpha) {
    const [x, y, w, h] = s.target;
    ctx.save(); ctx.globalAlpha = alpha;
    ctx.font = 'bold 22px "Liberation Sans", Arial';
    const tw = ctx.measureText(text).width, bw = tw + 74, bh = 48;
    let bx = x + w + 18, by = y + h / 2 - bh / 2;
    if (bx + bw > W - 24) bx = x - bw - 18;
    if (bx < 10) { bx = Math.min(Math.max(10, x + w / 2 - bw / 2), W - bw - 10); by = y + h + 16; }
    if (by + bh > H - 70) by = y - bh - 16;
    by = Math.max(10, by);
    ctx.shadowColor = 'rgba(0,0,0,.35)'; ctx.shadowBlur = 12; ctx.shadowOffsetY = 3;
    roundRect(bx, by, bw, bh, 10); ctx.fillStyle = '#0b3d6b'; ctx.fill(); ctx.shadowColor = 'transparent';
    ctx.beginPath(); ctx.arc(bx + 26, by + bh / 2, 15, 0, Math.PI * 2); ctx.fillStyle = '#ffb300'; ctx.fill();
    ctx.fillStyle = '#0b2540'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(String(s.number), bx + 26, by + bh / 2 + 1);
    ctx.fillStyle = '#fff'; ctx.textAlign = 'left'; ctx.fillText(text, bx + 52, by + bh / 2 + 1);
    ctx.restore();
  }
  function titleCard(s, alpha) {
    ctx.save(); ctx.globalAlpha = alpha;
    ctx.fillStyle = 'rgba(8, 38, 68, .9)'; ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = '#ffb300'; ctx.fillRect(120, 250, 90, 8);
    ctx.fillStyle = '#cfe0f2'; ctx.font = '24px "Liberation Sans", Arial'; ctx.textBaseline = 'alphabetic';
    ctx.fillText('Quali-Kompass · Schulungsvideo · ' + o.tool, 120, 310);
    ctx.fillStyle = '#fff'; ctx.font = 'bold 54px "Liberation Sans", Arial';
    wrap(o.title, W - 240).forEach((line, i) => ctx.fillText(line, 120, 385 + i * 66));
    ctx.fillStyle = '#cfe0f2'; ctx.font = '22px "Liberation Sans", Arial';
    ctx.fillText('Jobcenter Musterstadt · Schulungsumgebung mit Beispieldaten', 120, 560);
    ctx.restore();
  }
  function endCard(s, alpha) {
    ctx.save(); ctx.globalAlpha = alpha;
    ctx.fillStyle = 'rgba(8, 38, 68, .88)'; ctx.fillRect(0, H - 150, W, 150);
    ctx.fillStyle = '#ffb300'; ctx.font = 'bold 30px "Liberation Sans", Arial'; ctx.textBaseline = 'alphabetic';
    ctx.fillText('✓ Geschafft', 60, H - 95);
    ctx.fillStyle = '#fff'; ctx.font = '22px "Liberation Sans", Arial';
    ctx.fillText('Schritt für Schritt zum Nachlesen: die Klickstrecke im Quali-Kompass.', 60, H - 55);
    ctx.restore();
  }
  function draw(t) {
    ctx.setTransform(o.width / W, 0, 0, o.height / H, 0, 0);
    let i = scenes.findIndex((s) => t < s.end);
    if (i < 0) i = scenes.length - 1;
    const s = scenes[i], local = t - s.start;
    ctx.globalAlpha = 1; ctx.drawImage(images[s.screen], 0, 0, W, H);
    if (i > 0 && local < .4 && scenes[i - 1].screen !== s.screen) {
      ctx.globalAlpha = 1 - local / .4; ctx.drawImage(images[scenes[i - 1].screen], 0, 0, W, H); ctx.globalAlpha = 1;
    }
    if (s.kind === 'title') {
      titleCard(s, Math.min(1, (s.end - t) / .5));
      return;
    }
    if (s.kind === 'step' && s.target) {
      const [x, y, w, h] = s.target;
      if (local > 1.5) {
        const pulse = .75 + .25 * Math.sin((local - 1.5) * 5);
        ctx.save(); ctx.globalAlpha = pulse; ctx.lineWidth = 4; ctx.strokeStyle = '#ffb300';
        roundRect(x, y, w, h, 6); ctx.stroke(); ctx.restore();
      }
      const click = local - 1.55;
      if (click > 0 && click < .5) {
        const [cx, cy] = centre(s);
        ctx.save(); ctx.globalAlpha = 1 - click / .5; ctx.lineWidth = 3; ctx.strokeStyle = '#ffb300';
        ctx.beginPath(); ctx.arc(cx, cy, 8 + click * 60, 0, Math.PI * 2); ctx.stroke(); ctx.restore();
      }
      if (local > 1.7 && s.callout) callout(s, s.callout, Math.min(1, (local - 1.7) / .3));
    }
    if (s.kind === 'end') endCard(s, Math.min(1, local / .5));
    const [px, py] = pointerAt(i, local);
    pointer(px, py);
  }

  if (o.posterOnly) { draw(o.posterAt); return {poster: canvas.toDataURL('image/webp', o.quality).split(',')[1]}; }
  const stream = canvas.captureStream(o.fps);
  const recorder = new MediaRecorder(stream, {mimeType: o.mimeType, videoBitsPerSecond: o.bitrate});
  const chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  draw(0);
  recorder.start(1000);
  const t0 = performance.now();
  await new Promise((resolve) => {
    function tick() {
      const t = (performance.now() - t0) / 1000;
      if (t >= total) { draw(total - .001); resolve(); return; }
      draw(t);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
  await new Promise((resolve) => setTimeout(resolve, 120));
  recorder.stop();
  await stopped;
  const blob = new Blob(chunks, {type: 'video/webm'});
  const video = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.split(',')[1]);
    reader.readAsDataURL(blob);
  });
  return {video, seconds: (performance.now() - t0) / 1000};
}"""


def _shoot(page: Any, html: str) -> tuple[bytes, dict[str, float] | None]:
    """Render a screen; return the PNG screenshot and the marked element's box (or None)."""
    page.set_content(html)
    page.evaluate("document.fonts.ready")
    marked = page.locator("[data-hl]")
    if marked.count() > 1:
        raise ValueError("a screen may mark only one element")
    box = marked.bounding_box() if marked.count() else None
    return page.screenshot(type="png"), box


def generate(out: Path = MEDIA_DIR) -> dict[str, Any]:
    """Render every screen, write the guide images, videos, posters, captions, transcripts and the manifest."""
    from playwright.sync_api import sync_playwright

    html = screens()
    needed = {screen for steps in GUIDES.values() for screen, _, _ in steps}
    needed |= {scene[1] for video in VIDEOS.values() for scene in video["scenes"]}
    manifest: dict[str, Any] = {"guides": {}, "videos": {}}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
        shots = {name: _shoot(page, html[name]) for name in sorted(needed)}
        tool = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
        tool.set_content("<!doctype html><title>Werkbank</title><body style='margin:0'>")
        # Files of guides or videos that no longer exist must not linger in the package.
        for pattern in OUTPUT_PATTERNS:
            for old in out.glob(pattern):
                old.unlink()

        for key, steps in GUIDES.items():
            records = []
            for number, (screen, instruction, alt_text) in enumerate(steps, 1):
                png, box = shots[screen]
                if box is None:
                    raise ValueError(f"screen {screen} marks no element")
                name = f"{key}-{number}.webp"
                webp = base64.b64decode(tool.evaluate(TO_WEBP_JS, [base64.b64encode(png).decode(), WEBP_QUALITY]))
                (out / name).write_bytes(webp)
                records.append(
                    {"image": name, "instruction": instruction, "alt_text": alt_text, "highlight": _per_mille(box)}
                )
            manifest["guides"][key] = {"steps": records}

        for key, video in VIDEOS.items():
            plan, cues = timeline(video["scenes"])
            for scene in plan:
                box = shots[scene["screen"]][1]
                scene["target"] = [box["x"], box["y"], box["width"], box["height"]] if box else None
            images = {scene["screen"]: base64.b64encode(shots[scene["screen"]][0]).decode() for scene in plan}
            options = {
                "images": images,
                "scenes": plan,
                "title": video["title"],
                "tool": video["tool"],
                "width": VIDEO_WIDTH,
                "height": VIDEO_HEIGHT,
                "fps": VIDEO_FPS,
                "bitrate": VIDEO_BITRATE,
                "mimeType": "video/webm;codecs=vp8",
                "quality": WEBP_QUALITY,
            }
            poster = tool.evaluate(RECORD_JS, {**options, "posterOnly": True, "posterAt": 2.0})["poster"]
            result = tool.evaluate(RECORD_JS, options)
            seconds = plan[-1]["end"]
            (out / f"{key}.webm").write_bytes(with_duration(base64.b64decode(result["video"]), seconds))
            (out / f"{key}-poster.webp").write_bytes(base64.b64decode(poster))
            (out / f"{key}.vtt").write_text(webvtt(cues), encoding="utf-8")
            paragraphs = [" ".join(scene[3]) for scene in video["scenes"]]
            transcript = "\n\n".join([f"{video['title']} ({video['tool']})", *paragraphs])
            (out / f"{key}.txt").write_text(transcript + "\n", encoding="utf-8")
            manifest["videos"][key] = {
                "video": f"{key}.webm",
                "poster": f"{key}-poster.webp",
                "captions": f"{key}.vtt",
                "transcript": f"{key}.txt",
                "seconds": round(seconds, 1),
            }
        browser.close()
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    manifest = generate()
    files = sorted(MEDIA_DIR.glob("*.webp")) + sorted(MEDIA_DIR.glob("*.webm")) + sorted(MEDIA_DIR.glob("*.vtt"))
    total = sum(path.stat().st_size for path in files)
    for path in files:
        print(f"{path.stat().st_size / 1024:8.1f} KB  {path.name}")
    print(f"{len(manifest['guides'])} guides, {len(manifest['videos'])} videos, {total / 1024 / 1024:.2f} MB in all")


if __name__ == "__main__":
    main()
