"""German full-text search of the catalogue: the analyser, a fixed query set over a corpus, highlighting, the page,
and an index that follows every change.

The suite runs on SQLite and on PostgreSQL with the same expectations, so the fixed query set proves that both
databases give the same results in the same order.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text
from werkzeug.datastructures import MultiDict

from quali_kompass import create_app
from quali_kompass.catalogue import search, search_index, services, taxonomy
from quali_kompass.catalogue.models import GuideStep, Material, SearchPosting, SearchTerm, Tool, Topic
from quali_kompass.catalogue.queries import CatalogueFilters
from quali_kompass.catalogue.search_analysis import (
    STOP_WORDS,
    collapse,
    compound_tail,
    document_scores,
    fold,
    query_tokens,
    stem,
    terms,
)
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.conftest import POSTGRES_URL, build_org, login, own_postgres_database, test_config, upgrade_database
from tests.factories import MaterialFactory, ToolFactory, TopicFactory
from tests.search_corpus import load_corpus

CARD = re.compile(r'<h2 class="kern-heading-small"><a class="kern-link" href="/katalog/(\d+)">(.*?)</a></h2>', re.S)


def result_ids(page: str) -> list[int]:
    return [int(material_id) for material_id, _ in CARD.findall(page)]


# The analyser -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Übersicht", "uebersicht"),
        ("ÄÖÜäöü", "aeoeueaeoeue"),
        ("Café", "cafe"),
        ("ﬁnden", "finden"),  # NFKC: the ligature becomes two letters
        ("Mitarbeiter:innen", "mitarbeiter"),
        ("Kolleg*innen", "kolleg"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "spellings",
    [
        ("Schulung", "Schulungen", "SCHULUNGEN"),
        ("Übersicht", "Uebersicht", "Ubersicht", "übersichten"),
        ("Straße", "Strasse", "STRASSE"),
        ("Akte", "Akten"),
        ("Bescheid", "Bescheide", "Bescheides"),
        ("verschlüsselt", "verschluesselt", "verschlüsselte"),
    ],
)
def test_spellings_of_a_word_share_one_stem(spellings: tuple[str, ...]) -> None:
    assert len({stem(fold(word)) for word in spellings}) == 1, [stem(fold(word)) for word in spellings]


def test_stop_words_are_left_out() -> None:
    assert {"und", "der", "die", "fuer", "ueber", "dass"} <= STOP_WORDS
    assert list(terms("Die Schulung und der Bescheid für alle")) == ["schulung", "bescheid"]
    assert query_tokens("und oder die für über", 8) == []


def test_terms_of_hyphenated_words_and_numbers() -> None:
    assert list(terms("E-Akte")) == ["akt", "eakt"]  # the single letter alone is no term, the whole word is
    assert list(terms("Datenschutz-Schulung 2026")) == ["datenschutz", "schulung", "datenschutzschul", "2026"]
    assert list(terms("x" * 65 + " kurz")) == ["kurz"]  # overlong "words" are no terms


def test_compound_tail_is_the_stem_at_the_end_of_a_compound() -> None:
    assert stem("datenschutzschulung") == "datenschutzschul"
    assert compound_tail("schulung") == "schul"
    assert compound_tail("akte") == ""  # too short: it would find "Kontakt"


def test_query_tokens() -> None:
    (schulungen,) = query_tokens("Schulungen", 8)
    assert (schulungen.stem, schulungen.prefix, schulungen.tail) == ("schulung", "schulung", "schul")
    assert schulungen.match_kind("schulung") == "exact"
    assert schulungen.match_kind("schulungsplan") == "prefix"
    assert schulungen.match_kind("datenschutzschul") == "compound"
    assert schulungen.match_kind("schul") is None  # "Schule" is no compound of "Schulung"
    (datens,) = query_tokens("Datens", 8)
    assert datens.prefix == "datens" and datens.match_kind("datenschutz") == "prefix"
    (akten,) = query_tokens("Akten", 8)
    assert akten.match_kind("aktuell") is None and akten.match_kind("aktenzeich") == "prefix"
    assert [token.stem for token in query_tokens("Schulung schulungen SCHULUNG Akte", 8)] == ["schulung", "akt"]
    assert len(query_tokens(" ".join(f"wort{number}" for number in range(20)), 8)) == 8
    assert collapse("uebersicht") == "ubersicht" and collapse("quelle") == "quelle"


def test_document_scores_weigh_fields_and_cap_repetitions() -> None:
    scores = document_scores([(100, "Bescheid"), (10, "Bescheid " * 10), (10, "")])
    assert scores == {"bescheid": 100 + 10 * 3}


def test_search_field_of_the_filters() -> None:
    def args(**values: str) -> MultiDict:
        return MultiDict(values)

    filters = CatalogueFilters.from_args(args(suche="  Daten\x00schutz \u00ad  Akte\t ", sortierung="titel"))
    assert filters.suche == "Daten schutz Akte" and filters.sortierung == "titel"
    assert CatalogueFilters.from_args(args(suche="x")).sortierung == "relevanz"
    assert CatalogueFilters.from_args(args(sortierung="relevanz")).sortierung == "neueste"  # nothing to rank
    assert len(CatalogueFilters.from_args(args(suche="a" * 5000)).suche) == 200
    assert CatalogueFilters.from_args(args(suche="x", art="video")).url_args() == {"suche": "x", "art": "video"}
    assert CatalogueFilters.from_args(args(suche="x", sortierung="neueste")).url_args()["sortierung"] == "neueste"


# The corpus: one database for the whole module, read only -------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_database(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database of this module's own (the other tests empty theirs after each test)."""
    if POSTGRES_URL:
        with own_postgres_database("search") as url:
            upgrade_database(url)
            yield url
        return
    template = request.getfixturevalue("migrated_database")
    path = tmp_path_factory.mktemp("search") / "corpus.sqlite"
    shutil.copy(template, path)
    yield f"sqlite:///{path}"


