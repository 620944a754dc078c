"""Issuing and amending test reports and certificates; certificate status
changes."""

import os

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lims.audit.service import events_for
from lims.auth.models import Role
from lims.auth.permissions import (
    Permission,
    check_lab_record,
    has_permission,
    require,
)
from lims.certification import rules
from lims.certification.forms import (
    AmendReportForm,
    CertificateForm,
    IssueReportForm,
    StatusForm,
)
from lims.certification.models import (
    Certificate,
    CertificateScheme,
    CertificateStatus,
    ReportStatus,
    TestReport,
)
from lims.errors import DomainError
from lims.extensions import db
from lims.forms import flash_form_errors, show_rule_error
from lims.numbering import (
    DEFAULT_CERTIFICATE_PATTERN,
    DEFAULT_CERTIFICATE_PREFIX,
    validate_certificate_numbering,
)
from lims.pagination import paginate
from lims.regulations.models import Organisation
from lims.results.rules import current_results
from lims.testing.views import load_request, render_request_detail

bp = Blueprint("certification", __name__)
NUMBERING_SETTINGS = {
    "LIMS_CERTIFICATE_NUMBER_PATTERN": DEFAULT_CERTIFICATE_PATTERN,
    "LIMS_CERTIFICATE_PREFIX": DEFAULT_CERTIFICATE_PREFIX,
}


@bp.record_once
def check_numbering_settings(state) -> None:
    """Read the certificate numbering settings and stop the start on a bad one."""
    config = state.app.config
    for name, default in NUMBERING_SETTINGS.items():
        if not config.get(name):
            config[name] = os.environ.get(name) or default
    validate_certificate_numbering(
        config["LIMS_CERTIFICATE_NUMBER_PATTERN"], config["LIMS_CERTIFICATE_PREFIX"]
    )


def load_report(report_id: int) -> TestReport:
    report = db.get_or_404(TestReport, report_id)
    check_lab_record(current_user, report.lab_id)
    return report


def load_certificate(certificate_id: int) -> Certificate:
    certificate = db.get_or_404(Certificate, certificate_id)
    if (
        current_user.role != Role.ADMIN
        and current_user.body_id != certificate.issuer_id
    ):
        abort(403)
    return certificate


