"""Test requests and samples."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lims.audit.service import events_for
from lims.auth.models import Role
from lims.auth.permissions import (
    Permission,
    check_lab_record,
    has_permission,
    require,
)
from lims.bodies.models import Economy
from lims.certification.forms import IssueReportForm
from lims.db_types import today_in
from lims.equipment.models import Instrument
from lims.errors import DomainError
from lims.extensions import db
from lims.forms import ConfirmForm, flash_form_errors, show_rule_error
from lims.pagination import paginate
from lims.regulations.models import Regulation
from lims.results.forms import NO_MAPPING, FileResultForm, ManualResultForm
from lims.results.mappings import lab_profiles
from lims.results.rules import current_results
from lims.testing import rules
from lims.testing.forms import RequestForm, SampleForm
from lims.testing.models import DecisionRule, RequestState, TestRequest

bp = Blueprint("testing", __name__)


def load_request(request_id: int) -> TestRequest:
    test_request = db.get_or_404(TestRequest, request_id)
    check_lab_record(current_user, test_request.lab_id)
    return test_request


@bp.get("/dashboard")
@login_required
def dashboard():
    if current_user.role == Role.CERTIFICATION_OFFICER:
        return redirect(url_for("certification.reports"))
    if current_user.role == Role.IMPORTER:
        return redirect(url_for("public.index"))
    return redirect(url_for("testing.requests"))


@bp.get("/requests")
@require(Permission.VIEW_LAB_RECORDS)
def requests():
    query = db.select(TestRequest).order_by(TestRequest.id.desc())
    if current_user.role != Role.ADMIN:
        query = query.where(TestRequest.lab_id == current_user.body_id)
    state = request.args.get("state")
    if state in {s.value for s in RequestState}:
        query = query.where(TestRequest.state == RequestState(state))
    page = paginate(query)
    return render_template(
        "testing/requests.html", page=page, states=list(RequestState), state=state
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@require(Permission.REGISTER_REQUEST)
def new_request():
    form = RequestForm()
    form.regulations.choices = [
        (r.id, f"{r.code} – {r.title_vi or r.title_en}")
        for r in db.session.scalars(db.select(Regulation).order_by(Regulation.code))
    ]
    form.manufacturer_economy.choices = [
        (e.code, f"{e.code} – {e.name_en}")
        for e in db.session.scalars(db.select(Economy).order_by(Economy.code))
    ]
    if not form.is_submitted():
        form.manufacturer_economy.data = "VN"
    if form.validate_on_submit():
        lab = current_user.body
        applicant = rules.find_or_create_organisation(
            form.applicant_name.data, "VN", form.applicant_address.data or ""
        )
        manufacturer = rules.find_or_create_organisation(
            form.manufacturer_name.data, form.manufacturer_economy.data
        )
        product = rules.find_or_create_product(
            manufacturer,
            form.product_name.data.strip(),
            form.model.data.strip(),
            form.hs_code.data,
        )
        regulations = list(
            db.session.scalars(
                db.select(Regulation).where(Regulation.id.in_(form.regulations.data))
            )
        )
        test_request = rules.register_request(
            lab=lab,
            applicant=applicant,
            product=product,
            regulations=regulations,
            decision_rule=DecisionRule(form.decision_rule.data),
            registered_by=current_user,
            notes=form.notes.data or "",
        )
        db.session.commit()
        flash(
            _("Request %(number)s registered.", number=test_request.number), "success"
        )
        return redirect(url_for("testing.request_detail", request_id=test_request.id))
    return render_template("testing/new_request.html", form=form)


@bp.get("/requests/<int:request_id>")
@require(Permission.VIEW_LAB_RECORDS)
def request_detail(request_id: int):
    return render_request_detail(load_request(request_id))


def render_request_detail(test_request: TestRequest, **submitted):
    """Render a request's page with its forms.

    A rejected post passes its own form in ``submitted`` (``sample_form``,
    ``file_form``, ``manual_form`` or ``report_form``), so the page shows
    what was typed with the errors beside it, with status 400. The other
    forms start empty.
    """
    forms = {**_fresh_forms(test_request), **submitted}
    page = render_template(
        "testing/request_detail.html",
        req=test_request,
        confirm_form=ConfirmForm(),
        events=events_for(test_request),
        results=current_results(test_request),
        all_results=test_request.results,
        can=lambda p: has_permission(current_user, p),
        Permission=Permission,
        RequestState=RequestState,
        **forms,
    )
    return page, 400 if submitted else 200


def _fresh_forms(test_request: TestRequest) -> dict:
    # formdata=None gives a blank form, even while the request carries
    # another form's post.
    sample_form = SampleForm(formdata=None)
    sample_form.received_on.data = today_in(test_request.lab.timezone)
    file_form = FileResultForm(formdata=None)
    manual_form = ManualResultForm(formdata=None, prefix=ManualResultForm.PREFIX)
    _fill_result_choices(test_request, file_form)
    _fill_result_choices(test_request, manual_form)
    report_form = IssueReportForm(formdata=None)
    return {
        "sample_form": sample_form,
        "file_form": file_form,
        "manual_form": manual_form,
        "report_form": report_form.offer(current_results(test_request)),
    }


def _fill_result_choices(test_request: TestRequest, form) -> None:
    form.sample.choices = [(s.id, s.code) for s in test_request.samples]
    form.test_item.choices = [
        (item.id, f"{reg.code} {item.clause} – {item.name_en} ({item.unit})")
        for reg in test_request.regulations
        for item in reg.test_items
    ]
    form.instruments.choices = [
        (i.id, i.label())
        for i in db.session.scalars(
            db.select(Instrument)
            .where(Instrument.body_id == test_request.lab_id)
            .order_by(Instrument.asset_number)
        )
    ]
    if isinstance(form, FileResultForm):
        form.mapping.choices = [NO_MAPPING] + [
            (str(profile.id), profile.name)
            for profile in lab_profiles(test_request.lab_id)
        ]


@bp.post("/requests/<int:request_id>/samples")
@require(Permission.RECEIVE_SAMPLE)
def receive_sample(request_id: int):
    test_request = load_request(request_id)
    form = SampleForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return render_request_detail(test_request, sample_form=form)
    try:
        sample = rules.receive_sample(
            test_request,
            description=form.description.data,
            serial_number=form.serial_number.data or "",
            condition=form.condition.data,
            received_on=form.received_on.data,
            received_by=current_user,
        )
    except DomainError as error:
        show_rule_error(form, error)
        return render_request_detail(test_request, sample_form=form)
    db.session.commit()
    flash(_("Sample %(code)s received.", code=sample.code), "success")
    return redirect(url_for("testing.request_detail", request_id=request_id))


def abort_if_not_staff() -> None:
    if not has_permission(current_user, Permission.VIEW_LAB_RECORDS):
        abort(403)
