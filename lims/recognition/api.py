"""JSON API for recognition checks and the public lookup of bodies.

No login. The batch POST is CSRF-exempt like POST /api/v1/verify: it reads no
session cookie, so a forged cross-site post gains nothing.
"""

from collections import Counter

import sqlalchemy as sa
from flask import Blueprint, jsonify, request
from sqlalchemy.orm import selectinload

from lims.agreements.models import Designation, DesignationStatus
from lims.bodies.models import (
    Accreditation,
    AccreditationScopeLine,
    Body,
    BodyIdentifier,
)
from lims.errors import DomainError
from lims.extensions import csrf, db
from lims.pagination import paginate
from lims.recognition import service
from lims.recognition.tables import TableError
from lims.recognition.views import read_shipment, results_file

bp = Blueprint("recognition_api", __name__, url_prefix="/api/v1")

SINGLE_PARAMETERS = ("lab", "regulation", "tested_on", "kind", "standard", "hs_code")


@bp.get("/recognition")
def recognition():
    values = {name: request.args.get(name, "") for name in SINGLE_PARAMETERS}
    decision = service.check_one(values, _decision_date(), "api")
    db.session.commit()
    return jsonify(decision.as_dict())


@bp.post("/recognition/batch")
@csrf.exempt
def recognition_batch():
    on = _decision_date()
    lines = _batch_lines()
    results = service.check_lines(lines, on, "api")
    db.session.commit()
    output = request.args.get("format", "json")
    if output in ("csv", "xlsx"):
        return results_file(results, output)
    counts = Counter(r.decision.verdict if r.decision else "error" for r in results)
    return jsonify(
        {
            "decided_on": on.isoformat(),
            "counts": dict(counts),
            "lines": [r.as_dict() for r in results],
        }
    )


def _decision_date():
    raw = request.args.get("on", "")
    return service.parse_date(raw, "on") if raw else service.decision_date()


def _batch_lines() -> list[tuple[int, dict]]:
    upload = request.files.get("file")
    if upload is not None:
        try:
            return read_shipment(upload.read(), upload.filename or "")
        except TableError as error:
            raise DomainError(str(error), field="file") from None
    items = request.get_json(silent=True) if request.is_json else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DomainError(
            "Send the shipment list in the multipart field 'file', or a JSON "
            "list of objects with regulation, lab and tested_on.",
            field="file",
        )
    return list(enumerate(items, start=1))


@bp.get("/bodies")
def bodies():
    query = db.select(Body).order_by(Body.code)
    q = request.args.get("q", "").strip()[:200]
    if q:
        query = query.where(_matches(q))
    if request.args.get("designated") == "1":
        designated = db.select(Designation.body_id).where(
            Designation.status == DesignationStatus.DESIGNATED
        )
        query = query.where(Body.id.in_(designated))
    page = paginate(query)
    return jsonify(
        {
            "items": [_body_summary(b) for b in page.items],
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
        }
    )


def _matches(q: str):
    pattern = (
        "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    by_identifier = db.select(BodyIdentifier.body_id).where(
        BodyIdentifier.value.ilike(pattern, escape="\\")
    )
    by_designation = db.select(Designation.body_id).where(
        Designation.number.ilike(pattern, escape="\\")
    )
    return sa.or_(
        Body.code.ilike(pattern, escape="\\"),
        Body.name.ilike(pattern, escape="\\"),
        Body.name_en.ilike(pattern, escape="\\"),
        Body.id.in_(by_identifier),
        Body.id.in_(by_designation),
    )


@bp.get("/bodies/<int:body_id>")
def body(body_id: int):
    found = db.get_or_404(
        Body,
        body_id,
        options=[
            selectinload(Body.accreditations)
            .selectinload(Accreditation.scope_lines)
            .selectinload(AccreditationScopeLine.standard)
        ],
        description=f"No body with id {body_id}.",
    )
    designations = db.session.scalars(
        db.select(Designation)
        .where(Designation.body_id == body_id)
        .order_by(Designation.number)
    )
    return jsonify(
        {
            **_body_summary(found),
            "address": found.address,
            "accreditations": [_accreditation(a) for a in found.accreditations],
            "designations": [_designation(d) for d in designations],
        }
    )


def _body_summary(body: Body) -> dict:
    return {
        "id": body.id,
        "code": body.code,
        "name": body.name,
        "name_en": body.name_en,
        "kind": body.kind.value,
        "economy": body.economy_code,
    }


def _accreditation(accreditation: Accreditation) -> dict:
    accreditation_body = accreditation.accreditation_body
    return {
        "number": accreditation.number,
        "accreditation_body": accreditation_body.acronym,
        "ilac_mra": accreditation_body.ilac_mra_testing,
        "iaf_mla": accreditation_body.iaf_mla_product,
        "standard": accreditation.standard,
        "granted_on": accreditation.granted_on.isoformat(),
        "valid_until": accreditation.valid_until.isoformat(),
        "status": accreditation.status.value,
        "scope": [line.standard.label() for line in accreditation.scope_lines],
    }


def _designation(designation: Designation) -> dict:
    return {
        "number": designation.number,
        "agreement": designation.agreement.code,
        "designating_authority": designation.designating_authority,
        "scope": sorted(r.code for r in designation.regulations),
        "designated_on": designation.designated_on.isoformat(),
        "expires_on": _iso(designation.expires_on),
        "status": designation.status.value,
        "history": [
            {
                "status": change.to_status.value,
                "effective_on": change.effective_on.isoformat(),
                "reason": change.reason,
            }
            for change in designation.status_changes
        ],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None
