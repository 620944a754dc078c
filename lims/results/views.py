"""Entering results from files or by hand, and reviewing them."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lims.audit.service import events_for
from lims.auth.permissions import Permission, check_lab_record, has_permission, require
from lims.equipment.models import Instrument
from lims.errors import DomainError, wants_json
from lims.extensions import db
from lims.forms import ConfirmForm, flash_form_errors, show_rule_error
from lims.regulations.models import TestItem
from lims.results import rules
from lims.results.forms import FileResultForm, ManualResultForm, ReasonForm
from lims.results.models import ColumnMappingProfile, Result
from lims.results.plot import trace_svg
from lims.testing.models import Sample
from lims.testing.views import (
    _fill_result_choices,
    load_request,
    render_request_detail,
)

bp = Blueprint("results", __name__)


def _common(form, test_request):
    sample = db.session.get(Sample, form.sample.data)
    item = db.session.get(TestItem, form.test_item.data)
    if sample is None or item is None:
        raise DomainError(_("Choose a sample and a test item."))
    used = list(
        db.session.scalars(
            db.select(Instrument).where(Instrument.id.in_(form.instruments.data))
        )
    )
    uncertainty = form.expanded_uncertainty.data
    return sample, item, used, None if uncertainty is None else float(uncertainty)


@bp.post("/requests/<int:request_id>/results/file")
@require(Permission.ENTER_RESULT)
def upload(request_id: int):
    test_request = load_request(request_id)
    form = FileResultForm()
    _fill_result_choices(test_request, form)
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(
                {"error": _form_error_text(form), "fields": form.errors}
            ), 400
        flash_form_errors(form)
        return render_request_detail(test_request, file_form=form)

    try:
        result = _record_upload(form, test_request)
    except DomainError as error:
        if wants_json():
            raise
        show_rule_error(form, error)
        return render_request_detail(test_request, file_form=form)
    db.session.commit()
    upload = form.file.data
    if wants_json():
        # The multi-file import page sends one file per request and sums up.
        return jsonify(
            {
                "result_id": result.id,
                "file": upload.filename,
                "points": result.trace_point_count,
                "verdict": result.verdict.value,
                "warnings": result.import_warnings,
                "url": url_for("results.detail", result_id=result.id),
            }
        )
    flash(
        _(
            "Imported %(points)d points from %(file)s: %(verdict)s.",
            points=result.trace_point_count,
            file=upload.filename,
            verdict=_(result.verdict.value),
        ),
        "success",
    )
    for warning in result.import_warnings:
        flash(warning, "warning")
    return redirect(url_for("results.detail", result_id=result.id))


def _record_upload(form: FileResultForm, test_request):
    sample, item, used, uncertainty = _common(form, test_request)
    upload = form.file.data
    return rules.record_result_from_file(
        test_request,
        sample,
        item,
        content=upload.read(),
        filename=upload.filename or "upload",
        measured_on=form.measured_on.data,
        expanded_uncertainty=uncertainty,
        used=used,
        entered_by=current_user,
        format_name=form.format_name.data or None,
        trace_name=(form.trace_name.data or "").strip() or None,
        field_strength=bool(form.field_strength.data),
        limit_detector=form.limit_detector.data or None,
        mapping_profile=_chosen_profile(form),
    )


def _chosen_profile(form: FileResultForm) -> ColumnMappingProfile | None:
    """Load the chosen column mapping. The rule checks that it is the lab's."""
    if not form.mapping.data:
        return None
    return db.get_or_404(ColumnMappingProfile, int(form.mapping.data))


