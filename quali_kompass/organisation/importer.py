"""The import of the organisation from an HR export (CSV): read, check, and bring the database in line with it.

``run_import`` checks the whole file first; only a file without errors is written. Departments, teams, leads and
activation changes go through the organisation services; people are created, changed and moved in bulk with the
same audit entries the services write (see ``_Import._create``). ``preview_import`` runs the same import inside a
SAVEPOINT and rolls it back, so that the preview shows exactly what the confirmation will do. Neither commits.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from email_validator import EmailNotValidError, validate_email
from email_validator.syntax import validate_email_local_part
from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from quali_kompass.audit.services import record, record_many
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation import services
from quali_kompass.organisation.models import Department, Membership, OrgImport, Person, Team

# Accepted header names, compared after _header_key (lower case, umlauts spelled out, only letters and digits).
COLUMNS: dict[str, tuple[str, ...]] = {
    "personnel_number": ("personalnummer", "personalnr", "persnr", "personnelnumber", "employeenumber", "employeeid"),
    "name": ("name", "vollstaendigername", "fullname"),
    "email": ("email", "mail", "emailadresse", "emailaddress", "mailadresse"),
    "department": ("fachbereich", "department", "bereich"),
    "team": ("team",),
    "lead_email": ("fuehrungskraftemail", "fuhrungskraftemail", "fuehrungskraftmail", "leademail"),
    "active": ("aktiv", "active"),
}
REQUIRED = ("name", "email", "department", "team")
ACTIVE_VALUES = {
    "": True,
    "ja": True,
    "1": True,
    "true": True,
    "x": True,
    "aktiv": True,
    "yes": True,
    "nein": False,
    "0": False,
    "false": False,
    "inaktiv": False,
    "no": False,
}
MAX_LENGTHS = {"name": 200, "email": 254, "personnel_number": 40, "department": 120, "team": 120}
CHANGES_SHOWN = 200
_CHUNK = 500


def column_title(key: str) -> str:
    """The German column name, as the format description shows it."""
    return {
        "personnel_number": _("Personalnummer"),
        "name": _("Name"),
        "email": _("E-Mail"),
        "department": _("Fachbereich"),
        "team": _("Team"),
        "lead_email": _("Führungskraft E-Mail"),
        "active": _("Aktiv"),
    }[key]


# Results ----------------------------------------------------------------------------------------------
@dataclass
class LineError:
    """A problem of one line (``line``) or of the whole file (``line`` is None); ``text`` is ready to show."""

    line: int | None
    text: str


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "departments_created",
                "teams_created",
                "created",
                "updated",
                "unchanged",
                "deactivated",
                "leads_added",
                "leads_removed",
            ),
            0,
        )
    )
    new_departments: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    # One entry per person: {"kind", "name", "email", "line", "details": [[field, old, new], ...]}
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return any(value for key, value in self.counts.items() if key != "unchanged")

    def summary(self) -> dict[str, Any]:
        """What is kept with the import record after it has been applied."""
        return {
            "rows": self.rows,
            "counts": dict(self.counts),
            "new_departments": self.new_departments,
            "new_teams": self.new_teams,
            "changes": self.changes[:CHANGES_SHOWN],
            "changes_total": len(self.changes),
        }


@dataclass
class Row:
    line: int
    name: str
    email: str
    department: str
    team: str
    personnel_number: str | None = None
    lead_email: str | None = None
    active: bool = True

    @property
    def team_key(self) -> tuple[str, str]:
        return self.department.lower(), self.team.lower()


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    # E-mail addresses of every line with a readable address, also of lines with other errors.
    emails: dict[str, int] = field(default_factory=dict)


# Reading the file --------------------------------------------------------------------------------------
def decode(content: bytes) -> str | None:
    """The text of the file: UTF-8 (with or without BOM), else Windows-1252; None if it is no text file."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return None


MAX_EMAIL_LENGTH = 254  # RFC 5321, as email_validator checks it


def _header_key(cell: str) -> str:
    value = cell.strip().lstrip("\ufeff").lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        value = value.replace(umlaut, spelled)
    return re.sub(r"[^a-z0-9]", "", value)


_ALIASES = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}


def _clean(value: str) -> str:
    return " ".join(value.split())