def pdf_response(stored, filename: str) -> Response:
    response = Response(stored.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Content-SHA256"] = stored.sha256
    return response


@bp.post("/requests/<int:request_id>/report")
@require(Permission.ISSUE_REPORT)
def issue_report(request_id: int):
    test_request = load_request(request_id)
    form = IssueReportForm().offer(current_results(test_request))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return render_request_detail(test_request, report_form=form)
    try:
        report = rules.issue_test_report(
            test_request,
            current_user,
            test_location=(form.test_location.data or "").strip(),
            deviations=(form.deviations.data or "").strip(),
            subcontracted_result_ids=form.subcontracted.data or [],
        )
    except DomainError as error:
        show_rule_error(form, error)
        return render_request_detail(test_request, report_form=form)
    db.session.commit()
    flash(_("Test report %(number)s issued.", number=report.number), "success")
    return redirect(url_for("certification.report_detail", report_id=report.id))


@bp.get("/reports")
@require(Permission.VIEW_LAB_RECORDS)
def reports():
    query = db.select(TestReport).order_by(TestReport.id.desc())
    if current_user.role not in (Role.ADMIN, Role.CERTIFICATION_OFFICER):
        query = query.where(TestReport.lab_id == current_user.body_id)
    return render_template("certification/reports.html", page=paginate(query))


@bp.get("/reports/<int:report_id>")
@require(Permission.VIEW_LAB_RECORDS)
def report_detail(report_id: int):
    return _render_report_detail(load_report(report_id))


def _render_report_detail(report: TestReport, **submitted):
    """Render a report's page with its forms.

    A rejected post passes its form in ``submitted`` (``form`` or
    ``amend_form``), and the page then has status 400.
    """
    forms = {"form": None, "amend_form": None}
    issued = report.status == ReportStatus.ISSUED
    # Why no certificate can rest on the report, shown instead of the form.
    not_certifiable = None
    if issued and has_permission(current_user, Permission.ISSUE_CERTIFICATE):
        try:
            rules.check_report_acceptable(report)
        except DomainError as error:
            not_certifiable = error.message
        else:
            forms["form"] = _certificate_form(report, formdata=None)
    if issued and has_permission(current_user, Permission.ISSUE_REPORT):
        forms["amend_form"] = AmendReportForm(formdata=None)
    forms.update(submitted)
    page = render_template(
        "certification/report_detail.html",
        report=report,
        events=events_for(report),
        not_certifiable=not_certifiable,
        **forms,
    )
    return page, 400 if submitted else 200


@bp.post("/reports/<int:report_id>/amend")
@require(Permission.ISSUE_REPORT)
def amend_report(report_id: int):
    report = load_report(report_id)
    form = AmendReportForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _render_report_detail(report, amend_form=form)
    try:
        amended = rules.amend_test_report(report, form.reason.data, current_user)
    except DomainError as error:
        show_rule_error(form, error)
        return _render_report_detail(report, amend_form=form)
    db.session.commit()
    flash(
        _(
            "Test report %(number)s issued; it replaces %(old)s.",
            number=amended.number,
            old=report.number,
        ),
        "success",
    )
    return redirect(url_for("certification.report_detail", report_id=amended.id))


@bp.get("/reports/<int:report_id>/pdf")
@require(Permission.VIEW_LAB_RECORDS)
def report_pdf(report_id: int):
    report = load_report(report_id)
    return pdf_response(report.pdf_file, f"{report.number}.pdf")


def _certificate_form(report: TestReport, **options) -> CertificateForm:
    form = CertificateForm(**options)
    organisations = db.session.scalars(
        db.select(Organisation).order_by(Organisation.name)
    ).all()
    form.holder.choices = [(o.id, o.name) for o in organisations]
    form.importers.choices = [
        (o.id, o.name) for o in organisations if o.economy_code == "VN"
    ]
    if not form.is_submitted():
        form.holder.data = report.request.applicant_id
    return form


@bp.post("/reports/<int:report_id>/certificates")
@require(Permission.ISSUE_CERTIFICATE)
def issue_certificate(report_id: int):
    report = load_report(report_id)
    form = _certificate_form(report)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _render_report_detail(report, form=form)
    holder = db.get_or_404(Organisation, form.holder.data)
    importers = db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(form.importers.data or []))
    ).all()
    try:
        if current_user.body is None:
            raise DomainError(
                _("Your account is not attached to a certification body.")
            )
        certificate = rules.issue_certificate(
            reports=[report],
            scheme=CertificateScheme(form.scheme.data),
            holder=holder,
            importers=list(importers),
            issuer=current_user.body,
            issued_by=current_user,
            lot_description=form.lot_description.data or "",
            lot_valid_until=form.lot_valid_until.data,
        )
    except DomainError as error:
        show_rule_error(form, error)
        return _render_report_detail(report, form=form)
    db.session.commit()
    flash(_("Certificate %(number)s issued.", number=certificate.number), "success")
    return redirect(
        url_for("certification.certificate_detail", certificate_id=certificate.id)
    )


@bp.get("/certificates")
@require(Permission.ISSUE_CERTIFICATE)
def certificates():
    query = db.select(Certificate).order_by(Certificate.id.desc())
    if current_user.role != Role.ADMIN:
        query = query.where(Certificate.issuer_id == current_user.body_id)
    return render_template("certification/certificates.html", page=paginate(query))


@bp.get("/certificates/<int:certificate_id>")
@require(Permission.ISSUE_CERTIFICATE)
def certificate_detail(certificate_id: int):
    certificate = load_certificate(certificate_id)
    form = StatusForm(formdata=None)
    return _render_certificate_detail(certificate, form), 200


def _render_certificate_detail(certificate: Certificate, form: StatusForm) -> str:
    return render_template(
        "certification/certificate_detail.html",
        certificate=certificate,
        form=form.offer(rules.allowed_status_changes(certificate)),
        events=events_for(certificate),
    )


@bp.post("/certificates/<int:certificate_id>/status")
@require(Permission.CHANGE_CERTIFICATE_STATUS)
def change_status(certificate_id: int):
    certificate = load_certificate(certificate_id)
    form = StatusForm().offer(rules.allowed_status_changes(certificate))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _render_certificate_detail(certificate, form), 400
    try:
        rules.change_certificate_status(
            certificate,
            CertificateStatus(form.to_status.data),
            form.reason.data,
            current_user,
        )
    except DomainError as error:
        show_rule_error(form, error)
        return _render_certificate_detail(certificate, form), 400
    db.session.commit()
    flash(_("Certificate status changed."), "success")
    return redirect(
        url_for("certification.certificate_detail", certificate_id=certificate_id)
    )
