"""Demo material for the demo Jobcenter: guides, click-through guides, videos, links and sessions about its tools."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import (
    GuideStep,
    Material,
    MaterialVersion,
    SessionDate,
    SessionRegistration,
    StoredFile,
    Tool,
    Topic,
)
from quali_kompass.catalogue.sessions import berlin_to_utc
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.demo_media import MEDIA_DIR, manifest
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person

ALL = "alle"

# Written guides and links: (kind, title, topic, tools, departments, minutes, level, source, status, summary,
#  body or address)
MATERIALS = [
    (
        "document",
        "E-Akte: Posteingang richtig zuordnen",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Wie Sie eingescannte Post in der E-Akte der richtigen Bedarfsgemeinschaft zuordnen.",
        "## Worum es geht\n\nJeden Morgen liegt neue Post im **Posteingang** der E-Akte. Damit nichts liegen bleibt, "
        "ordnen Sie jedes Dokument am selben Tag zu.\n\n## So gehen Sie vor\n\n1. Öffnen Sie den Posteingang Ihres "
        "Teams.\n2. Prüfen Sie die Nummer der Bedarfsgemeinschaft auf dem Dokument.\n3. Wählen Sie *Zuordnen* und "
        "geben Sie die Nummer ein.\n4. Vergeben Sie die passende Dokumentenart.\n\n> Tipp: Unleserliche Scans geben "
        "Sie an die Scanstelle zurück, statt sie zuzuordnen.",
    ),
    (
        "document",
        "E-Akte: Dokumente schnell finden",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Suchen, filtern und Lesezeichen setzen: So finden Sie Dokumente in der E-Akte in Sekunden.",
        "## Die Suche\n\nGeben Sie im Suchfeld die Nummer der Bedarfsgemeinschaft oder einen Namen ein. Mit dem "
        "Filter *Dokumentenart* grenzen Sie die Treffer ein.\n\n## Lesezeichen\n\nHäufig gebrauchte Akten merken Sie "
        "sich mit dem Stern oben rechts.",
    ),
    (
        "document",
        "Videoberatung vorbereiten und durchführen",
        "Videoberatung",
        ["Videokommunikation"],
        ["Markt und Integration", "U25 / Jugendhaus"],
        20,
        "basic",
        "inhouse",
        "published",
        "Vom Termin bis zum Gesprächsende: eine Videoberatung mit Kundinnen und Kunden sicher durchführen.",
        "## Vor dem Termin\n\n- Senden Sie den Einladungslink über das Serviceportal.\n- Prüfen Sie Kamera und "
        "Headset.\n\n## Im Gespräch\n\nBegrüßen Sie die Person und fragen Sie, ob sie Sie gut hört. Erklären Sie, "
        "dass nichts aufgezeichnet wird.\n\n## Danach\n\nDokumentieren Sie das Gespräch wie ein Gespräch vor Ort.",
    ),
    (
        "document",
        "Verschlüsselte E-Mail an Kundinnen und Kunden senden",
        "Verschlüsselte E-Mail",
        ["Verschlüsselte E-Mail"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Wann Sie verschlüsselt senden müssen und wie es in drei Schritten gelingt.",
        "## Wann verschlüsseln?\n\nImmer, wenn die E-Mail **Sozialdaten** enthält.\n\n## So geht es\n\n1. Neue "
        "E-Mail schreiben.\n2. Im Menü *Optionen* die Verschlüsselung wählen.\n3. Senden. Die Person erhält einen "
        "Link zum sicheren Postfach.",
    ),
    (
        "document",
        "jobcenter.digital: Anträge aus dem Serviceportal bearbeiten",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital", "E-Akte"],
        ["Leistungsgewährung", "Eingangszone"],
        25,
        "advanced",
        "inhouse",
        "published",
        "Online gestellte Anträge übernehmen, prüfen und fehlende Unterlagen digital anfordern.",
        "## Eingang prüfen\n\nOnline-Anträge erscheinen im Arbeitsvorrat *Serviceportal*. Prüfen Sie zuerst, ob alle "
        "Pflichtangaben vorhanden sind.\n\n## Unterlagen nachfordern\n\nFehlende Nachweise fordern Sie direkt im "
        "Portal an. Die Frist setzt das System automatisch.",
    ),
    (
        "document",
        "VerBIS: Bewerberprofil anlegen",
        "VerBIS",
        ["VerBIS"],
        ["Markt und Integration", "Arbeitgeber-Service"],
        30,
        "basic",
        "inhouse",
        "published",
        "Ein vollständiges Bewerberprofil ist die Grundlage für gute Vermittlungsvorschläge.",
        "## Pflichtangaben\n\nBerufserfahrung, Ausbildung, Mobilität und Arbeitszeitwunsch.\n\n## Stärken "
        "beschreiben\n\nFormulieren Sie Stärken gemeinsam mit der Person und in ihren Worten.",
    ),
    (
        "document",
        "ALLEGRO: Weiterbewilligung erfassen",
        "ALLEGRO",
        ["ALLEGRO"],
        ["Leistungsgewährung"],
        30,
        "advanced",
        "inhouse",
        "published",
        "Den Weiterbewilligungsantrag in ALLEGRO erfassen und typische Fehler vermeiden.",
        "## Vorbereitung\n\nLegen Sie den Antrag und die Nachweise aus der E-Akte bereit.\n\n## Typische Fehler\n\n- "
        "Geänderte Unterkunftskosten nicht übernommen\n- Einkommen im falschen Monat erfasst",
    ),
    (
        "document",
        "Datenschutz im Kundenkontakt: die wichtigsten Regeln",
        "Datenschutz und Informationssicherheit",
        ["Verschlüsselte E-Mail", "E-Akte"],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Was Sie am Telefon, am Schalter und per E-Mail sagen dürfen – und was nicht.",
        "## Am Telefon\n\nGeben Sie Auskunft erst, wenn Sie die Person sicher erkannt haben.\n\n## Am Schalter\n\n"
        "Achten Sie darauf, dass andere Wartende nicht mithören können.",
    ),
    (
        "link",
        "BA-Lernwelt: E-Learning E-Akte Grundlagen",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        45,
        "basic",
        "ba",
        "published",
        "Das zentrale E-Learning der Bundesagentur für Arbeit zur E-Akte, mit Übungen.",
        "https://lernwelt.ba.example/e-akte-grundlagen",
    ),
    (
        "link",
        "BA-Lernwelt: Grundschulung Datenschutz",
        "Datenschutz und Informationssicherheit",
        [],
        ALL,
        60,
        "basic",
        "ba",
        "published",
        "Die jährliche Datenschutz-Grundschulung der Bundesagentur für Arbeit.",
        "https://lernwelt.ba.example/datenschutz-grundschulung",
    ),
    (
        "link",
        "Serviceportal jobcenter.digital: Hilfe für Kundinnen und Kunden",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone", "Leistungsgewährung", "U25 / Jugendhaus"],
        5,
        "basic",
        "ba",
        "published",
        "Die öffentlichen Hilfeseiten, auf die Sie Kundinnen und Kunden verweisen können.",
        "https://www.jobcenter.digital",
    ),
    (
        "document",
        "Termine über den Online-Kalender vergeben",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone"],
        10,
        "basic",
        "inhouse",
        "draft",
        "Entwurf: Freie Termine für Kundinnen und Kunden im Online-Kalender freigeben.",
        "## In Arbeit\n\nDiese Anleitung wird gerade geschrieben.",
    ),
    (
        "document",
        "E-Akte: Scannen am Arbeitsplatz (bis 2025)",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        10,
        "basic",
        "inhouse",
        "archived",
        "Alte Anleitung für das Scannen am Arbeitsplatz; ersetzt durch die Scanstelle.",
        "## Hinweis\n\nSeit 2026 scannt die zentrale Scanstelle.",
    ),
    (
        "document",
        "E-Akte: Wiedervorlagen anlegen und abarbeiten",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Mit Wiedervorlagen behalten Sie Fristen im Blick: anlegen, abarbeiten und an die Vertretung weitergeben.",
        "## Wozu Wiedervorlagen?\n\nEine Wiedervorlage erinnert Sie an einem bestimmten Tag an ein Dokument oder eine "
        "Akte, zum Beispiel wenn die Frist für nachgeforderte Unterlagen abläuft.\n\n## Wiedervorlage anlegen\n\n"
        "1. Öffnen Sie das Dokument oder die Akte.\n2. Klicken Sie in der Symbolleiste auf *Wiedervorlage*.\n3. Wählen "
        "Sie das Datum und schreiben Sie einen kurzen Grund, zum Beispiel „Kontoauszüge angefordert, Frist 15.12.“.\n"
        "4. Speichern Sie.\n\n## Wiedervorlagen abarbeiten\n\nFällige Wiedervorlagen finden Sie links unter **Mein "
        "Arbeitsplatz › Wiedervorlagen**. Schließen Sie erledigte Wiedervorlagen mit *Erledigt*, damit die Liste kurz "
        "bleibt.\n\n## Wenn Sie abwesend sind\n\nGeben Sie offene Wiedervorlagen vor einer längeren Abwesenheit an "
        "Ihre Vertretung weiter (*Weiterleiten › Vertretung*).\n\n> Tipp: Ein klarer Grund in der Wiedervorlage "
        "spart Ihrer Vertretung Zeit und Rückfragen.",
    ),
    (
        "document",
        "E-Akte: Aktenarten, BG-Nummer und Dokumentarten im Überblick",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Die Grundbegriffe der E-Akte auf einer Seite – gut zum Ausdrucken für den Einstieg.",
        "## Die Aktenarten\n\n| Akte | Inhalt | Wer arbeitet damit |\n|---|---|---|\n| Leistungsakte | Anträge, "
        "Nachweise, Bescheide | Leistungsgewährung |\n| Vermittlungsakte | Beratungsvermerke, Kooperationsplan, "
        "Bewerbungen | Markt und Integration, U25 |\n| Widerspruchsakte | Widersprüche und Entscheidungen | "
        "Rechtsbehelfsstelle |\n\n## Die BG-Nummer\n\nJede Bedarfsgemeinschaft hat eine BG-Nummer, zum Beispiel "
        "`12345BG0001234`. Die ersten fünf Ziffern stehen für die Dienststelle. Mit der BG-Nummer finden Sie alle "
        "Akten einer Bedarfsgemeinschaft.\n\n## Die Dokumentart\n\nDie Dokumentart entscheidet, in welchem Ordner ein "
        "Dokument landet und wer es bearbeitet. Wählen Sie sie sorgfältig: Ein falsch abgelegter Kontoauszug wird "
        "leicht übersehen.\n\n## Aufbewahrung\n\nDie E-Akte löscht Dokumente nach Ablauf der Aufbewahrungsfristen "
        "selbst. Sie müssen nichts von Hand löschen.",
    ),
    (
        "document",
        "Videoberatung: Checkliste für Kundinnen und Kunden",
        "Videoberatung",
        ["Videokommunikation"],
        ["Eingangszone", "Markt und Integration", "U25 / Jugendhaus"],
        5,
        "basic",
        "inhouse",
        "published",
        "Zum Ausdrucken oder Versenden: Was Kundinnen und Kunden für eine Videoberatung brauchen.",
        "## Vor dem Termin\n\n- Smartphone, Tablet oder Computer mit Kamera und Mikrofon\n- Eine stabile "
        "Internetverbindung; WLAN ist besser als mobile Daten\n- Ein ruhiger Ort, an dem niemand mithört\n- Der "
        "Einladungslink aus der E-Mail oder aus dem Postfach von jobcenter.digital\n\n## Beim Start\n\n1. Öffnen Sie "
        "den Link etwa fünf Minuten vor dem Termin.\n2. Erlauben Sie dem Browser, Kamera und Mikrofon zu benutzen.\n"
        "3. Sie warten kurz im Warteraum. Ihre Ansprechperson holt Sie ins Gespräch.\n\n## Gut zu wissen\n\n- Das "
        "Gespräch wird **nicht aufgezeichnet**.\n- Sie brauchen kein Benutzerkonto und keine App.\n- Klappt die "
        "Verbindung nicht, ruft Ihre Ansprechperson Sie an.\n\n> Geben Sie diese Checkliste ausgedruckt mit oder "
        "senden Sie sie über das Postfach von jobcenter.digital.",
    ),
    (
        "document",
        "Videoberatung: Was tun bei technischen Störungen?",
        "Videoberatung",
        ["Videokommunikation"],
        ["Markt und Integration", "U25 / Jugendhaus"],
        10,
        "basic",
        "inhouse",
        "published",
        "Die häufigsten Störungen in der Videoberatung und wie Sie sie in wenigen Sekunden beheben.",
        "## Die häufigsten Störungen\n\n| Problem | Ursache | Lösung |\n|---|---|---|\n| Die Kundin hört Sie nicht "
        "| Falsches Mikrofon gewählt | Unter *Geräte und Einstellungen* das Headset wählen |\n| Das Bild bleibt "
        "schwarz | Kamera im Browser gesperrt | Auf das Schloss in der Adresszeile klicken und die Kamera erlauben |\n"
        "| Der Ton hallt | Lautsprecher statt Headset | Headset benutzen |\n| Die Verbindung bricht ab | Schwaches "
        "Netz bei der Kundin | Kamera ausschalten und nur mit Ton weitersprechen |\n\n## Wenn nichts hilft\n\nRufen "
        "Sie die Person an und vereinbaren Sie einen neuen Termin. Melden Sie wiederkehrende Störungen über die "
        "IT-Störungsmeldung im Intranet – mit Uhrzeit und Wortlaut der Fehlermeldung.",
    ),
    (
        "document",
        "jobcenter.digital: Kundinnen und Kunden bei der Registrierung unterstützen",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone", "Leistungsgewährung", "U25 / Jugendhaus"],
        15,
        "basic",
        "inhouse",
        "published",
        "So erklären Sie am Schalter oder am Telefon, wie Kundinnen und Kunden jobcenter.digital nutzen können.",
        "## Warum es sich lohnt\n\nWer jobcenter.digital nutzt, stellt Anträge online, lädt Nachweise hoch und liest "
        "Nachrichten – ohne Wartezeit und ohne Porto. Für viele Kundinnen und Kunden sind Sie die wichtigste Quelle, "
        "um davon zu erfahren.\n\n## Was die Person braucht\n\n- eine eigene E-Mail-Adresse\n- ein Smartphone oder "
        "einen Computer\n- für das Postfach: den Aktivierungscode, den das Jobcenter per Brief schickt\n\n## So "
        "erklären Sie es\n\n1. Gemeinsam die Startseite öffnen und *Registrieren* wählen.\n2. Die E-Mail-Adresse "
        "über den Link in der Bestätigungs-E-Mail bestätigen.\n3. Das Konto mit dem Aktivierungscode freischalten.\n\n"
        "## Häufige Fragen\n\n**Ist das sicher?** Ja. Die Daten werden verschlüsselt übertragen.\n\n**Muss ich das "
        "nutzen?** Nein. Papier, Telefon und persönliche Vorsprache bleiben möglich.",
    ),
    (
        "document",
        "jobcenter.digital: Veränderungsmitteilungen bearbeiten",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital", "ALLEGRO", "E-Akte"],
        ["Leistungsgewährung"],
        20,
        "advanced",
        "inhouse",
        "published",
        "Online gemeldete Veränderungen prüfen, Nachweise anfordern und in ALLEGRO übernehmen.",
        "## Eingang\n\nOnline gemeldete Veränderungen erscheinen im Arbeitsvorrat *Veränderungen*. Sie sind bereits "
        "der Bedarfsgemeinschaft zugeordnet.\n\n## Prüfen\n\n1. Welche Veränderung ist gemeldet: Einkommen, Umzug, "
        "Personen im Haushalt?\n2. Liegen die Nachweise bei? Wenn nicht, fordern Sie sie mit *Nachweise anfordern* "
        "an; die Frist setzt das Portal.\n3. Ändern sich die laufenden Leistungen? Dann erfassen Sie die Änderung in "
        "ALLEGRO.\n\n## Abschließen\n\nSetzen Sie die Mitteilung auf *erledigt*. Die Kundin sieht den Stand in ihrem "
        "Konto.\n\n> Bei einer Arbeitsaufnahme informieren Sie zusätzlich die zuständige Integrationsfachkraft.",
    ),
    (
        "document",
        "VerBIS: Beratungsvermerke datenschutzgerecht schreiben",
        "VerBIS",
        ["VerBIS"],
        ["Markt und Integration", "U25 / Jugendhaus", "Arbeitgeber-Service"],
        20,
        "advanced",
        "inhouse",
        "published",
        "Was in einen Beratungsvermerk gehört, was nicht – mit Beispielen für sachliche Formulierungen.",
        "## Grundsatz\n\nSchreiben Sie nur auf, was für die Beratung und Vermittlung erforderlich ist. Kundinnen und "
        "Kunden können ihre Vermerke auf Antrag lesen.\n\n## Das gehört hinein\n\n- Ziel und Ergebnis des Gesprächs\n"
        "- Vereinbarte nächste Schritte mit Datum\n- Unterstützungsbedarf, sachlich beschrieben\n\n## Das gehört "
        "nicht hinein\n\n- Diagnosen und Einzelheiten zur Gesundheit (verweisen Sie auf das Gutachten)\n- Wertungen "
        "wie „unmotiviert“ oder „schwierig“\n- Angaben über Dritte, die für die Vermittlung nicht nötig sind\n\n"
        "## Beispiele\n\n| statt | besser |\n|---|---|\n| „Kundin wirkt unmotiviert.“ | „Kundin möchte zuerst die "
        "Kinderbetreuung klären; Folgetermin am 02.12.“ |\n| „Hat Depressionen.“ | „Gesundheitliche Einschränkungen "
        "laut Gutachten vom 10.10.; Einzelheiten siehe Gutachten.“ |",
    ),
    (
        "document",
        "ALLEGRO: Einkommen aus Minijob und Teilzeit erfassen",
        "ALLEGRO",
        ["ALLEGRO", "E-Akte"],
        ["Leistungsgewährung"],
        30,
        "advanced",
        "inhouse",
        "published",
        "Erwerbseinkommen im richtigen Monat erfassen, Freibeträge prüfen und typische Fehler vermeiden.",
        "## Vorbereitung\n\nLegen Sie die Lohnabrechnungen aus der E-Akte bereit. Entscheidend ist der Monat, in dem "
        "das Geld **zufließt** – nicht der Monat, für den es gezahlt wird.\n\n## Erfassen\n\n1. Öffnen Sie die "
        "Leistungsakte und wählen Sie links *Einkommen*.\n2. Legen Sie ein neues Einkommen der Art "
        "„Erwerbseinkommen“ an.\n3. Tragen Sie Brutto, Netto und Zuflussmonat ein.\n4. ALLEGRO berechnet die "
        "Freibeträge; prüfen Sie das Ergebnis in der Vorschau.\n\n## Schwankendes Einkommen\n\nSchwankt das "
        "Einkommen, bewilligen Sie vorläufig und rechnen nach Ablauf des Zeitraums abschließend ab.\n\n## Typische "
        "Fehler\n\n- Zuflussmonat verwechselt\n- Einmalzahlungen wie Weihnachtsgeld als laufendes Einkommen erfasst\n"
        "- Fahrtkosten doppelt abgesetzt",
    ),
    (
        "document",
        "IT-Sicherheit: Phishing-E-Mails erkennen und melden",
        "IT-Sicherheit",
        ["Verschlüsselte E-Mail"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Woran Sie gefälschte E-Mails erkennen und was Sie tun, wenn Sie doch geklickt haben.",
        "## Woran Sie Phishing erkennen\n\n- Der Absender passt nicht zum Namen, etwa „IT-Service“ von einer fremden "
        "Adresse.\n- Druck und Eile: „Ihr Konto wird heute gesperrt“.\n- Links, deren Ziel nicht zu uns passt – "
        "zeigen Sie mit der Maus darauf, ohne zu klicken.\n- Unerwartete Anhänge, besonders ZIP-Dateien oder "
        "Office-Dateien mit Makros.\n\n## Was Sie tun\n\n1. Nicht klicken, nichts öffnen, nicht antworten.\n2. Die "
        "E-Mail mit *Phishing melden* an die IT-Sicherheit senden.\n3. Die E-Mail danach löschen.\n\n## Schon "
        "geklickt?\n\nKein Grund zur Scham: Melden Sie es **sofort** dem IT-Service. Je schneller, desto kleiner der "
        "Schaden.",
    ),
    (
        "document",
        "IT-Sicherheit: Sicher arbeiten im Homeoffice",
        "IT-Sicherheit",
        [],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Fünf Regeln, mit denen Sozialdaten auch am Küchentisch geschützt bleiben.",
        "## Fünf Regeln\n\n1. Sperren Sie den Bildschirm, sobald Sie aufstehen (Windows-Taste + L) – auch zu Hause.\n"
        "2. Drucken Sie keine Sozialdaten aus. Wenn es doch nötig ist, nehmen Sie die Ausdrucke zur Vernichtung mit "
        "ins Büro.\n3. Führen Sie Telefonate mit Kundinnen und Kunden so, dass niemand mithört.\n4. Arbeiten Sie nur "
        "mit dem dienstlichen Gerät und über die VPN-Verbindung; keine privaten USB-Sticks.\n5. Schützen Sie Ihr WLAN "
        "mit WPA2 oder WPA3 und einem eigenen Passwort.\n\n> Fragen zur Technik beantwortet der IT-Service, Fragen "
        "zum Datenschutz die oder der Datenschutzbeauftragte.",
    ),
    (
        "document",
        "Verständliche Sprache in Schreiben an Kundinnen und Kunden",
        "Verständliche Sprache",
        [],
        ALL,
        20,
        "basic",
        "inhouse",
        "published",
        "Sieben Regeln und Beispiele, damit Kundinnen und Kunden verstehen, was sie tun sollen und bis wann.",
        "## Warum?\n\nViele Menschen verstehen Behördensprache schlecht. Wer versteht, was wir brauchen, reicht "
        "Unterlagen vollständig und pünktlich ein.\n\n## Sieben Regeln\n\n1. Kurze Sätze: eine Aussage pro Satz.\n"
        "2. Aktiv statt passiv: „Bitte schicken Sie uns …“ statt „Es wird um Übersendung gebeten“.\n3. Bekannte "
        "Wörter: „Nachweis“ statt „Beleg gemäß § 60 SGB I“.\n4. Zahlen als Ziffern, das Datum mit Monatsnamen: „bis "
        "15. Dezember 2026“.\n5. Das Wichtigste zuerst: Was soll die Person tun, und bis wann?\n6. Listen statt "
        "Fließtext, wenn mehrere Unterlagen fehlen.\n7. Eine Ansprechperson mit Telefonnummer nennen.\n\n## Vorher – "
        "nachher\n\n| vorher | nachher |\n|---|---|\n| „Zur abschließenden Bearbeitung Ihres Antrages werden noch "
        "folgende Unterlagen benötigt.“ | „Wir brauchen noch diese Unterlagen von Ihnen:“ |\n| „Sollten die "
        "Unterlagen nicht fristgerecht eingehen, kann die Leistung ganz oder teilweise versagt werden.“ | „Bitte "
        "schicken Sie die Unterlagen bis 15. Dezember 2026. Sonst können wir Ihnen vielleicht kein Geld zahlen.“ |",
    ),
    (
        "document",
        "Barrierefreie PDF-Dokumente erstellen",
        "Barrierefreie Dokumente",
        [],
        ALL,
        25,
        "advanced",
        "inhouse",
        "published",
        "Vom Textdokument zum barrierefreien PDF: Überschriften, Alternativtexte, Tabellen und die Prüfung.",
        "## Im Textprogramm beginnen\n\n- Überschriften mit Formatvorlagen (Überschrift 1, 2, …) statt nur fett und "
        "groß\n- Alternativtexte für Bilder und Grafiken\n- Echte Listen und Tabellen mit Kopfzeile\n- Genug "
        "Kontrast; Informationen nie nur über die Farbe\n\n## Als PDF speichern\n\nWählen Sie *Speichern unter › PDF* "
        "und achten Sie darauf, dass die Dokumentstruktur (Tags) mitgespeichert wird. „Drucken als PDF“ verliert "
        "die Struktur.\n\n## Prüfen\n\nPrüfen Sie das PDF mit der eingebauten Barrierefreiheitsprüfung oder mit dem "
        "kostenlosen PDF Accessibility Checker (PAC). Im Zweifel schaut die Vorlagenstelle darauf.",
    ),
    (
        "document",
        "Datenschutz: Auskunftsersuchen erkennen und richtig weitergeben",
        "Datenschutz",
        ["E-Akte"],
        ALL,
        15,
        "advanced",
        "inhouse",
        "published",
        "Wenn Kundinnen und Kunden wissen wollen, was über sie gespeichert ist: Fristen und Ihre Aufgaben.",
        "## Worum es geht\n\nNach Artikel 15 DSGVO dürfen Kundinnen und Kunden erfahren, welche Daten das Jobcenter "
        "über sie verarbeitet. Die Antwort muss in der Regel innerhalb eines Monats kommen.\n\n## Woran Sie es "
        "erkennen\n\nDas Anliegen muss nicht „Auskunftsersuchen“ heißen. Auch „Ich will wissen, was Sie über mich "
        "gespeichert haben“ zählt – per Brief, E-Mail, Postfach oder mündlich.\n\n## Was Sie tun\n\n1. Halten Sie das "
        "Eingangsdatum fest.\n2. Leiten Sie das Anliegen noch am selben Tag an das Postfach Datenschutz weiter.\n3. "
        "Bestätigen Sie der Person den Eingang; geben Sie keine Auskunft auf eigene Faust.\n\n> Die Frist läuft ab "
        "Eingang im Jobcenter, nicht ab Eingang beim Datenschutz.",
    ),
    (
        "document",
        "VerBIS: Arbeitgeberkontakte dokumentieren",
        "VerBIS",
        ["VerBIS"],
        ["Arbeitgeber-Service"],
        15,
        "basic",
        "inhouse",
        "draft",
        "Entwurf: Kontakte mit Arbeitgebern einheitlich in VerBIS festhalten.",
        "## In Arbeit\n\nDer Arbeitgeber-Service ergänzt diese Anleitung bis Januar.",
    ),
    (
        "link",
        "BA-Lernwelt: Videokommunikation sicher anwenden",
        "Videoberatung",
        ["Videokommunikation"],
        ["Eingangszone", "Markt und Integration", "U25 / Jugendhaus"],
        30,
        "basic",
        "ba",
        "published",
        "E-Learning der Bundesagentur für Arbeit zur Videokommunikation mit Kundinnen und Kunden.",
        "https://lernwelt.ba.example/videokommunikation",
    ),
    (
        "link",
        "BA-Lernwelt: VerBIS Aufbaukurs Matching und Stellensuche",
        "VerBIS",
        ["VerBIS", "Jobbörse der BA"],
        ["Markt und Integration", "Arbeitgeber-Service"],
        90,
        "advanced",
        "ba",
        "published",
        "Aufbaukurs der BA: Suchkriterien verfeinern, Matching verstehen, Vermittlungsvorschläge gezielt einsetzen.",
        "https://lernwelt.ba.example/verbis-matching",
    ),
    (
        "link",
        "BA-Lernwelt: ALLEGRO – Einkommen richtig anrechnen",
        "ALLEGRO",
        ["ALLEGRO"],
        ["Leistungsgewährung"],
        60,
        "advanced",
        "ba",
        "published",
        "Selbstlernkurs der BA mit Übungsfällen zur Anrechnung von Erwerbseinkommen in ALLEGRO.",
        "https://lernwelt.ba.example/allegro-einkommen",
    ),
    (
        "link",
        "BSI: Informationssicherheit im Arbeitsalltag",
        "IT-Sicherheit",
        [],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Das Bundesamt für Sicherheit in der Informationstechnik erklärt, wie man Angriffe erkennt und abwehrt.",
        "https://www.bsi.bund.de",
    ),
    (
        "link",
        "Bundesfachstelle Barrierefreiheit: Wissen und Praxishilfen",
        "Barrierefreie Dokumente",
        [],
        ALL,
        20,
        "basic",
        "inhouse",
        "published",
        "Leitfäden und Praxishilfen zu barrierefreien Dokumenten und verständlicher Sprache.",
        "https://www.bundesfachstelle-barrierefreiheit.de",
    ),
    (
        "link",
        "BfDI: Datenschutz in der Sozialverwaltung",
        "Datenschutz",
        [],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Informationen der Bundesbeauftragten für den Datenschutz, auch zum Sozialdatenschutz in Jobcentern.",
        "https://www.bfdi.bund.de",
    ),
]

# Click-through guides and videos: the media key (see quali_kompass.demo_media), then as in MATERIALS.
GUIDES = [
    (
        "e-akte-zuordnen",
        "Klickstrecke: Post im Team-Posteingang der E-Akte zuordnen",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        5,
        "basic",
        "inhouse",
        "Schritt für Schritt: ein Dokument ohne erkannte BG-Nummer prüfen und der richtigen Akte zuordnen.",
    ),
    (
        "e-akte-suche",
        "Klickstrecke: Dokumente in der E-Akte suchen, filtern und merken",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        5,
        "basic",
        "inhouse",
        "Mit BG-Nummer suchen, nach Dokumentart filtern und wichtige Dokumente als Lesezeichen speichern.",
    ),
    (
        "verbis-stellensuche",
        "Klickstrecke: Passende Stellen in VerBIS finden und vorschlagen",
        "VerBIS",
        ["VerBIS", "Jobbörse der BA"],
        ["Markt und Integration", "Arbeitgeber-Service", "U25 / Jugendhaus"],
        10,
        "basic",
        "ba",
        "Vom Bewerberprofil zur Stellensuche und zum Vermittlungsvorschlag in fünf Schritten.",
    ),
    (
        "allegro-weiterbewilligung",
        "Klickstrecke: Weiterbewilligung in ALLEGRO anlegen und berechnen",
        "ALLEGRO",
        ["ALLEGRO"],
        ["Leistungsgewährung"],
        10,
        "advanced",
        "inhouse",
        "Leistungsakte öffnen, neuen Bewilligungszeitraum anlegen, prüfen und berechnen.",
    ),
    (
        "jobcenter-digital-postfach",
        "Klickstrecke: Nachrichten aus jobcenter.digital bearbeiten",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital", "E-Akte"],
        ["Eingangszone", "Leistungsgewährung", "U25 / Jugendhaus"],
        5,
        "basic",
        "inhouse",
        "Nachricht lesen, Anlagen in die E-Akte übernehmen und der Kundin im Postfach antworten.",
    ),
    (
        "videoberatung-warteraum",
        "Klickstrecke: Videoberatung starten – vom Warteraum ins Gespräch",
        "Videoberatung",
        ["Videokommunikation"],
        ["Eingangszone", "Markt und Integration", "U25 / Jugendhaus"],
        5,
        "basic",
        "inhouse",
        "Geräte prüfen, die Kundin aus dem Warteraum holen und das Gespräch sauber beenden.",
    ),
    (
        "verschluesselte-email",
        "Klickstrecke: E-Mail verschlüsselt an Kundinnen und Kunden senden",
        "Verschlüsselte E-Mail",
        ["Verschlüsselte E-Mail"],
        ALL,
        5,
        "basic",
        "inhouse",
        "Eine E-Mail mit Sozialdaten über das sichere Postfach verschlüsselt versenden.",
    ),
]

VIDEOS = [
    (
        "e-akte-zuordnen-video",
        "Schulungsvideo: Post aus dem Team-Posteingang zuordnen",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        1,
        "basic",
        "inhouse",
        "In 30 Sekunden gezeigt: ein Dokument mit unklarer BG-Nummer in der E-Akte zuordnen. Mit Untertiteln.",
    ),
    (
        "videoberatung-video",
        "Schulungsvideo: Videoberatung vom Warteraum bis zum Gesprächsende",
        "Videoberatung",
        ["Videokommunikation"],
        ["Eingangszone", "Markt und Integration", "U25 / Jugendhaus"],
        1,
        "basic",
        "inhouse",
        "Kurzvideo: Geräte prüfen, Kundin ins Gespräch holen, Gespräch beenden. Mit Untertiteln und Transkript.",
    ),
    (
        "verschluesselte-email-video",
        "Schulungsvideo: E-Mails mit Sozialdaten verschlüsselt senden",
        "Verschlüsselte E-Mail",
        ["Verschlüsselte E-Mail"],
        ALL,
        1,
        "basic",
        "ba",
        "Kurzvideo der BA: In vier Klicks zur verschlüsselten E-Mail über das sichere Postfach.",
    ),
]

IMAGE_TYPES = ("image/webp", "image/jpeg", "image/png")
VIDEO_PARTS = {  # attribute -> (manifest entry, content types)
    "video_file": ("video", ("video/webm", "video/mp4")),
    "poster_file": ("poster", IMAGE_TYPES),
    "captions_file": ("captions", ("text/vtt",)),
}


class _Catalogue:
    """What the loaders share: the editor, the taxonomy and departments by name, and a running publication date."""

    def __init__(self, editor: Person) -> None:
        self.editor = editor
        self.topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
        self.tools = {tool.name: tool for tool in db.session.scalars(select(Tool))}
        self.departments = {department.name: department for department in db.session.scalars(select(Department))}
        self.now = utcnow()
        self.count = 0
        # The demo files are small; the video limit is the one that fits them all.
        self.max_bytes = int(current_app.config["QK_MAX_VIDEO_MB"]) * 1024 * 1024

    def material(
        self,
        kind: str,
        title: str,
        topic: str,
        tool_names: list[str],
        department_names: str | list[str],
        minutes: int,
        level: str,
        source: str,
        summary: str,
        status: str = "published",
    ) -> Material:
        """A new material in the session; published and archived ones get their first version."""
        index, self.count = self.count, self.count + 1
        material = Material(
            kind=kind,
            title=title,
            summary=summary,
            topic=self.topics[topic],
            tools=[self.tools[name] for name in tool_names],
            all_departments=department_names == ALL,
            departments=[] if department_names == ALL else [self.departments[name] for name in department_names],
            duration_minutes=minutes,
            level=level,
            source=source,
            status=status,
            contact_name=self.editor.name,
            contact_email=self.editor.email,
            last_reviewed=berlin_today() - timedelta(days=30 + index * 11 % 400),
            created_by_id=self.editor.id,
        )
        if status != "draft":
            # Spread over the last five months, the first material the oldest.
            published = self.now - timedelta(days=150 - index * 3, hours=index % 7)
            material.published_at = published
            material.versions = [
                MaterialVersion(
                    number=1,
                    change_note="Erste Veröffentlichung",
                    published_at=published,
                    published_by_id=self.editor.id,
                )
            ]
        db.session.add(material)
        return material

    def store(self, name: str, content_types: tuple[str, ...]) -> StoredFile:
        """Keep a file of the demo media in the upload folder, as an upload by the editor."""
        upload = FileStorage(stream=io.BytesIO((MEDIA_DIR / name).read_bytes()), filename=name)
        return files.store(upload, content_types, self.max_bytes, self.editor)


def load_demo_catalogue(editor: Person) -> int:
    """Add the demo materials (topics and tools must exist) with their files; return how many."""
    catalogue = _Catalogue(editor)
    for kind, title, topic, tools, departments, minutes, level, source, status, summary, content in MATERIALS:
        material = catalogue.material(kind, title, topic, tools, departments, minutes, level, source, summary, status)
        material.body = content if kind == "document" else ""
        material.external_url = content if kind == "link" else ""
    media = manifest()
    for key, *fields in GUIDES:
        material = catalogue.material("guide", *fields)
        for position, step in enumerate(media["guides"][key]["steps"], 1):
            left, top, width, height = step["highlight"]
            material.steps.append(
                GuideStep(
                    position=position,
                    instruction=step["instruction"],
                    alt_text=step["alt_text"],
                    image_file=catalogue.store(step["image"], IMAGE_TYPES),
                    highlight_left=left,
                    highlight_top=top,
                    highlight_width=width,
                    highlight_height=height,
                )
            )
    for key, *fields in VIDEOS:
        material = catalogue.material("video", *fields)
        video = media["videos"][key]
        for attribute, (entry, content_types) in VIDEO_PARTS.items():
            setattr(material, attribute, catalogue.store(video[entry], content_types))
        material.transcript = (MEDIA_DIR / video["transcript"]).read_text(encoding="utf-8").strip()
    db.session.flush()
    load_demo_sessions(catalogue)
    return catalogue.count


# (title, topic, tools, departments, minutes, level, source, summary, place, online link,
#  dates as (days from today, start, end, capacity, registrations))
SESSIONS = [
    (
        "Präsenzschulung E-Akte für neue Mitarbeiter:innen",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        180,
        "basic",
        "inhouse",
        "Drei Stunden E-Akte in der Gruppe: Posteingang, Suche und Aktenführung an echten Übungsfällen.",
        "Schulungsraum 2.04, Haus A",
        "",
        [(-14, time(9), time(12), 12, 9), (7, time(9), time(12), 12, 5), (21, time(9), time(12), 12, 1)],
    ),
    (
        "Webinar: Videoberatung in der Praxis",
        "Videoberatung",
        ["Videokommunikation"],
        ["Markt und Integration", "U25 / Jugendhaus"],
        90,
        "basic",
        "inhouse",
        "Erfahrene Kolleginnen zeigen, wie Videoberatungen gelingen; mit Zeit für Ihre Fragen.",
        "",
        "https://video.jobcenter-demo.example/webinar-videoberatung",
        [(3, time(14, 30), time(16), 8, 7), (17, time(14, 30), time(16), 20, 2)],
    ),
    (
        "Präsenzschulung ALLEGRO: Weiterbewilligung kompakt",
        "ALLEGRO",
        ["ALLEGRO", "E-Akte"],
        ["Leistungsgewährung"],
        240,
        "advanced",
        "inhouse",
        "Ein Vormittag mit Übungsfällen: Weiterbewilligung erfassen, Einkommen anrechnen, Bescheid prüfen.",
        "Schulungsraum 1.12, Haus B",
        "",
        [(10, time(8, 30), time(12, 30), 10, 6), (38, time(8, 30), time(12, 30), 10, 0)],
    ),
    (
        "Webinar: jobcenter.digital – Kundinnen und Kunden kompetent beraten",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone", "Leistungsgewährung", "U25 / Jugendhaus"],
        60,
        "basic",
        "inhouse",
        "Was das Serviceportal kann, wie Sie Vorbehalte ausräumen und Kundinnen und Kunden beim Einstieg helfen.",
        "",
        "https://video.jobcenter-demo.example/webinar-jobcenter-digital",
        [(5, time(10), time(11), 25, 12), (26, time(14), time(15), 25, 3)],
    ),
    (
        "Workshop: Datenschutz im Jobcenter-Alltag",
        "Datenschutz",
        [],
        ALL,
        120,
        "basic",
        "inhouse",
        "Fälle aus Eingangszone, Leistung und Vermittlung: Was darf ich sagen, speichern, weitergeben?",
        "Besprechungsraum 3.01, Haus A",
        "",
        [(-7, time(9), time(11), 15, 14), (12, time(9), time(11), 15, 8), (45, time(9), time(11), 15, 0)],
    ),
    (
        "BA-Webinar: Neuerungen in der E-Akte",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        60,
        "basic",
        "ba",
        "Die Bundesagentur für Arbeit stellt die Neuerungen des nächsten E-Akte-Releases vor.",
        "",
        "https://webinare.ba.example/e-akte-neuerungen",
        [(15, time(13), time(14), 100, 18)],
    ),
    (
        "Online-Sprechstunde IT-Sicherheit: Phishing erkennen",
        "IT-Sicherheit",
        ["Verschlüsselte E-Mail"],
        ALL,
        45,
        "basic",
        "inhouse",
        "Eine Mittagspause lang: echte Beispiele gefälschter E-Mails und Ihre Fragen an die IT-Sicherheit.",
        "",
        "https://video.jobcenter-demo.example/sprechstunde-it-sicherheit",
        [
            (8, time(12, 15), time(13), 30, 4),
            (22, time(12, 15), time(13), 30, 0),
            (36, time(12, 15), time(13), 30, 0),
        ],
    ),
    (
        "Präsenzschulung VerBIS für Einsteigerinnen und Einsteiger",
        "VerBIS",
        ["VerBIS"],
        ["Markt und Integration", "Arbeitgeber-Service"],
        180,
        "basic",
        "inhouse",
        "Bewerberprofil, Stellensuche und Beratungsvermerk: die wichtigsten Masken von VerBIS am Übungsfall.",
        "Schulungsraum 2.04, Haus A",
        "",
        [(19, time(9), time(12), 12, 2)],
    ),
]


def _workday(day: date) -> date:
    """The day itself, or the Monday after if it falls on a weekend."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def load_demo_sessions(catalogue: _Catalogue) -> int:
    """Add published sessions with dates around today, some registrations and nearly full dates."""
    people = db.session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.id).limit(20)).all()
    for title, topic, tools, departments, minutes, level, source, summary, place, online_url, dates in SESSIONS:
        material = catalogue.material("session", title, topic, tools, departments, minutes, level, source, summary)
        for days, start, end, capacity, registered in dates:
            day = _workday(berlin_today() + timedelta(days=days))
            material.session_dates.append(
                SessionDate(
                    starts_at=berlin_to_utc(day, start),
                    ends_at=berlin_to_utc(day, end),
                    place=place,
                    online_url=online_url,
                    capacity=capacity,
                    note="Bitte bringen Sie Ihre Zugangsdaten mit." if place else "",
                    registrations=[
                        SessionRegistration(person=person, registered_at=material.published_at)
                        for person in people[:registered]
                    ],
                )
            )
    db.session.flush()
    return len(SESSIONS)