def _valid_email(value: str) -> bool:
    """Whether an address is valid as email_validator judges it (without asking DNS). Its check of the domain costs
    a tenth of a millisecond, and an HR file has 10,000 addresses at a handful of domains: the domain is checked
    once per domain, the part before the @ per address."""
    local, at, domain = value.rpartition("@")
    if not at or len(value) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email_local_part(local, allow_smtputf8=True)
    except EmailNotValidError:
        return False
    return _valid_domain(domain)


@lru_cache(maxsize=256)
def _valid_domain(domain: str) -> bool:
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def parse(content: bytes) -> Parsed:
    """Read and check the file on its own, without the database."""
    parsed = Parsed()

    def file_error(text: str) -> Parsed:
        parsed.errors.append(LineError(None, text))
        return parsed

    if not content.strip():
        return file_error(_("Die Datei ist leer."))
    if _cut_in_a_character(content):
        return file_error(
            _(
                "Die Datei endet mitten in einem Zeichen, sie ist also unvollständig. "
                "Bitte exportieren Sie die Datei noch einmal und laden Sie sie erneut hoch."
            )
        )
    text = decode(content)
    if text is None:
        return file_error(
            _(
                "Die Datei ist keine lesbare CSV-Datei. Bitte speichern Sie die Tabelle als "
                "„CSV (Trennzeichen-getrennt)“ in UTF-8 oder Windows-1252."
            )
        )
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(_records(reader))
    except csv.Error as error:
        if "field limit" in str(error):
            return file_error(
                _(
                    "Zeile %(line)d enthält einen Wert mit mehr als %(max)d Zeichen. Bitte prüfen Sie, ob das "
                    "die CSV-Datei aus dem Personalsystem ist.",
                    line=reader.line_num,
                    max=csv.field_size_limit(),
                )
            )
        return file_error(
            _(
                "Die Datei konnte ab Zeile %(line)d nicht gelesen werden. Bitte prüfen Sie die Anführungszeichen.",
                line=reader.line_num,
            )
        )
    if not records:
        return file_error(_("Die Datei ist leer."))
    if (open_quote := _unclosed_quote_line(text, delimiter)) is not None:
        return file_error(
            _(
                "In Zeile %(line)d wird ein Anführungszeichen nicht geschlossen; vielleicht ist die Datei "
                "unvollständig. Bitte prüfen Sie die Datei oder exportieren Sie sie noch einmal.",
                line=open_quote,
            )
        )
    header_line, header = records[0]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _ALIASES.get(_header_key(cell))
        if key is None:
            if cell.strip():
                parsed.notes.append(_("Die Spalte „%(name)s“ wird nicht berücksichtigt.", name=cell.strip()))
            continue
        if key in columns:
            return file_error(
                _(
                    "Die Spalte „%(name)s“ steht zweimal in der Kopfzeile. Bitte lassen Sie nur eine davon stehen.",
                    name=column_title(key),
                )
            )
        columns[key] = index
    missing = [column_title(key) for key in REQUIRED if key not in columns]
    if missing:
        found = ", ".join(f"„{cell.strip()}“" for cell in header if cell.strip()) or _("keine")
        return file_error(
            _(
                "In der Kopfzeile (Zeile %(line)d) fehlen diese Pflichtspalten: %(missing)s. "
                "Gefunden wurden: %(found)s. Trennzeichen ist das Semikolon oder das Komma.",
                line=header_line,
                missing=", ".join(missing),
                found=found,
            )
        )
    parsed.columns = set(columns)
    numbers: dict[str, int] = {}
    for line, cells in records[1:]:
        row = _row(parsed, line, cells, columns, len(header), numbers)
        if row is not None:
            parsed.rows.append(row)
    if not records[1:]:
        return file_error(_("Die Datei enthält nur die Kopfzeile und keine Personen."))
    return parsed


def _cut_in_a_character(content: bytes) -> bool:
    """True for UTF-8 text that ends inside a character: a file cut off while it was written or sent."""
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return error.reason == "unexpected end of data"
    return False