@pytest.fixture(scope="module")
def corpus_app(corpus_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(test_config(corpus_database, QK_UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads"))))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def corpus(corpus_app: Flask) -> SimpleNamespace:
    """The corpus of tests/search_corpus.py, loaded and indexed in one transaction, and an organisation."""
    org = build_org(corpus_app)
    with corpus_app.app_context():
        loaded = load_corpus()
    loaded.org = org
    return loaded


@pytest.fixture(scope="module")
def reader(corpus_app: Flask, corpus: SimpleNamespace) -> FlaskClient:
    client = corpus_app.test_client()
    login(client, corpus.org.employee.email)
    return client


def expected_ids(corpus: SimpleNamespace, keys: list[str | tuple]) -> list[int]:
    return [corpus.items[key] if isinstance(key, str) else corpus.generated[key] for key in keys]


MAIL = "verschlüsselte E-Mail"
VIDEO = "Videokommunikation"

# (query, more URL arguments, the expected results from the top, whether that is all of them).
# Keys name the hand-written materials of tests/search_corpus.py, tuples (tool, task, variant) the generated ones.
QUERY_SET = [
    # stemming, exact matches before compounds
    ("Schulungen", {}, ["schulung", "datenschutzschulung"], True),
    ("Schulung", {}, ["schulung", "datenschutzschulung"], True),
    ("Datenschutzschulung", {}, ["datenschutzschulung"], True),
    # compounds: the head of the query word is a prefix of the compound ("Datenschutz" → "Datenschutzschulung")
    ("Datenschutz", {}, ["and_both", "and_one", "datenschutzschulung"], True),
    # umlaut and ß variants
    ("Uebersicht", {}, ["uebersicht", ("E-Akte", 0, 5)], False),
    ("Übersicht", {}, ["uebersicht", ("E-Akte", 0, 5)], False),
    ("ubersicht", {}, ["uebersicht", ("E-Akte", 0, 5)], False),
    ("Strasse", {}, ["strasse"], True),
    ("STRASSE", {}, ["strasse"], True),
    ("Hauptstrasse", {}, ["strasse"], True),
    # prefix while typing; equal scores in material id order
    ("Datens", {}, ["datenschutzschulung", "and_both", "and_one", "prefix"], True),
    ("Videokommun", {}, [(VIDEO, 0, 1), (VIDEO, 1, 1), (VIDEO, 2, 1)], False),
    # title before body, although the body hit is older (lower id) and says it three times
    ("Widerspruchsverfahren", {}, ["title_hit", "body_hit"], True),
    ("Widerspruch", {}, ["title_hit", "body_hit"], True),
    # click-through guide steps (instruction, alternative text) and video transcripts
    ("Quittungsdrucker", {}, ["step_hit"], True),
    ("Sanduhrsymbol", {}, ["step_hit"], True),
    ("Kamerafreigabe", {}, ["transcript_hit"], True),
    # every word must match
    ("Datenschutz VerBIS", {}, ["and_both"], True),
    ("VerBIS Datenschutz", {}, ["and_both"], True),
    ("Datenschutz Quittungsdrucker", {}, [], True),
    # the same word twice in the title beats once
    ("verschlüsselt", {}, [(MAIL, 1, 1), (MAIL, 1, 0), (MAIL, 1, 5)], False),
    # a very common word: the titles that say it first, the click-through guides (which say it most) on top
    ("Jobcenter", {}, [("Serviceportal jobcenter.digital", task, 1) for task in range(6)], False),
    # gender-inclusive spelling
    ("Kund:innen", {}, [(VIDEO, 1, 1)], False),
    # filters combine with the search
    ("E-Akte", {"art": "video"}, [("E-Akte", task, 2) for task in range(6)], True),
    ("Posteingang", {"niveau": "advanced"}, [("E-Akte", 0, 5), ("E-Akte", 0, 3), ("E-Akte", 0, 4)], True),
    ("Bescheid", {"dauer": "bis-15"}, [("ALLEGRO", 0, 1), ("ALLEGRO", 0, 0), ("ALLEGRO", 0, 5)], False),
    # drafts and archived material are never found
    ("Zeiterfassung", {}, [], True),
    ("Reisekostenabrechnung", {}, [], True),
    # nothing to find
    ("Xylophon", {}, [], True),
    ("und oder die", {}, [], True),
]


@pytest.mark.parametrize(("query", "args", "expected", "complete"), QUERY_SET)
def test_query_set(
    reader: FlaskClient, corpus: SimpleNamespace, query: str, args: dict, expected: list, complete: bool
) -> None:
    response = reader.get("/katalog", query_string={"suche": query, **args})
    assert response.status_code == 200
    found = result_ids(response.text)
    wanted = expected_ids(corpus, expected)
    if complete:
        assert found == wanted
    else:
        assert found[: len(wanted)] == wanted


def test_result_counts(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    # "Übersicht" and the 36 "Kurzübersicht …" compounds
    assert "37 Treffer für „Uebersicht“" in reader.get("/katalog?suche=Uebersicht").text
    # the 216 generated materials say "Jobcenter", and one hand-written title
    assert "217 Treffer für „Jobcenter“" in reader.get("/katalog?suche=Jobcenter").text
    assert "38 Treffer für „ALLEGRO“" in reader.get("/katalog?suche=ALLEGRO").text  # 36 generated, 2 written
    assert corpus.count == 216 + 14


def test_sorting_a_search_by_title_keeps_the_hits(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    page = reader.get("/katalog?suche=Datenschutz&sortierung=titel").text
    assert result_ids(page) == expected_ids(corpus, ["and_one", "and_both", "datenschutzschulung"])
    assert '<option value="titel" selected>Titel</option>' in page


def test_pages_of_a_search(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    first = reader.get("/katalog?suche=Jobcenter&art=document").text
    assert "73 Treffer für „Jobcenter“" in first  # 72 generated written guides and one hand-written
    links = re.findall(r'href="(/katalog\?[^"]*seite=2[^"]*)"', first)
    assert len(links) == 1 and "suche=Jobcenter" in links[0] and "art=document" in links[0]
    second = reader.get(links[0].replace("&amp;", "&")).text
    ids = result_ids(first) + result_ids(second)
    assert len(ids) == 40 and len(set(ids)) == 40


def test_hits_are_marked(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    page = reader.get("/katalog?suche=Quittungsdrucker").text
    assert "In Schritt 2:" in page and "in den <mark>Quittungsdrucker</mark> ein." in page
    page = reader.get("/katalog?suche=Kamerafreigabe").text
    assert "Im Videotranskript:" in page and "<mark>Kamerafreigabe</mark>" in page
    page = reader.get("/katalog?suche=Widerspruchsverfahren").text
    assert "<span><mark>Widerspruchsverfahren</mark> bearbeiten</span></a></h2>" in page  # the title
    assert "In der Anleitung:</span> Auch im <mark>Widerspruchsverfahren</mark>" in page
    page = reader.get("/katalog?suche=Strasse").text
    assert "Anfahrt und Parken an der <mark>Hauptstraße</mark>" in page and "Kröpeliner <mark>Straße</mark>" in page


def test_everything_else_is_escaped(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    page = reader.get("/katalog?suche=Zeichensalat").text
    assert "Sonderzeichen &lt;b&gt;fett&lt;/b&gt; &amp; Co." in page
    assert "<mark>Zeichensalat</mark> mit &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Zeichen, der" in page
    assert "<script>alert" not in page
    page = reader.get("/katalog", query_string={"suche": '<script>alert(1)</script> "Akte'}).text
    assert "<script>alert(1)" not in page
    assert "„&lt;script&gt;alert(1)&lt;/script&gt; &#34;Akte“" in page


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        "Akte'; DROP TABLE material; --",
        "%",
        "_",
        "100 % sicher",
        "\\",
        "\x00Akte",
        "🙂 Akte 🙂",
        "ä" * 300,
        "Datenschutz " * 400,
        "a-b-c-d-e-f",
        "\uffff\U0010ffff",
        "日本語のテキスト",
        "*:innen",
    ],
)
def test_odd_input_gives_a_page(reader: FlaskClient, corpus: SimpleNamespace, query: str) -> None:
    response = reader.get("/katalog", query_string={"suche": query, "seite": "2"})
    assert response.status_code == 200
    assert reader.get("/katalog", query_string={"suche": query, "sortierung": "relevanz"}).status_code == 200


def test_a_common_word_reads_only_the_best_postings(
    corpus_app: Flask, corpus: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "POSTINGS_PER_TERM", 5)
    with corpus_app.app_context():
        match = search.find(db.session, "Jobcenter")
        ids = search.ranked_ids(db.session, match, limit=300)
    # "jobcent" and its compounds ("Jobcenter-Layout"), five postings each, instead of 217 materials
    assert 5 <= len(ids) <= 5 * len(match.terms[0]) < 20
    best = {corpus.generated[("Serviceportal jobcenter.digital", task, 1)] for task in range(6)}
    assert set(ids[:5]) <= best  # the best-scored stay (of equals, the newest)


def test_a_prefix_expands_to_a_limited_number_of_terms(
    corpus_app: Flask, corpus: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with corpus_app.app_context():
        wide = search.find(db.session, "ver")
        monkeypatch.setattr(search, "EXPANSIONS_PER_WORD", 2)
        narrow = search.find(db.session, "ver")
    assert len(wide.terms[0]) > 4
    assert len(narrow.terms[0]) == 2  # "ver" is too short to look for at the end of compounds


def test_the_index_built_on_saving_equals_a_rebuild(corpus_app: Flask, corpus: SimpleNamespace) -> None:
    with corpus_app.app_context():
        before = _index_snapshot()
        assert search_index.rebuild(db.session) == corpus.count
        db.session.flush()
        after = _index_snapshot()
        db.session.rollback()
    assert before == after


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL only")
def test_postgresql_compares_terms_bytewise_from_the_index(corpus_app: Flask, corpus: SimpleNamespace) -> None:
    with corpus_app.app_context():
        collations = db.session.execute(
            text(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_name = 'search_term' AND column_name IN ('term', 'reversed_term')"
            )
        ).all()
        assert sorted(collations) == [("reversed_term", "C"), ("term", "C")]
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            db.session.scalars(
                text("EXPLAIN SELECT id FROM search_term WHERE term >= 'datens' AND term < 'datent'")
            ).all()
        )
        db.session.rollback()
    assert "Index" in plan and "uq_search_term_term" in plan, plan


def _index_snapshot() -> tuple[set, dict]:
    postings = set(
        db.session.execute(
            select(SearchTerm.term, SearchPosting.material_id, SearchPosting.score).join(
                SearchTerm, SearchTerm.id == SearchPosting.term_id
            )
        ).all()
    )
    counts = dict(
        db.session.execute(
            select(SearchTerm.term, SearchTerm.document_count).where(SearchTerm.document_count > 0)
        ).all()
    )
    return postings, counts


# The page -----------------------------------------------------------------------------------------------------
@pytest.fixture
def employee(app: Flask, org) -> FlaskClient:
    client = app.test_client()
    login(client, org.employee.email)
    return client


def test_the_search_form(employee: FlaskClient, org, create) -> None:
    topic = create(TopicFactory, name="Digitale Akte")
    create(MaterialFactory, title="E-Akte: Posteingang", topic=topic)
    page = employee.get("/katalog").text
    assert '<form method="get" action="/katalog" role="search"' in page
    assert '<label class="kern-label" for="suche">Suchbegriff</label>' in page
    assert 'type="search" id="suche" name="suche" value=""' in page
    assert '<span class="kern-label">Suchen</span>' in page
    assert 'value="relevanz"' not in page  # relevance is offered only while searching

    page = employee.get(f"/katalog?suche=Posteingang&thema={topic.id}").text
    assert 'name="suche" value="Posteingang"' in page
    assert '<input type="hidden" name="suche" value="Posteingang">' in page  # the filter form keeps the search
    assert f'<input type="hidden" name="thema" value="{topic.id}">' in page  # the search form keeps the filters
    assert '<option value="relevanz" selected>Relevanz</option>' in page
    assert "1 Treffer für „Posteingang“" in page
    assert "<title>Suche nach „Posteingang“ – Katalog – Quali-Kompass</title>" in page
    assert f'href="/katalog?thema={topic.id}">Suche aufheben</a>' in page


def test_no_hits_gives_tips(employee: FlaskClient, org, create) -> None:
    topic = create(TopicFactory)
    create(MaterialFactory, title="E-Akte: Posteingang", topic=topic)
    page = employee.get(f"/katalog?suche=Posteingang&art=video&thema={topic.id}").text
    assert "0 Treffer für „Posteingang“" in page
    assert "Zu „Posteingang“ gibt es mit den gewählten Filtern kein Angebot." in page
    assert "Verwenden Sie weniger Wörter" in page and "Prüfen Sie die Schreibweise." in page
    assert '<a class="kern-link" href="/katalog?suche=Posteingang">Nach „Posteingang“ ohne Filter suchen</a>' in page
    # The needs form takes over the search and the topic.
    assert f'href="/bedarf/neu?suche=Posteingang&amp;thema={topic.id}">Teilen Sie uns Ihren' in page

    page = employee.get("/katalog?suche=Xylophon").text
    assert "Zu „Xylophon“ gibt es noch kein Angebot." in page and "ohne Filter suchen" not in page

    page = employee.get("/katalog?suche=und+die").text
    assert "Ihre Suche enthält nur sehr häufige Wörter" in page


def test_no_hits_offers_to_state_a_need(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    people = build_org(app)
    client = app.test_client()
    login(client, people.employee.email)
    page = client.get("/katalog?suche=Xylophon").text
    link = '<a class="kern-link" href="/bedarf/neu?suche=Xylophon">Teilen Sie uns Ihren Qualifizierungsbedarf mit</a>'
    assert link in page
    assert client.get("/bedarf/neu?suche=Xylophon").status_code == 200


# The index follows every change ---------------------------------------------------------------------------------
def found(app: Flask, query: str) -> list[int]:
    with app.app_context():
        return search.ranked_ids(db.session, search.find(db.session, query))


def test_saving_publishing_and_archiving(app: Flask, org, create) -> None:
    topic = create(TopicFactory, name="Leistungsrecht")
    tool = create(ToolFactory, name="ALLEGRO")
    with app.app_context():
        editor = db.session.get(Person, org.editor.id)
        fields = {
            "kind": "document",
            "title": "Zuständigkeitswechsel",
            "summary": "Wenn ein Fall umzieht.",
            "body": "## Ablauf\n\nDer **Aktenumzug** folgt dem [Umzugsplan](https://ba.de/geheimlink).",
            "all_departments": True,
        }
        material = services.save_material(None, editor, fields, db.session.merge(topic), [], [db.session.merge(tool)])
        db.session.commit()
        material_id = material.id
    assert found(app, "Zuständigkeitswechsel") == []  # a draft is indexed, but not shown

    with app.app_context():
        material = db.session.get(Material, material_id)
        services.publish(material, db.session.get(Person, org.editor.id), "", False)
        db.session.commit()
    for query in ("Zuständigkeitswechsel", "Aktenumzug", "Umzugsplan", "ALLEGRO", "Leistungsrecht", "Fall"):
        assert found(app, query) == [material_id], query
    assert found(app, "geheimlink") == []  # link targets are not text

    with app.app_context():
        material = db.session.get(Material, material_id)
        fields = {**fields, "title": "Umzug in ein anderes Jobcenter"}
        services.save_material(material, db.session.get(Person, org.editor.id), fields, material.topic, [], [])
        db.session.commit()
    assert found(app, "Zuständigkeitswechsel") == [] and found(app, "ALLEGRO") == []
    assert found(app, "Umzug Jobcenter") == [material_id]

    with app.app_context():
        services.archive(db.session.get(Material, material_id), db.session.get(Person, org.editor.id))
        db.session.commit()
    assert found(app, "Umzug") == []


def test_a_rollback_leaves_the_index_alone(app: Flask, create) -> None:
    material = create(MaterialFactory, title="Fallmanagement")
    with app.app_context():
        db.session.get(Material, material.id).title = "Ganz anders"
        db.session.flush()
        db.session.rollback()
    assert found(app, "Fallmanagement") == [material.id] and found(app, "anders") == []


def test_guide_steps_are_indexed(app: Flask, create) -> None:
    guide = create(MaterialFactory, kind="guide", title="Klickstrecke Kasse")
    with app.app_context():
        material = db.session.get(Material, guide.id)
        material.steps.append(GuideStep(position=1, instruction="Klicken Sie auf **Tagesabschluss**.", alt_text=""))
        material.steps.append(GuideStep(position=2, instruction="Fertig.", alt_text="Dialog mit Kassenbericht"))
        db.session.commit()
    assert found(app, "Tagesabschluss") == [guide.id] and found(app, "Kassenbericht") == [guide.id]

    with app.app_context():
        step = db.session.scalar(select(GuideStep).where(GuideStep.position == 1))
        step.instruction = "Klicken Sie auf Monatsabschluss."
        db.session.commit()
    assert found(app, "Tagesabschluss") == [] and found(app, "Monatsabschluss") == [guide.id]

    with app.app_context():
        material = db.session.get(Material, guide.id)
        material.steps.remove(material.steps[1])
        db.session.commit()
    assert found(app, "Kassenbericht") == []

    with app.app_context():
        db.session.delete(db.session.scalar(select(GuideStep)))
        db.session.commit()
    assert found(app, "Monatsabschluss") == []


def test_many_steps_do_not_outweigh_a_title(app: Flask, create) -> None:
    guide = create(MaterialFactory, kind="guide", title="Klickstrecke")
    titled = create(MaterialFactory, title="Kassenbuch führen")
    with app.app_context():
        material = db.session.get(Material, guide.id)
        material.steps = [GuideStep(position=n, instruction="Das Kassenbuch öffnen.") for n in range(1, 11)]
        db.session.commit()
    assert found(app, "Kassenbuch") == [titled.id, guide.id]


def test_texts_of_other_kinds_are_not_searched(app: Flask, create) -> None:
    # Body and transcript count only where the catalogue shows them (a written guide, a video).
    material = create(MaterialFactory, kind="link", title="Link", body="Altlast", transcript="Tonspur")
    assert found(app, "Altlast") == [] and found(app, "Tonspur") == []
    with app.app_context():
        db.session.get(Material, material.id).kind = "video"
        db.session.commit()
    assert found(app, "Tonspur") == [material.id] and found(app, "Altlast") == []


def test_renaming_a_tool_or_topic_reindexes_its_material(app: Flask, create) -> None:
    main = create(TopicFactory, name="Fachverfahren")
    sub = create(TopicFactory, name="Leistung", parent=main)
    tool = create(ToolFactory, name="A2LL")
    material = create(MaterialFactory, title="Bescheide", topic=sub, tools=[tool])
    with app.app_context():
        taxonomy.save_tool(db.session.get(Tool, tool.id), "ALLEGRO", "")
        taxonomy.save_topic(db.session.get(Topic, main.id), "Softwareverfahren", None)
        db.session.commit()
    assert found(app, "ALLEGRO") == [material.id] and found(app, "A2LL") == []
    assert found(app, "Softwareverfahren") == [material.id] and found(app, "Fachverfahren") == []


def test_deleting_material_removes_its_postings(app: Flask, create) -> None:
    keep = create(MaterialFactory, title="Bleibt Akte")
    gone = create(MaterialFactory, title="Geht Akte")
    with app.app_context():
        db.session.delete(db.session.get(Material, gone.id))
        db.session.commit()
        counts = dict(db.session.execute(select(SearchTerm.term, SearchTerm.document_count)).all())
        postings = db.session.scalars(select(SearchPosting.material_id).distinct()).all()
    assert counts["akt"] == 1 and counts["geht"] == 0 and postings == [keep.id]
    assert found(app, "Akte") == [keep.id]


def test_search_reindex_command(app: Flask, create) -> None:
    material = create(MaterialFactory, title="Neu indiziert")
    with app.app_context():
        db.session.execute(delete(SearchPosting))
        db.session.commit()
    assert found(app, "indiziert") == []
    result = app.test_cli_runner().invoke(args=["search-reindex"])
    assert result.exit_code == 0 and "1 material(s) indexed" in result.output
    assert found(app, "indiziert") == [material.id]


# In a real browser ----------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_search_in_the_browser(corpus_app: Flask, corpus: SimpleNamespace) -> None:
    """Search by keyboard, filter, widen, go back: every state passes axe and fits 320 px."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import (
        CHROMIUM,
        CHROMIUM_ARGS,
        DESKTOP,
        NARROW,
        axe_violations,
        horizontal_overflow,
        log_in,
        serve,
    )
    from tests.conftest import IN_CI

    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    problems: list[str] = []
    with sync_playwright() as playwright, serve(corpus_app) as base_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="de-DE")
            context.set_default_timeout(10_000)
            page = context.new_page()
            log_in(page, corpus.org.employee.email)
            page.goto("/katalog")
            assert page.get_by_role("search").count() == 1
            page.get_by_label("Suchbegriff").fill("Schulungen")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert "suche=Schulungen" in page.url
            assert "2 Treffer für „Schulungen“" in page.get_by_role("status").inner_text()
            cards = page.locator(".material-card h2")
            assert cards.all_inner_texts() == [
                "Schulung zur Aktenführung",
                "Datenschutzschulung für neue Mitarbeiter:innen",
            ]
            problems += axe_violations(page, "search results")

            page.get_by_label("Art").select_option(label="Schulungsvideo")
            with page.expect_navigation():
                page.get_by_role("button", name="Filtern").click()
            assert "suche=Schulungen" in page.url and "art=video" in page.url
            assert "Verwenden Sie weniger Wörter" in page.content()
            problems += axe_violations(page, "search without results")
            with page.expect_navigation():
                page.get_by_role("link", name="Nach „Schulungen“ ohne Filter suchen").click()
            assert cards.count() == 2 and "art=" not in page.url
            page.go_back()
            assert "art=video" in page.url and page.get_by_label("Suchbegriff").input_value() == "Schulungen"

            narrow = context.new_page()
            narrow.set_viewport_size(NARROW)
            for path in ("/katalog?suche=Quittungsdrucker", "/katalog?suche=Schulungen&art=video"):
                narrow.goto(path)
                if overflow := horizontal_overflow(narrow):
                    problems.append(f"{path} at 320 px: {overflow}")
            context.close()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


def test_the_start_page_searches_the_catalogue(reader: FlaskClient, corpus: SimpleNamespace) -> None:
    home = reader.get("/").text
    form = home.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert 'name="suche"' in form and "Was möchten Sie lernen?" in form
    action = re.search(r'<form method="get" action="([^"]+)" role="search"', home).group(1)
    assert result_ids(reader.get(action, query_string={"suche": "Schulungen"}).text)[:1] == expected_ids(
        corpus, ["schulung"]
    )
