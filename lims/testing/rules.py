"""Registering test requests, receiving samples and moving requests on."""

from datetime import date

from flask_babel import gettext as _

from lims.audit.service import record, snapshot
from lims.db_types import today_in
from lims.errors import DomainError
from lims.extensions import db
from lims.numbering import allocate
from lims.regulations.models import HsCode, Organisation, Product, Regulation
from lims.testing.models import (
    DecisionRule,
    RequestState,
    Sample,
    TestRequest,
)


def find_or_create_organisation(name: str, economy_code: str, address: str = ""):
    name = name.strip()
    org = db.session.scalar(
        db.select(Organisation).where(
            Organisation.name == name, Organisation.economy_code == economy_code
        )
    )
    if org is None:
        org = Organisation(name=name, economy_code=economy_code, address=address)
        db.session.add(org)
        db.session.flush()
    return org


def find_or_create_product(manufacturer, name: str, model: str, hs_code: str):
    if db.session.get(HsCode, hs_code) is None:
        raise DomainError(
            _(
                "HS code %(code)s is not in the reference list. Enter a 6-digit "
                "code of headings 8517 to 8529, e.g. 851762.",
                code=hs_code,
            ),
            field="hs_code",
        )
    product = db.session.scalar(
        db.select(Product).where(
            Product.manufacturer_id == manufacturer.id, Product.model == model
        )
    )
    if product is None:
        product = Product(
            manufacturer=manufacturer, name=name, model=model, hs_code=hs_code
        )
        db.session.add(product)
        db.session.flush()
    return product


def register_request(
    *,
    lab,
    applicant,
    product,
    regulations: list[Regulation],
    decision_rule: DecisionRule,
    registered_by,
    notes: str = "",
) -> TestRequest:
    if not regulations:
        raise DomainError(_("Choose at least one regulation."), field="regulations")
    year = today_in(lab.timezone).year
    sequence = allocate(f"REQ/{lab.code}/{year}")
    request = TestRequest(
        number=f"{lab.code}-{year}-{sequence:05d}",
        lab=lab,
        applicant=applicant,
        product=product,
        regulations=regulations,
        decision_rule=decision_rule,
        registered_by=registered_by,
        notes=notes,
    )
    db.session.add(request)
    record(
        "request.registered",
        request,
        summary=f"Request {request.number} registered",
        after=snapshot(request, ["number", "state", "decision_rule"]),
        actor=registered_by,
    )
    return request


def move_request(request: TestRequest, state: RequestState, actor) -> None:
    if request.state == state:
        return
    if not request.can_move_to(state):
        raise DomainError(
            _(
                "Request %(number)s is %(state)s and cannot move to %(target)s.",
                number=request.number,
                state=_(request.state.value),
                target=_(state.value),
            )
        )
    before = request.state
    request.state = state
    record(
        "request.state_changed",
        request,
        before={"state": before.value},
        after={"state": state.value},
        actor=actor,
    )


def receive_sample(
    request: TestRequest,
    *,
    description: str,
    serial_number: str,
    condition: str,
    received_on: date,
    received_by,
) -> Sample:
    if request.state not in (
        RequestState.REGISTERED,
        RequestState.SAMPLES_RECEIVED,
        RequestState.IN_TESTING,
    ):
        raise DomainError(
            _(
                "Request %(number)s is %(state)s. Samples can be received only "
                "before review.",
                number=request.number,
                state=_(request.state.value),
            )
        )
    if received_on > today_in(request.lab.timezone):
        raise DomainError(_("The receipt date is in the future."), field="received_on")

    sequence = allocate(f"SAMPLE/{request.number}")
    sample = Sample(
        code=f"{request.number}-S{sequence:02d}",
        request=request,
        description=description,
        serial_number=serial_number,
        condition=condition,
        received_on=received_on,
        received_by=received_by,
    )
    db.session.add(sample)
    if request.state == RequestState.REGISTERED:
        move_request(request, RequestState.SAMPLES_RECEIVED, received_by)
    record(
        "sample.received",
        sample,
        summary=f"Sample {sample.code} received",
        after=snapshot(sample, ["code", "condition", "received_on"]),
        actor=received_by,
    )
    return sample