def _unclosed_quote_line(text: str, delimiter: str) -> int | None:
    """The line where reading fails if quotation marks must pair up; None if they do.

    The lenient reader takes a value still open at the end of the file as it is, which would import a cut-off
    file. An even number of quotation marks cannot leave one open, so only other files are read a second time.
    """
    if text.count('"') % 2 == 0:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for _cells in reader:
            pass
    except csv.Error:
        return reader.line_num
    return None


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-empty records with the number of the line they start on (the header is line 1)."""
    previous_end = 0
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def _row(
    parsed: Parsed, line: int, cells: list[str], columns: dict[str, int], width: int, numbers: dict[str, int]
) -> Row | None:
    errors: list[str] = []
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        errors.append(
            _(
                "Die Zeile hat mehr Spalten (%(found)d) als die Kopfzeile (%(expected)d). Steht ein Trennzeichen in "
                "einem Wert? Dann setzen Sie den Wert bitte in Anführungszeichen.",
                found=len(cells),
                expected=width,
            )
        )

    def value(key: str) -> str:
        index = columns.get(key)
        return _clean(cells[index]) if index is not None and index < len(cells) else ""

    name, email, department, team = value("name"), value("email").lower(), value("department"), value("team")
    number, lead, active_text = value("personnel_number") or None, value("lead_email").lower(), value("active")

    if not name:
        errors.append(_("Der Name fehlt."))
    if not email:
        errors.append(_("Die E-Mail-Adresse fehlt."))
    elif not _valid_email(email):
        errors.append(_("Die E-Mail-Adresse „%(value)s“ ist ungültig.", value=email))
    elif email in parsed.emails:
        errors.append(
            _("Die E-Mail-Adresse „%(value)s“ steht schon in Zeile %(other)d.", value=email, other=parsed.emails[email])
        )
    else:
        parsed.emails[email] = line
    if number is not None:
        if number in numbers:
            errors.append(
                _("Die Personalnummer „%(value)s“ steht schon in Zeile %(other)d.", value=number, other=numbers[number])
            )
        else:
            numbers[number] = line
    if not department and not team:
        errors.append(_("Fachbereich und Team fehlen."))
    elif not department:
        errors.append(_("Der Fachbereich fehlt."))
    elif not team:
        errors.append(_("Das Team fehlt."))
    for key, text in (
        ("name", name),
        ("email", email),
        ("personnel_number", number or ""),
        ("department", department),
        ("team", team),
    ):
        if len(text) > MAX_LENGTHS[key]:
            errors.append(
                _(
                    "Der Wert in der Spalte %(column)s ist zu lang (höchstens %(max)d Zeichen).",
                    column=column_title(key),
                    max=MAX_LENGTHS[key],
                )
            )
    active = ACTIVE_VALUES.get(active_text.lower())
    if active is None:
        errors.append(
            _(
                "Den Wert „%(value)s“ in der Spalte Aktiv kennt das Programm nicht. Erlaubt sind ja oder nein "
                "(auch 1 oder 0, x, aktiv oder inaktiv; leer bedeutet aktiv).",
                value=active_text,
            )
        )
    if lead and not _valid_email(lead):
        errors.append(_("Die E-Mail-Adresse der Führungskraft „%(value)s“ ist ungültig.", value=lead))

    for message in errors:
        parsed.errors.append(LineError(line, _line_text(line, message)))
    if errors:
        return None
    return Row(line, name, email, department, team, number, lead or None, bool(active))


def _line_text(line: int, message: str) -> str:
    return _("Zeile %(line)d: %(message)s", line=line, message=message)


# Checking against the database and applying ---------------------------------------------------------------
def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class _Import:
    def __init__(self, parsed: Parsed, *, deactivate_missing: bool, actor: Person | None) -> None:
        self.parsed = parsed
        self.rows = parsed.rows
        self.deactivate_missing = deactivate_missing
        self.actor = actor
        self.result = ImportResult(rows=len(parsed.rows), errors=list(parsed.errors), notes=list(parsed.notes))
        self.matches: dict[int, Person | None] = {}  # line -> the person the line updates (None: a new person)
        self.to_deactivate: list[Person] = []
        self.changes: dict[Person, dict[str, Any]] = {}

    # Loading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        teams = db.session.scalars(select(Team).options(joinedload(Team.department), selectinload(Team.leads)))
        self.teams = {(team.department_id, team.name.lower()): team for team in teams}
        self.departments = {d.name.lower(): d for d in db.session.scalars(select(Department))}
        emails = {row.email for row in self.rows} | {row.lead_email for row in self.rows if row.lead_email}
        numbers = {row.personnel_number for row in self.rows if row.personnel_number}
        options = selectinload(Person.memberships).joinedload(Membership.team).joinedload(Team.department)
        people: dict[int, Person] = {}
        for column, values in ((Person.email, emails), (Person.personnel_number, numbers)):
            for chunk in _chunks(sorted(values)):
                for person in db.session.scalars(select(Person).where(column.in_(chunk)).options(options)):
                    people[person.id] = person
        self.by_email = {person.email: person for person in people.values()}
        self.by_number = {person.personnel_number: person for person in people.values() if person.personnel_number}

    # Checking --------------------------------------------------------------------------------------
    def error(self, line: int | None, message: str) -> None:
        self.result.errors.append(LineError(line, _line_text(line, message) if line else message))

    def check(self) -> None:
        matched: dict[int, int] = {}  # person id -> line
        for row in self.rows:
            person = self._match(row)
            if person is None:
                self.matches[row.line] = None
                continue
            if person.id in matched:
                self.error(
                    row.line,
                    _(
                        "Diese Zeile betrifft dieselbe Person wie Zeile %(other)d (%(name)s).",
                        other=matched[person.id],
                        name=person.name,
                    ),
                )
                continue
            matched[person.id] = row.line
            self.matches[row.line] = person
            if self.actor is not None and person.id == self.actor.id and not row.active:
                self.error(row.line, _("Sie können sich nicht selbst deaktivieren."))
        if self.deactivate_missing:
            spared = {self.actor.id} if self.actor is not None else set()
            candidates = db.session.scalars(
                select(Person).where(Person.active.is_(True), Person.is_admin.is_(False)).order_by(Person.name)
            )
            self.to_deactivate = [p for p in candidates if p.id not in matched and p.id not in spared]
        leaving = {person.id for person in self.to_deactivate}
        leaving |= {person.id for row in self.rows if (person := self.matches.get(row.line)) and not row.active}
        rows_by_email = {row.email: row for row in self.rows}
        for row in self.rows:
            if row.lead_email and row.active:  # the lead of someone who has left does not matter
                self._check_lead(row, rows_by_email, leaving)
        self.result.errors.sort(key=lambda error: error.line or 0)

    def _match(self, row: Row) -> Person | None:
        """The person a line updates: by personnel number, else by e-mail address."""
        by_number = self.by_number.get(row.personnel_number) if row.personnel_number else None
        owner = self.by_email.get(row.email)
        if by_number is not None:
            if owner is not None and owner is not by_number:
                self.error(
                    row.line,
                    _(
                        "Die E-Mail-Adresse „%(email)s“ gehört bereits zu %(name)s, die Personalnummer „%(number)s“ "
                        "aber zu %(other)s. Falls Adressen getauscht wurden, ändern Sie bitte zuerst eine davon "
                        "von Hand.",
                        email=row.email,
                        name=owner.name,
                        number=row.personnel_number,
                        other=by_number.name,
                    ),
                )
            return by_number
        if owner is not None and row.personnel_number and owner.personnel_number:
            self.error(
                row.line,
                _(
                    "Die E-Mail-Adresse „%(email)s“ gehört zu %(name)s mit der Personalnummer „%(number)s“; "
                    "in der Datei steht „%(file_number)s“.",
                    email=row.email,
                    name=owner.name,
                    number=owner.personnel_number,
                    file_number=row.personnel_number,
                ),
            )
        return owner

    def _check_lead(self, row: Row, rows_by_email: dict[str, Row], leaving: set[int]) -> None:
        lead = row.lead_email
        lead_row = rows_by_email.get(lead)
        if lead_row is None and lead in self.parsed.emails:
            return  # that line has errors of its own
        if lead_row is not None:
            if not lead_row.active:
                self.error(
                    row.line,
                    _(
                        "Die Führungskraft „%(email)s“ ist in Zeile %(other)d als inaktiv angegeben.",
                        email=lead,
                        other=lead_row.line,
                    ),
                )
            return
        person = self.by_email.get(lead)
        if person is None:
            self.error(
                row.line,
                _(
                    "Die Führungskraft „%(email)s“ gibt es weder in der Datei noch im Quali-Kompass. "
                    "Bitte nehmen Sie sie mit einer eigenen Zeile in die Datei auf.",
                    email=lead,
                ),
            )
        elif not person.active:
            self.error(row.line, _("Die Führungskraft „%(email)s“ ist deaktiviert.", email=lead))
        elif person.id in leaving:
            self.error(row.line, _("Die Führungskraft „%(email)s“ würde mit diesem Import deaktiviert.", email=lead))

    # Applying --------------------------------------------------------------------------------------
    def apply(self) -> None:
        today = berlin_today()
        counts = self.result.counts
        row_team = {row.line: self._team(row) for row in self.rows}
        row_person: dict[int, Person] = {}
        moves: list[tuple[Person, Team]] = []
        try:
            for row in self.rows:
                person = self.matches[row.line]
                if person is not None:
                    counts[self._update(person, row, row_team[row.line], moves)] += 1
                    row_person[row.line] = person
            new_rows = [row for row in self.rows if self.matches[row.line] is None]
            row_person.update(self._create(new_rows, row_team, moves))
            counts["created"] += len(new_rows)
            self._move(moves, today)
            for person in self.to_deactivate:
                services.set_active(person, False)
                self._change(person, "deactivated", None).append(["active", True, False])
                counts["deactivated"] += 1
        except ServiceError as error:  # e.g. the last active admin; the caller rolls back
            self.error(None, error.message)
            return
        self._apply_leads(row_person, row_team)
        order = {"created": 0, "updated": 1, "deactivated": 2, "leads": 3}
        self.result.changes = sorted(
            self.changes.values(), key=lambda c: (c["line"] is None, c["line"] or 0, order[c["kind"]], c["name"])
        )

    def _department(self, name: str) -> Department:
        department = self.departments.get(name.lower())
        if department is None:
            department = services.save_department(None, name)
            set_committed_value(department, "teams", [])
            self.departments[name.lower()] = department
            self.result.counts["departments_created"] += 1
            self.result.new_departments.append(name)
        return department

    def _team(self, row: Row) -> Team:
        department = self._department(row.department)
        key = (department.id, row.team.lower())
        team = self.teams.get(key)
        if team is None:
            team = services.save_team(None, row.team, department)
            set_committed_value(team, "leads", [])
            self.teams[key] = team
            self.result.counts["teams_created"] += 1
            self.result.new_teams.append(team.label)
        return team

    def _change(self, person: Person, kind: str, line: int | None) -> list[list[Any]]:
        entry = self.changes.get(person)
        if entry is None:
            entry = {"kind": kind, "name": person.name, "email": person.email, "line": line, "details": []}
            self.changes[person] = entry
        return entry["details"]

    # People are written in bulk: the services flush once per change, which takes minutes for a
    # Jobcenter of 2,000 people. Uniqueness was checked for the whole file in ``check``; the audit
    # entries are the ones the services write (person_created, person_changed, person_moved).
    # Activation changes go through ``services.set_active``, which also ends login sessions.
    def _create(
        self, rows: list[Row], row_team: dict[int, Team], moves: list[tuple[Person, Team]]
    ) -> dict[int, Person]:
        values = [
            {
                "name": row.name,
                "email": row.email,
                "personnel_number": row.personnel_number,
                "active": row.active,
                "locale": "de",
            }
            for row in rows
        ]
        created = (
            db.session.scalars(insert(Person).returning(Person, sort_by_parameter_order=True), values).all()
            if values
            else []
        )
        people = {row.line: person for row, person in zip(rows, created, strict=True)}
        for row in rows:
            person = people[row.line]
            set_committed_value(person, "memberships", [])
            moves.append((person, row_team[row.line]))
            details = self._change(person, "created", row.line)
            details.append(["team", None, row_team[row.line].label])
            if not row.active:
                details.append(["active", None, False])
        record_many("person_created", ((person, {}) for person in created))
        return people

    def _update(self, person: Person, row: Row, team: Team, moves: list[tuple[Person, Team]]) -> str:
        details: list[list[Any]] = []
        wanted = {"name": row.name, "email": row.email}
        if row.personnel_number:  # an empty cell never removes a personnel number
            wanted["personnel_number"] = row.personnel_number
        changes = {key: (getattr(person, key), value) for key, value in wanted.items() if getattr(person, key) != value}
        for key, (old, new) in changes.items():
            setattr(person, key, new)
            details.append([key, old, new])
        if changes:
            record("person_changed", person, **changes)
        was_active = person.active
        if was_active != row.active:
            services.set_active(person, row.active)
            details.append(["active", was_active, row.active])
        current = person.current_team
        if current is None or current.id != team.id:
            moves.append((person, team))
            details.append(["team", current.label if current else None, team.label])
        if not details:
            return "unchanged"
        kind = "deactivated" if was_active and not row.active else "updated"
        self._change(person, kind, row.line).extend(details)
        return kind

    def _move(self, moves: list[tuple[Person, Team]], today: date) -> None:
        """Move people to their new teams from today, as ``services.move_person`` does: the memberships that end
        are flushed first, then the new ones are inserted in one statement."""
        opened: list[tuple[Person, Team]] = []
        moved: list[tuple[Person, dict[str, Any]]] = []
        for person, team in moves:
            current = person.current_membership
            previous = current.team.name if current else None
            if current is not None and current.start_date >= today:
                current.team = team  # began today: correct it rather than add a membership of no days
            else:
                if current is not None:
                    current.end_date = today - timedelta(days=1)
                opened.append((person, team))
            moved.append((person, {"from_team": previous, "to_team": team.name, "on": today.isoformat()}))
        db.session.flush()  # the open memberships must close before the next ones open
        if opened:
            rows = [{"person_id": person.id, "team_id": team.id, "start_date": today} for person, team in opened]
            db.session.execute(insert(Membership), rows)
            for person, _ in opened:
                db.session.expire(person, ["memberships"])  # read afresh if anyone asks
        record_many("person_moved", moved)

    def _apply_leads(self, row_person: dict[int, Person], row_team: dict[int, Team]) -> None:
        """Each team named in the file with at least one lead gets exactly the leads the file names."""
        rows = [row for row in self.rows if row.lead_email and row.active]
        named: dict[tuple[str, str], set[str]] = {}
        for row in rows:
            named.setdefault(row.team_key, set()).add(row.lead_email)
        person_by_email = {row.email: row_person[row.line] for row in self.rows}
        wanted: dict[Team, list[Person]] = {}
        for row in rows:
            lead = row.lead_email
            # A lead's own line names their superior, not a lead of the team they lead themselves.
            if lead != row.email and row.email in named[row.team_key]:
                continue
            person = person_by_email.get(lead) or self.by_email[lead]
            leads = wanted.setdefault(row_team[row.line], [])
            if person not in leads:
                leads.append(person)
        counts = self.result.counts
        for team, leads in wanted.items():
            for person in leads:
                if person not in team.leads:
                    services.add_team_lead(team, person)
                    self._change(person, "leads", None).append(["lead_added", None, team.label])
                    counts["leads_added"] += 1
            for person in [p for p in team.leads if p not in leads]:
                services.remove_team_lead(team, person)
                self._change(person, "leads", None).append(["lead_removed", team.label, None])
                counts["leads_removed"] += 1


# Any fixed number: the key of the PostgreSQL advisory lock that lets one import at a time read and write.
IMPORT_LOCK_KEY = 7_305_001


def _serialise_imports() -> None:
    """Wait until no other import's transaction is open, then read everything afresh.

    Two imports at once would each check the file against the organisation as it was before the other, and the
    result would match neither order (one moves a person back that the other has just moved). On PostgreSQL a
    transaction-scoped advisory lock makes the second wait for the first's commit or rollback; SQLite lets only one
    writer in anyway. Objects loaded before the lock may be stale, so they are expired.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.flush()
    db.session.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK_KEY)))
    db.session.expire_all()


