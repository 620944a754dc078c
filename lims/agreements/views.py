"""Administration of agreements, designations and accreditations.

Every page is for administrators (Permission.MANAGE_RECOGNITION). Each form
page validates, calls one rule from lims.agreements.rules with the form's
text values, commits once and redirects.
"""

from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lims.agreements import io, rules
from lims.agreements.forms import (
    AccreditationBodyForm,
    AccreditationForm,
    AgreementForm,
    DesignationForm,
    EditionForm,
    ImportForm,
    PartyForm,
    PhaseForm,
    ScopeForm,
    StatusChangeForm,
)
from lims.agreements.models import Agreement, Designation
from lims.audit.service import events_for
from lims.auth.permissions import Permission, require
from lims.bodies.models import AccreditationBody, Body
from lims.extensions import db
from lims.recognition.tables import write_csv, write_xlsx
from lims.recognition.views import XLSX_TYPE
from lims.regulations.models import Regulation

bp = Blueprint("agreements", __name__, url_prefix="/admin/recognition")


def form_page(form, apply: Callable, title: str, done: Callable, extra=None):
    """Validate ``form``, apply it with one rule, commit and redirect."""
    if form.validate_on_submit():
        saved = apply({**form.values(), **(extra or {})}, current_user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(done(saved))
    return render_template("agreements/form.html", form=form, title=title)


@bp.get("")
@require(Permission.MANAGE_RECOGNITION)
def index():
    form = ImportForm()
    form.table.choices = [(name, name) for name in io.TABLES]
    return render_template(
        "agreements/index.html",
        agreements=db.session.scalars(db.select(Agreement).order_by(Agreement.code)),
        designations=db.session.scalars(
            db.select(Designation).order_by(Designation.number)
        ),
        accreditation_bodies=db.session.scalars(
            db.select(AccreditationBody).order_by(AccreditationBody.acronym)
        ),
        regulations=db.session.scalars(db.select(Regulation).order_by(Regulation.code)),
        tables=list(io.TABLES),
        import_form=form,
    )


def _agreement_done(saved) -> str:
    agreement = saved if isinstance(saved, Agreement) else saved.agreement
    return url_for(".agreement_detail", agreement_id=agreement.id)


@bp.route("/agreements/new", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def agreement_new():
    form = AgreementForm()
    return form_page(form, rules.save_agreement, _("New agreement"), _agreement_done)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def agreement_edit(agreement_id: int):
    agreement = db.get_or_404(Agreement, agreement_id)
    form = AgreementForm(obj=agreement)
    form.code.render_kw = {"readonly": True}
    if not form.is_submitted():
        form.kind.data = agreement.kind.value
    extra = {"code": agreement.code}
    return form_page(form, rules.save_agreement, agreement.code, _agreement_done, extra)


@bp.get("/agreements/<int:agreement_id>")
@require(Permission.MANAGE_RECOGNITION)
def agreement_detail(agreement_id: int):
    agreement = db.get_or_404(Agreement, agreement_id)
    return render_template(
        "agreements/agreement.html", agreement=agreement, events=events_for(agreement)
    )


PART_FORMS = {
    "parties": (PartyForm, rules.save_party),
    "phases": (PhaseForm, rules.save_phase),
    "scope": (ScopeForm, rules.add_scope),
}


@bp.route("/agreements/<int:agreement_id>/<part>", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def agreement_part(agreement_id: int, part: str):
    agreement = db.get_or_404(Agreement, agreement_id)
    if part not in PART_FORMS:
        return redirect(url_for(".agreement_detail", agreement_id=agreement_id))
    form_class, apply = PART_FORMS[part]
    return form_page(
        form_class(),
        apply,
        f"{agreement.code}: {part}",
        _agreement_done,
        {"agreement": agreement.code},
    )


def _designation_form(designation: Designation | None = None) -> DesignationForm:
    form = DesignationForm(obj=designation)
    form.lab.choices = [
        (b.code, f"{b.code} – {b.name}")
        for b in db.session.scalars(
            db.select(Body).where(Body.economy_code != "VN").order_by(Body.code)
        )
    ]
    form.agreement.choices = [
        (a.code, a.code)
        for a in db.session.scalars(db.select(Agreement).order_by(Agreement.code))
    ]
    form.regulations.choices = [
        (code, code)
        for code in db.session.scalars(
            db.select(Regulation.code).order_by(Regulation.code)
        )
    ]
    if designation is not None and not form.is_submitted():
        form.lab.data = designation.body.code
        form.agreement.data = designation.agreement.code
        form.regulations.data = [r.code for r in designation.regulations]
    return form


def _designation_done(saved) -> str:
    designation = saved if isinstance(saved, Designation) else saved.designation
    return url_for(".designation_detail", designation_id=designation.id)


@bp.route("/designations/new", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def designation_new():
    return form_page(
        _designation_form(),
        rules.save_designation,
        _("New designation"),
        _designation_done,
    )


@bp.route("/designations/<int:designation_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def designation_edit(designation_id: int):
    designation = db.get_or_404(Designation, designation_id)
    form = _designation_form(designation)
    form.number.render_kw = {"readonly": True}
    return form_page(
        form,
        rules.save_designation,
        designation.number,
        _designation_done,
        {"number": designation.number},
    )


@bp.get("/designations/<int:designation_id>")
@require(Permission.MANAGE_RECOGNITION)
def designation_detail(designation_id: int):
    designation = db.get_or_404(Designation, designation_id)
    return render_template(
        "agreements/designation.html",
        designation=designation,
        events=events_for(designation),
    )


@bp.route("/designations/<int:designation_id>/status", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def designation_status(designation_id: int):
    designation = db.get_or_404(Designation, designation_id)
    return form_page(
        StatusChangeForm(),
        rules.change_designation_status,
        _("Status of %(number)s", number=designation.number),
        _designation_done,
        {"designation": designation.number},
    )


@bp.route(
    "/accreditation-bodies/<int:accreditation_body_id>/edit", methods=["GET", "POST"]
)
@require(Permission.MANAGE_RECOGNITION)
def accreditation_body_edit(accreditation_body_id: int):
    accreditation_body = db.get_or_404(AccreditationBody, accreditation_body_id)
    row = _export_row("accreditation_bodies", accreditation_body.acronym)
    form = AccreditationBodyForm(data=_form_data(row))
    return form_page(
        form,
        rules.save_accreditation_body,
        accreditation_body.acronym,
        lambda _saved: url_for(".index"),
        {"acronym": accreditation_body.acronym},
    )


@bp.route("/accreditations/new", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def accreditation_new():
    form = AccreditationForm()
    form.lab.choices = [
        (b.code, f"{b.code} – {b.name}")
        for b in db.session.scalars(db.select(Body).order_by(Body.code))
    ]
    form.accreditation_body.choices = [
        (b.acronym, b.acronym)
        for b in db.session.scalars(
            db.select(AccreditationBody).order_by(AccreditationBody.acronym)
        )
    ]
    return form_page(
        form,
        rules.save_accreditation,
        _("New accreditation"),
        lambda _saved: url_for(".index"),
    )


@bp.route("/regulations/<int:regulation_id>/edition", methods=["GET", "POST"])
@require(Permission.MANAGE_RECOGNITION)
def edition_edit(regulation_id: int):
    regulation = db.get_or_404(Regulation, regulation_id)
    form = EditionForm(
        data={
            "based_on": regulation.based_on.label() if regulation.based_on else "",
            "effective_from": regulation.effective_from,
            "supersedes": regulation.supersedes.code if regulation.supersedes else "",
            "transition_ends": regulation.transition_ends,
        }
    )
    codes = db.session.scalars(db.select(Regulation.code).order_by(Regulation.code))
    form.supersedes.choices = [("", "—")] + [
        (c, c) for c in codes if c != regulation.code
    ]
    return form_page(
        form,
        rules.save_regulation_edition,
        regulation.code,
        lambda _saved: url_for(".index"),
        {"regulation": regulation.code},
    )


@bp.get("/export/<name>.csv")
@require(Permission.MANAGE_RECOGNITION)
def export_csv(name: str):
    if name not in io.TABLES:
        return redirect(url_for(".index"))
    header, rows = io.export_table(name)
    return _download(write_csv(header, rows), "text/csv; charset=utf-8", f"{name}.csv")


@bp.get("/export/recognition.xlsx")
@require(Permission.MANAGE_RECOGNITION)
def export_xlsx():
    sheets = {name: io.export_table(name) for name in io.TABLES}
    return _download(write_xlsx(sheets), XLSX_TYPE, "recognition.xlsx")


def _export_row(table: str, key: str) -> dict[str, str]:
    """Return the exported row of ``table`` whose first column is ``key``."""
    header, rows = io.export_table(table)
    row = next(row for row in rows if row[0] == key)
    return dict(zip(header, row, strict=True))


def _form_data(row: dict) -> dict:
    """Turn exported text values into form data, with ISO dates as dates."""
    data = {}
    for name, value in row.items():
        is_date = name.endswith(("_on", "_since", "_from", "_until"))
        data[name] = date.fromisoformat(value) if is_date and value else value
    return data


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/import")
@require(Permission.MANAGE_RECOGNITION)
def import_records():
    form = ImportForm()
    form.table.choices = [(name, name) for name in io.TABLES]
    if not form.validate_on_submit():
        flash(_("Choose a CSV or Excel file to import."), "danger")
        return redirect(url_for(".index"))
    upload = form.file.data
    counts = io.import_file(
        upload.read(), upload.filename or "upload", form.table.data, current_user
    )
    db.session.commit()
    summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
    flash(_("Imported %(summary)s.", summary=summary), "success")
    return redirect(url_for(".index"))
