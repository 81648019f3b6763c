"""Every route against every role: allowed, login required, or 403."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.access import EXPECTED_ACCESS, ROLES
from tests.conftest import login
from tests.sample import role_person, sample_url_values


def test_every_route_has_an_access_rule(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - EXPECTED_ACCESS.keys())
    stale = sorted(EXPECTED_ACCESS.keys() - endpoints)
    assert not missing, f"routes without an entry in tests/access.py: {missing}"
    assert not stale, f"entries in tests/access.py without a route: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app: Flask, org, role: str) -> None:
    values = sample_url_values(app, org)
    client = app.test_client()
    if role != "anonymous":
        login(client, role_person(org, role).email)
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        allowed = role in EXPECTED_ACCESS[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "accounts.logout" and allowed:
                continue  # checked below, it would end this client's session
            response = client.open(url, method=method)
            location = response.headers.get("Location", "")
            to_login = response.status_code == 302 and location.startswith("/anmelden")
            if allowed:
                ok = response.status_code not in (401, 403, 404, 500) and not to_login
                if method == "GET":
                    ok = ok and response.status_code in (200, 302)
            elif role == "anonymous":
                ok = to_login
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{method} {url} ({rule.endpoint}): {response.status_code} {location}")
    assert not failures, f"as {role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_logout_is_open_to_every_logged_in_person(app: Flask, org, role: str) -> None:
    client = app.test_client()
    login(client, role_person(org, role).email)
    response = client.post("/abmelden")
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
    assert client.get("/").status_code == 302