def _form_error_text(form) -> str:
    return "; ".join(
        f"{getattr(form, name).label.text}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    )


@bp.post("/requests/<int:request_id>/results/manual")
@require(Permission.ENTER_RESULT)
def manual(request_id: int):
    test_request = load_request(request_id)
    form = ManualResultForm(prefix=ManualResultForm.PREFIX)
    _fill_result_choices(test_request, form)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return render_request_detail(test_request, manual_form=form)
    try:
        result = _record_manual(form, test_request)
    except DomainError as error:
        show_rule_error(form, error)
        return render_request_detail(test_request, manual_form=form)
    db.session.commit()
    flash(_("Result recorded: %(verdict)s.", verdict=result.verdict.value), "success")
    return redirect(url_for("results.detail", result_id=result.id))


def _record_manual(form: ManualResultForm, test_request):
    sample, item, used, uncertainty = _common(form, test_request)
    frequency = form.frequency_mhz.data
    measurement = rules.Measurement(
        value=float(form.value.data),
        unit=form.unit.data.strip(),
        measured_on=form.measured_on.data,
        expanded_uncertainty=uncertainty,
        frequency_hz=None if frequency is None else float(frequency) * 1e6,
        operand=form.operand.data or None,
        detector=form.detector.data or None,
        limit_detector=form.limit_detector.data or None,
    )
    return rules.record_manual_result(
        test_request, sample, item, measurement, used, current_user
    )


@bp.get("/results/<int:result_id>")
@require(Permission.VIEW_LAB_RECORDS)
def detail(result_id: int):
    result = db.get_or_404(Result, result_id)
    check_lab_record(current_user, result.request.lab_id)
    return _render_detail(result)


def _render_detail(result: Result, reason_form: ReasonForm | None = None):
    """Render a result's page; a rejected reason form comes back with status 400."""
    page = render_template(
        "results/detail.html",
        result=result,
        events=events_for(result),
        confirm_form=ConfirmForm(),
        reason_form=reason_form or ReasonForm(formdata=None),
        can_correct=_can_correct(current_user),
    )
    return page, 200 if reason_form is None else 400


@bp.get("/results/<int:result_id>/trace.svg")
@require(Permission.VIEW_LAB_RECORDS)
def trace(result_id: int):
    result = db.get_or_404(Result, result_id)
    check_lab_record(current_user, result.request.lab_id)
    svg = trace_svg(result)
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/results/<int:result_id>/source")
@require(Permission.VIEW_LAB_RECORDS)
def source_file(result_id: int):
    """Send the instrument file a result was imported from, as a download."""
    result = db.get_or_404(Result, result_id)
    check_lab_record(current_user, result.request.lab_id)
    if result.source_file is None:
        abort(404, description=_("This result was entered by hand."))
    stored = result.source_file
    # Served as an opaque download under a name derived from the record, so
    # an uploaded file can never be rendered as a page of this site.
    response = Response(stored.content, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="result-{result.id}-source{_suffix(stored)}"'
    )
    response.headers["X-Content-SHA256"] = stored.sha256
    return response


def _suffix(stored) -> str:
    name = stored.original_name.rsplit(".", 1)
    suffix = name[1] if len(name) == 2 else ""
    return "." + suffix.lower() if suffix.isalnum() and len(suffix) <= 5 else ""


@bp.post("/requests/<int:request_id>/submit")
@require(Permission.ENTER_RESULT)
def submit(request_id: int):
    test_request = load_request(request_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("testing.request_detail", request_id=request_id))
    rules.submit_for_review(test_request, current_user)
    db.session.commit()
    flash(_("Results sent for review."), "success")
    return redirect(url_for("testing.request_detail", request_id=request_id))


@bp.post("/results/<int:result_id>/approve")
@require(Permission.REVIEW_RESULT)
def approve(result_id: int):
    result = db.get_or_404(Result, result_id)
    check_lab_record(current_user, result.request.lab_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("results.detail", result_id=result_id))
    rules.approve_result(result, current_user)
    db.session.commit()
    flash(_("Result approved and locked."), "success")
    return redirect(url_for("testing.request_detail", request_id=result.request_id))


def _can_correct(user) -> bool:
    return has_permission(user, Permission.ENTER_RESULT) or has_permission(
        user, Permission.REVIEW_RESULT
    )


def _close_with_reason(result_id: int, action, message: str):
    """Load the result, check the reason form, run ``action`` and commit."""
    result = db.get_or_404(Result, result_id)
    check_lab_record(current_user, result.request.lab_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _render_detail(result, form)
    try:
        action(result, form.reason.data, current_user)
    except DomainError as error:
        show_rule_error(form, error)
        return _render_detail(result, form)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("results.detail", result_id=result_id))


@bp.post("/results/<int:result_id>/reject")
@require(Permission.REVIEW_RESULT)
def reject(result_id: int):
    message = _("Result returned to the technician.")
    return _close_with_reason(result_id, rules.reject_result, message)


@bp.post("/results/<int:result_id>/retract")
@require(Permission.ENTER_RESULT)
def retract(result_id: int):
    message = _("Result retracted; record the retest as a new revision.")
    return _close_with_reason(result_id, rules.retract_result, message)


@bp.post("/results/<int:result_id>/correct")
@login_required
def correct(result_id: int):
    if not _can_correct(current_user):
        abort(403)
    message = _("Result superseded; record the corrected revision for review.")
    return _close_with_reason(result_id, rules.correct_result, message)
