"""Benchmark data: a Jobcenter organisation of size S, M or XL with its catalogue and five years of completions.

    python bench/generate.py --size M --database-url postgresql+psycopg://postgres@127.0.0.1/qk_bench

The database must be migrated and empty. Everything is drawn from one seeded random generator, so a size and seed
give the same data on SQLite and PostgreSQL. Rows are written in bulk (COPY on PostgreSQL, executemany on SQLite)
with explicit ids; then the search index and the statistics tables are built by the app's own code, and their
build times are reported, since they are benchmark figures themselves.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.schema import AddConstraint, DropConstraint

from quali_kompass import create_app
from quali_kompass.accounts.passwords import hash_password
from quali_kompass.catalogue import search_index
from quali_kompass.catalogue.models import Material, MaterialVersion, Tool, Topic, material_tools
from quali_kompass.curricula.models import Completion, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team, department_heads, team_leads
from quali_kompass.statistics import services as statistics

BENCH_PASSWORD = "Benchmark-Passwort-2026"  # every generated person; the bench logs in with it
YEARS = 5
CHUNK = 50_000


@dataclass(frozen=True)
class Size:
    """The shape of one benchmark organisation."""

    name: str
    people: int
    teams: int
    materials: int
    completions: int
    teams_per_department: int
    # The people of the largest department (the department overview scenario), when the organisation has them.
    big_department: int
    # The people of the last team, which has HUGE_TEAM_ITEMS mandatory items (the 350 x 130 matrix); 0: none.
    huge_team: int = 0

    @property
    def departments(self) -> int:
        return max(1, self.teams // self.teams_per_department)


SIZES = {
    "S": Size("S", people=75, teams=6, materials=2_000, completions=13_500, teams_per_department=3, big_department=0),
    "M": Size("M", 2_200, 180, 5_000, 400_000, teams_per_department=15, big_department=2_000, huge_team=350),
    "XL": Size("XL", 100_000, 8_300, 20_000, 18_000_000, teams_per_department=10, big_department=2_000, huge_team=350),
}

# Mandatory items of an ordinary team: organisation-wide, of its department, of the team itself (12 x 40 matrix).
ORGANISATION_REQUIREMENTS = 20
DEPARTMENT_REQUIREMENTS = 10
TEAM_REQUIREMENTS = 10
# One team has 30 people and 60 items (the 30 x 60 matrix).
WIDE_TEAM_PEOPLE = 30
WIDE_TEAM_EXTRA_REQUIREMENTS = 20
# At M and XL, the last team has 350 people (Size.huge_team) and 130 items: all 100 team requirements of the shared set.
HUGE_TEAM_EXTRA_REQUIREMENTS = 90

TOOLS = [
    "E-Akte",
    "VerBIS",
    "ALLEGRO",
    "ATLAS",
    "COLIBRI",
    "STEP",
    "BEA",
    "JOBBÖRSE",
    "Videoberatung",
    "eAU",
    "Fachverfahren Leistung",
    "Terminverwaltung",
    "Scanstelle",
    "Office",
    "Teams",
    "Postkorb",
    "Kassenverfahren",
    "Datenschutzportal",
    "Wissensdatenbank",
    "Intranet",
]
TOPICS = {
    "Leistung": ["Antrag", "Bescheid", "Widerspruch", "Rückforderung", "Kosten der Unterkunft"],
    "Markt und Integration": ["Beratung", "Vermittlung", "Förderung", "Kooperationsplan", "Arbeitgeberservice"],
    "Eingangszone": ["Empfang", "Terminvergabe", "Postbearbeitung", "Scannen"],
    "Digitale Werkzeuge": ["E-Akte", "Videoberatung", "Bürokommunikation", "Fachverfahren"],
    "Recht und Datenschutz": ["Datenschutz", "Informationssicherheit", "Sozialgeheimnis", "Barrierefreiheit"],
}
# Words of titles and summaries; the first are common (in many materials), the later ones rare (Zipf-like draw).
WORDS = [
    "Grundlagen",
    "Einführung",
    "Anleitung",
    "Übersicht",
    "Schritt",
    "Arbeitshilfe",
    "Praxis",
    "Vertiefung",
    "Bearbeitung",
    "Akte",
    "Dokument",
    "Vorgang",
    "Kundin",
    "Kunde",
    "Termin",
    "Bescheid",
    "Antrag",
    "Prüfung",
    "Leistungsbescheid",
    "Eingliederungsvereinbarung",
    "Kooperationsplan",
    "Weiterbewilligung",
    "Mehrbedarf",
    "Bedarfsgemeinschaft",
    "Einkommensanrechnung",
    "Sanktion",
    "Leistungsminderung",
    "Überzahlung",
    "Erstattung",
    "Zuständigkeit",
    "Ortsabwesenheit",
    "Mitwirkung",
    "Anhörung",
    "Aktenvermerk",
    "Schwärzung",
    "Übergabe",
    "Posteingang",
    "Scanprozess",
    "Vorlagenverwaltung",
    "Serienbrief",
    "Tastenkürzel",
    "Suchfunktion",
    "Wiedervorlage",
    "Fristenkontrolle",
    "Vertretungsregelung",
    "Datenübermittlung",
    "Löschkonzept",
    "Barrierefreiheit",
    "Gesprächsführung",
    "Deeskalation",
    "Dolmetschung",
    "Videotermin",
    "Bildschirmfreigabe",
    "Zahlungsanweisung",
    "Kassenanordnung",
    "Forderungsmanagement",
    "Ratenzahlung",
    "Niederschlagung",
    "Eingliederungszuschuss",
    "Bildungsgutschein",
    "Vermittlungsbudget",
    "Arbeitsgelegenheit",
    "Coaching",
    "Qualitätssicherung",
    "Statistik",
    "Controlling",
    "Zielvereinbarung",
    "Dienstanweisung",
    "Fachliche Weisung",
    "Xylophon",
    "Quittungsbeleg",
    "Zweitbescheid",
    "Mietobergrenze",
    "Heizkostenabrechnung",
    "Nebenkostennachzahlung",
]
KINDS = ["video"] * 3 + ["guide"] * 3 + ["document"] * 2 + ["link"] + ["session"]
FIRST_NAMES = [
    "Anna",
    "Bernd",
    "Carla",
    "Deniz",
    "Elif",
    "Frank",
    "Gül",
    "Hannes",
    "Ilse",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mara",
    "Nils",
    "Olga",
    "Peter",
    "Rüdiger",
    "Sabine",
    "Timo",
    "Ursula",
    "Volker",
    "Wiebke",
    "Yasemin",
    "Zoë",
]
LAST_NAMES = [
    "Bauer",
    "Çelik",
    "Dietrich",
    "Engel",
    "Fischer",
    "Günther",
    "Hoffmann",
    "Jäger",
    "Keller",
    "Lange",
    "Müller",
    "Neumann",
    "Öztürk",
    "Peters",
    "Richter",
    "Schäfer",
    "Schmidt",
    "Schulz",
    "Vogel",
    "Wagner",
    "Weiß",
    "Zimmermann",
]


def kind_of(material: int) -> str:
    """The kind of a material, fixed by its id (requirements and completions depend on it)."""
    return KINDS[(material * 7) % len(KINDS)]


def _words(rng: random.Random, count: int) -> list[str]:
    """Words drawn so that the first of WORDS are common and the last rare."""
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    return rng.choices(WORDS, weights=weights, k=count)


def _insert(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Write rows in bulk: COPY on PostgreSQL, executemany in chunks on SQLite. Returns the number of rows."""
    count = 0
    if connection.dialect.name == "postgresql":
        # Foreign keys are checked once afterwards, by one join each, instead of row by row at the end of the COPY
        # (18 million records: four queued checks each, which took longer than the COPY itself).
        foreign_keys = sorted(table.foreign_key_constraints, key=lambda constraint: constraint.name)
        for constraint in foreign_keys:
            connection.execute(DropConstraint(constraint))
        raw = connection.connection.driver_connection
        names = ", ".join(f'"{column}"' for column in columns)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        for constraint in foreign_keys:
            connection.execute(AddConstraint(constraint))
        return count
    statement = table.insert()
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(dict(zip(columns, row, strict=True)))
        if len(chunk) == CHUNK:
            connection.execute(statement, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        connection.execute(statement, chunk)
        count += len(chunk)
    return count


@dataclass
class Organisation:
    """What later parts of the generation need to know about the organisation."""

    department_of_team: list[int]  # index: team id - 1
    team_of_person: list[int]  # index: person id - 1
    people_of_team: dict[int, list[int]]


def _team_sizes(size: Size, rng: random.Random) -> list[int]:
    """People per team: one wide team (30) first, the huge one (if any) last, the rest spread evenly."""
    wide = min(WIDE_TEAM_PEOPLE, size.people // 2)
    huge = [size.huge_team] if size.huge_team else []
    ordinary = size.teams - 1 - len(huge)
    base, extra = divmod(size.people - wide - sum(huge), ordinary)
    return [wide] + [base + (1 if index < extra else 0) for index in range(ordinary)] + huge


def _department_of_teams(size: Size, team_sizes: list[int]) -> list[int]:
    """Department of each team (1-based): the big department takes teams until it has its people."""
    departments = size.departments
    if not size.big_department or departments == 1:
        return [1 + index % departments for index in range(len(team_sizes))]
    assignment: list[int] = []
    big_people = 0
    for index, people in enumerate(team_sizes):
        if big_people < size.big_department:
            assignment.append(1)
            big_people += people
        else:
            assignment.append(2 + index % (departments - 1))
    return assignment


def generate_organisation(connection: Connection, size: Size, rng: random.Random, password_hash: str) -> Organisation:

    team_sizes = _team_sizes(size, rng)
    department_of_team = _department_of_teams(size, team_sizes)
    _insert(
        connection,
        Department.__table__,
        ("id", "name"),
        ((number, f"Fachbereich {number:04d}") for number in range(1, size.departments + 1)),
    )
    _insert(
        connection,
        Team.__table__,
        ("id", "department_id", "name"),
        ((team, department_of_team[team - 1], f"Team {team:05d}") for team in range(1, size.teams + 1)),
    )
    team_of_person: list[int] = []
    for team, people in enumerate(team_sizes, start=1):
        team_of_person += [team] * people
    people_of_team: dict[int, list[int]] = {}
    for person, team in enumerate(team_of_person, start=1):
        people_of_team.setdefault(team, []).append(person)

    def people() -> Iterator[tuple]:
        for person in range(1, size.people + 1):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            yield (
                person,
                name,
                f"person{person}@jobcenter-bench.de",
                f"P{person:07d}",
                "de",
                True,
                person == 2,
                person == 1,
                False,
                password_hash,
            )

    _insert(
        connection,
        Person.__table__,
        (
            "id",
            "name",
            "email",
            "personnel_number",
            "locale",
            "active",
            "is_editor",
            "is_admin",
            "is_auditor",
            "password_hash",
        ),
        people(),
    )
    started = berlin_today() - timedelta(days=365 * YEARS)
    _insert(
        connection,
        Membership.__table__,
        ("id", "person_id", "team_id", "start_date"),
        ((person, person, team, started) for person, team in enumerate(team_of_person, start=1)),
    )
    # The first person of each team leads it; the first person of each department's first team heads it.
    _insert(
        connection,
        team_leads,
        ("team_id", "person_id"),
        ((team, members[0]) for team, members in people_of_team.items()),
    )
    heads: dict[int, int] = {}
    for team, department in enumerate(department_of_team, start=1):
        heads.setdefault(department, people_of_team[team][0])
    _insert(connection, department_heads, ("department_id", "person_id"), sorted(heads.items()))
    return Organisation(department_of_team, team_of_person, people_of_team)


def generate_catalogue(connection: Connection, size: Size, rng: random.Random, now: datetime) -> None:

    topic_rows: list[tuple[int, str, int | None]] = []
    for main_name, children in TOPICS.items():
        main_id = len(topic_rows) + 1
        topic_rows.append((main_id, main_name, None))
        for child in children:
            topic_rows.append((len(topic_rows) + 1, child, main_id))
    _insert(connection, Topic.__table__, ("id", "name", "parent_id"), topic_rows)
    subtopics = [row[0] for row in topic_rows if row[2] is not None]
    _insert(connection, Tool.__table__, ("id", "name"), ((index, name) for index, name in enumerate(TOOLS, start=1)))

    published = now - timedelta(days=365 * YEARS + 30)

    def materials() -> Iterator[tuple]:
        for material in range(1, size.materials + 1):
            words = _words(rng, 4)
            tool = TOOLS[(material - 1) % len(TOOLS)]
            title = f"{tool}: {words[0]} und {words[1]} ({material})"
            summary = " ".join(_words(rng, 30))
            kind = kind_of(material)
            yield (
                material,
                kind,
                title[:200],
                summary,
                rng.choice([5, 10, 15, 20, 30, 45, 60, 90]),
                rng.choice(["basic", "advanced"]),
                rng.choice(["ba", "inhouse"]),
                "de",
                "published",
                rng.choice(subtopics),
                True,
                published,
                published,
                published,
                f"https://intranet.example/{material}" if kind == "link" else "",
            )

    _insert(
        connection,
        Material.__table__,
        (
            "id",
            "kind",
            "title",
            "summary",
            "duration_minutes",
            "level",
            "source",
            "language",
            "status",
            "topic_id",
            "all_departments",
            "created_at",
            "updated_at",
            "published_at",
            "external_url",
        ),
        materials(),
    )
    _insert(
        connection,
        MaterialVersion.__table__,
        ("id", "material_id", "number", "published_at"),
        ((material, material, 1, published) for material in range(1, size.materials + 1)),
    )
    _insert(
        connection,
        material_tools,
        ("material_id", "tool_id"),
        ((material, (material - 1) % len(TOOLS) + 1) for material in range(1, size.materials + 1)),
    )


@dataclass
class Curriculum:
    organisation: list[int]  # material ids
    of_department: dict[int, list[int]]
    of_team: dict[int, list[int]]


def generate_requirements(
    connection: Connection, size: Size, rng: random.Random, organisation: Organisation, now: datetime
) -> Curriculum:

    # Self-study kinds only: a person can mark them done, as the bench does.
    candidates = [material for material in range(1, size.materials + 1) if kind_of(material) != "session"]
    rng.shuffle(candidates)
    pool = iter(candidates)
    curriculum = Curriculum([next(pool) for _ in range(ORGANISATION_REQUIREMENTS)], {}, {})
    for department in range(1, size.departments + 1):
        curriculum.of_department[department] = [next(pool) for _ in range(DEPARTMENT_REQUIREMENTS)]
    # Team requirements come from a shared set, so that 8,300 teams do not need 83,000 materials.
    shared = [next(pool) for _ in range(TEAM_REQUIREMENTS * 10)]
    for team in range(1, size.teams + 1):
        extra = WIDE_TEAM_EXTRA_REQUIREMENTS if team == 1 else 0
        if size.huge_team and team == size.teams:
            extra = HUGE_TEAM_EXTRA_REQUIREMENTS
        curriculum.of_team[team] = rng.sample(shared, TEAM_REQUIREMENTS + extra)

    effective = (now - timedelta(days=365 * YEARS)).date()

    def requirements() -> Iterator[tuple]:
        number = 0
        for material in curriculum.organisation:
            number += 1
            yield (number, material, "organisation", None, None, effective, now)
        for department, materials in curriculum.of_department.items():
            for material in materials:
                number += 1
                yield (number, material, "department", department, None, effective, now)
        for team, materials in curriculum.of_team.items():
            for material in materials:
                number += 1
                yield (number, material, "team", None, team, effective, now)

    count = _insert(
        connection,
        Requirement.__table__,
        ("id", "material_id", "scope", "department_id", "team_id", "effective_from", "created_at"),
        requirements(),
    )

    def rules() -> Iterator[tuple]:
        for requirement in range(1, count + 1):
            # Every fourth is renewed every 24 months; the rest once.
            renewed = requirement % 4 == 0
            yield (
                requirement,
                requirement,
                effective,
                "days",
                90,
                "months" if renewed else "none",
                24 if renewed else None,
                30,
                now,
            )

    _insert(
        connection,
        RequirementRule.__table__,
        (
            "id",
            "requirement_id",
            "valid_from",
            "due_kind",
            "due_days",
            "recertification",
            "recert_months",
            "renewal_window_days",
            "created_at",
        ),
        rules(),
    )
    return curriculum


def generate_completions(
    connection: Connection,
    size: Size,
    rng: random.Random,
    organisation: Organisation,
    curriculum: Curriculum,
    now: datetime,
) -> int:
    """About ``size.completions`` records over five years: most mandatory items done, plus free learning."""

    today = now.date()
    days = 365 * YEARS
    per_person = size.completions / size.people

    def completions() -> Iterator[tuple]:
        number = 0
        for person, team in enumerate(organisation.team_of_person, start=1):
            department = organisation.department_of_team[team - 1]
            mandatory = curriculum.organisation + curriculum.of_department[department] + curriculum.of_team[team]
            # 80% of the mandatory items done (some more than once over the years), the rest free choice.
            done = [material for material in mandatory if rng.random() < 0.8]
            target = max(len(done), round(rng.gauss(per_person, per_person / 5)))
            seen: set[tuple[int, int]] = set()
            picks = done + [rng.randint(1, size.materials) for _ in range(target - len(done))]
            for material in picks:
                ago = rng.randrange(days)
                if (material, ago) in seen:
                    continue
                seen.add((material, ago))
                number += 1
                day = today - timedelta(days=ago)
                recorded = datetime.combine(day, day_time(9, 0), UTC)
                method = "attendance" if kind_of(material) == "session" else "self"
                yield (number, person, material, material, day, method, recorded, person)

    return _insert(
        connection,
        Completion.__table__,
        (
            "id",
            "person_id",
            "material_id",
            "material_version_id",
            "completed_on",
            "method",
            "recorded_at",
            "recorded_by_id",
        ),
        completions(),
    )


def _reset_sequences(connection: Connection) -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must continue after the largest id."""
    if connection.dialect.name != "postgresql":
        return

    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def generate(database_url: str, size: Size, seed: int = 1) -> dict[str, Any]:
    """Fill the empty, migrated database at ``database_url``; returns counts and build times."""

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    # One hash for everyone: at production cost, hashing 100,000 passwords would take hours.
    password_hash = hash_password(BENCH_PASSWORD)
    timings: dict[str, float] = {}
    with app.app_context():
        connection = db.session.connection()
        if connection.execute(text("SELECT count(*) FROM person")).scalar():
            raise SystemExit("the database is not empty")
        started = time.perf_counter()
        organisation = generate_organisation(connection, size, rng, password_hash)
        generate_catalogue(connection, size, rng, now)
        curriculum = generate_requirements(connection, size, rng, organisation, now)
        completions = generate_completions(connection, size, rng, organisation, curriculum, now)
        _reset_sequences(connection)
        db.session.commit()
        timings["rows_s"] = time.perf_counter() - started

        started = time.perf_counter()
        search_index.rebuild(db.session)
        db.session.commit()
        timings["search_index_s"] = time.perf_counter() - started

        started = time.perf_counter()
        statistics.rebuild(berlin_today(), 12)  # the app's day, as the daily job's
        db.session.commit()
        timings["statistics_rebuild_s"] = time.perf_counter() - started

        # What the daily repair job (`flask statistics-rebuild`) does: usage and today's snapshot of every team.
        started = time.perf_counter()
        statistics.rebuild(berlin_today())
        db.session.commit()
        timings["statistics_repair_s"] = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return {
        "size": asdict(size),
        "seed": seed,
        "departments": size.departments,
        "completions": completions,
        "timings": {key: round(value, 2) for key, value in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="S")
    parser.add_argument("--database-url", required=True, help="a migrated, empty database")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.database_url, SIZES[args.size], args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
