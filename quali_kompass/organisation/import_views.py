"""The HR import pages (upload, preview, confirm)."""

from __future__ import annotations

from flask import render_template

from quali_kompass.organisation import blueprint
from quali_kompass.organisation.views import admin_required


@blueprint.route("/verwaltung/import", methods=["GET", "POST"])
@admin_required
def admin_import() -> str:
    return render_template("organisation/admin_overview.html", counts={"departments": 0, "teams": 0, "people": 0})
