"""Public pages: is a foreign test report or certificate accepted?"""

from collections import Counter

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lims.agreements.models import BatchCheck
from lims.errors import DomainError
from lims.extensions import db
from lims.pagination import paginate
from lims.recognition import history, service
from lims.recognition.forms import RecognitionForm, ShipmentForm
from lims.recognition.tables import TableError, read_table, write_csv, write_xlsx
from lims.regulations.models import Regulation

bp = Blueprint("recognition", __name__, url_prefix="/recognition")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("", methods=["GET", "POST"])
def check():
    form = RecognitionForm()
    decision = None
    if form.validate_on_submit():
        on = form.on.data or service.decision_date()
        try:
            decision = service.check_one(form.values(), on, "page")
        except DomainError as error:
            _field_error(form, error)
        else:
            db.session.commit()
    return render_template(
        "recognition/check.html",
        form=form,
        decision=decision,
        regulations=_regulation_codes(),
    )


@bp.route("/batch", methods=["GET", "POST"])
def batch():
    form = ShipmentForm()
    results = None
    if form.validate_on_submit():
        on = form.on.data or service.decision_date()
        upload = form.file.data
        try:
            lines = read_shipment(upload.read(), upload.filename or "")
        except TableError as error:
            form.file.errors.append(str(error))
        else:
            results = service.check_lines(lines, on, "batch")
            if current_user.is_authenticated:
                history.save_batch(current_user, upload.filename, on, results)
            db.session.commit()
            if form.output.data != "page":
                return results_file(results, form.output.data)
    return render_template(
        "recognition/batch.html",
        form=form,
        results=results,
        counts=Counter(
            r.decision.verdict if r.decision else "error" for r in results or []
        ),
    )


def read_shipment(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Read a shipment list; raise TableError when required columns are absent."""
    lines = read_table(content, filename)
    missing = service.missing_columns(lines)
    if missing:
        raise TableError(
            _(
                "%(file)s lacks the columns %(columns)s; the header needs "
                "regulation, lab and tested_on.",
                file=filename or "the file",
                columns=", ".join(missing),
            )
        )
    return lines


def results_file(results: list[service.LineResult], output: str) -> Response:
    header = list(service.RESULT_COLUMNS)
    rows = [r.row() for r in results]
    if output == "xlsx":
        content = write_xlsx({"recognition": (header, rows)})
        mimetype, name = XLSX_TYPE, "recognition.xlsx"
    else:
        content = write_csv(header, rows)
        mimetype, name = "text/csv; charset=utf-8", "recognition.csv"
    response = Response(content, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _field_error(form: RecognitionForm, error: DomainError) -> None:
    target = getattr(form, error.field or "", None) or form.lab
    target.errors = [*target.errors, error.message]


def _regulation_codes() -> list[str]:
    return list(
        db.session.scalars(db.select(Regulation.code).order_by(Regulation.code))
    )


@bp.get("/batches")
@login_required
def batches():
    return render_template(
        "recognition/batches.html", page=paginate(history.batches_for(current_user))
    )


@bp.get("/batches/<int:batch_id>/results.csv")
@login_required
def batch_results(batch_id: int):
    batch = db.get_or_404(BatchCheck, batch_id)
    if not batch.can_be_seen_by(current_user):
        abort(403)
    response = Response(
        batch.results_file.content, content_type="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="recognition-{batch.id}.csv"'
    )
    return response