def run_import(content: bytes, *, deactivate_missing: bool = False, actor: Person | None = None) -> ImportResult:
    """Check the file and, if it has no errors, apply it (flushed, not committed).

    On a result with errors the caller must roll back: an error found while applying (for example the
    last admin) can follow changes already flushed.
    """
    parsed = parse(content)
    runner = _Import(parsed, deactivate_missing=deactivate_missing, actor=actor)
    if parsed.errors and not parsed.rows:
        return runner.result
    _serialise_imports()
    with db.session.no_autoflush:
        runner.load()
    runner.check()
    if runner.result.errors:
        return runner.result
    runner.apply()
    return runner.result


def preview_import(content: bytes, *, deactivate_missing: bool = False, actor: Person | None = None) -> ImportResult:
    """Run the import inside a SAVEPOINT and roll it back: what the confirmation would do, without writing."""
    nested = db.session.begin_nested()
    try:
        return run_import(content, deactivate_missing=deactivate_missing, actor=actor)
    finally:
        nested.rollback()


def apply_upload(upload: OrgImport, actor: Person | None) -> ImportResult:
    """Apply a stored upload and write the ``org_import_applied`` entry; the caller commits or rolls back."""
    result = run_import(upload.content, deactivate_missing=upload.deactivate_missing, actor=actor)
    if result.valid:
        record(
            "org_import_applied",
            upload,
            actor=actor,
            label=upload.filename,
            rows=result.rows,
            deactivate_missing=upload.deactivate_missing,
            **result.counts,
        )
    return result
