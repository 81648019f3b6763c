"""The HR import pages: upload, preview, confirm or discard."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload
from werkzeug.wrappers import Response

from quali_kompass.catalogue import files
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation import blueprint, importer
from quali_kompass.organisation.forms import ImportForm
from quali_kompass.organisation.models import OrgImport
from quali_kompass.organisation.views import admin_required
from quali_kompass.web import get_or_404

RECENT_IMPORTS = 20


def _filename(name: str | None) -> str:
    """The file's own name, without any folder the browser sent along and without control characters."""
    return files.clean_file_name(name, "import.csv")


def counts_text(counts: dict[str, int]) -> str:
    return _(
        "%(created)d neu angelegt, %(updated)d geändert, %(deactivated)d deaktiviert, %(unchanged)d unverändert",
        created=counts.get("created", 0),
        updated=counts.get("updated", 0),
        deactivated=counts.get("deactivated", 0),
        unchanged=counts.get("unchanged", 0),
    )


@blueprint.route("/verwaltung/import", methods=["GET", "POST"])
@admin_required
def admin_import() -> Response | tuple[str, int]:
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        # Problems of the file as a whole are shown at once; problems of single lines in the preview.
        file_errors = [error.text for error in importer.parse(content).errors if error.line is None]
        if file_errors:
            form.file.errors = [*form.file.errors, *file_errors]
        else:
            upload = OrgImport(
                created_by_id=current_user.id,
                created_at=utcnow(),
                filename=_filename(form.file.data.filename),
                content=content,
                deactivate_missing=bool(form.deactivate_missing.data),
                status="preview",
                summary={},
            )
            db.session.add(upload)
            db.session.commit()
            return redirect(url_for("organisation.admin_import_preview", import_id=upload.id))
    uploads = db.session.scalars(
        select(OrgImport)
        .options(defer(OrgImport.content), joinedload(OrgImport.created_by))
        .order_by(OrgImport.id.desc())
        .limit(RECENT_IMPORTS)
    ).all()
    return render_template(
        "organisation/import.html",
        form=form,
        uploads=uploads,
        counts_text=counts_text,
        columns=importer.COLUMNS,
        required=importer.REQUIRED,
        column_title=importer.column_title,
    ), 400 if form.errors else 200


@blueprint.route("/verwaltung/import/<int:import_id>")
@admin_required
def admin_import_preview(import_id: int) -> str:
    upload = get_or_404(OrgImport, import_id)
    result = None
    report = upload.summary if upload.status == "applied" else None
    if upload.status == "preview":
        result = importer.preview_import(
            upload.content, deactivate_missing=upload.deactivate_missing, actor=current_user._get_current_object()
        )
        if result.valid:
            report = result.summary()
    return render_template(
        "organisation/import_preview.html",
        upload=upload,
        result=result,
        report=report,
        shown=importer.CHANGES_SHOWN,
    )


@blueprint.route("/verwaltung/import/<int:import_id>/uebernehmen", methods=["POST"])
@admin_required
def admin_import_apply(import_id: int) -> Response:
    upload = get_or_404(OrgImport, import_id)
    back = redirect(url_for("organisation.admin_import_preview", import_id=upload.id))
    # Claim the import in the database, so that two confirmations at once cannot both apply it.
    claimed = db.session.execute(
        update(OrgImport)
        .where(OrgImport.id == upload.id, OrgImport.status == "preview")
        .values(status="applied", applied_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        if upload.status == "applied":
            flash(_("Dieser Import wurde bereits übernommen. Er wird nicht ein zweites Mal ausgeführt."), "error")
        else:
            flash(_("Dieser Import wurde verworfen und kann nicht mehr übernommen werden."), "error")
        return back
    try:
        result = importer.apply_upload(upload, current_user._get_current_object())
        if result.valid:
            upload.summary = result.summary()
            upload.content = b""  # the summary is the record; the HR data itself is not kept
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(
            _(
                "Die Organisation wurde gerade an anderer Stelle geändert. Es wurde nichts übernommen. "
                "Bitte prüfen Sie die Vorschau und bestätigen Sie erneut."
            ),
            "error",
        )
        return back
    if not result.valid:
        db.session.rollback()
        flash(_("Der Import wurde nicht übernommen, weil die Datei Fehler enthält. Es wurde nichts geändert."), "error")
        return back
    flash(_("Der Import ist übernommen: %(counts)s.", counts=counts_text(result.counts)), "success")
    return back


@blueprint.route("/verwaltung/import/<int:import_id>/verwerfen", methods=["POST"])
@admin_required
def admin_import_discard(import_id: int) -> Response:
    upload = get_or_404(OrgImport, import_id)
    if upload.status != "preview":
        flash(_("Dieser Import ist bereits abgeschlossen und kann nicht mehr verworfen werden."), "error")
        return redirect(url_for("organisation.admin_import_preview", import_id=upload.id))
    upload.status = "discarded"
    upload.content = b""  # the HR data is not needed any more
    db.session.commit()
    flash(_("Der Import „%(name)s“ ist verworfen. Es wurde nichts geändert.", name=upload.filename), "success")
    return redirect(url_for("organisation.admin_import"))
