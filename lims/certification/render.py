"""Build the document records that the ``certificates`` package renders.

Everything printed comes from stored records, so rendering the same record
again gives the same bytes and the stored SHA-256 can be recomputed.
"""

import hashlib
from datetime import date

import certificates as docs
from certificates import plots as docs_plots
from lims.certification.models import Certificate, CertificateScheme
from lims.extensions import db
from lims.results.decision import format_measurement, rule_statement
from lims.results.plot import trace_and_limit

VERDICT_LABELS = {
    "pass": "Đạt / Pass",
    "conditional_pass": "Đạt có điều kiện / Conditional pass",
    "conditional_fail": "Không đạt có điều kiện / Conditional fail",
    "fail": "Không đạt / Fail",
}


def document_id(kind: str, number: str) -> str:
    return hashlib.md5(f"{kind}:{number}".encode(), usedforsecurity=False).hexdigest()


def _party(org) -> docs.Party:
    return docs.Party(name=org.name, address=org.address or "")


def _result_line(result, subcontracted: bool = False) -> docs.ResultLine:
    value, uncertainty = format_measurement(result.value, result.expanded_uncertainty)
    if result.operand:
        value = f"{result.operand} {value}"
    limit = "" if result.limit_value is None else f"{result.limit_value:g}"
    margin = "" if result.margin is None else f"{result.margin:+.2f}"
    item = result.test_item
    note = ""
    if result.frequency_hz is not None:
        note = f"f = {result.frequency_hz / 1e6:.4f} MHz"
    return docs.ResultLine(
        test_item=item.name_vi + " / " + item.name_en if item.name_vi else item.name_en,
        clause=item.clause,
        value=value,
        unit=result.unit,
        uncertainty=uncertainty,
        limit=limit,
        margin=margin,
        verdict=VERDICT_LABELS[result.verdict.value],
        subcontracted=subcontracted,
        note=note,
    )


def _plot(result) -> docs.TracePlot | None:
    data = trace_and_limit(result, docs_plots.MAX_DRAWN_POINTS)
    if data is None:
        return None
    x, y, limit_x, limit_y = data
    worst = None
    if result.frequency_hz is not None:
        worst = (result.frequency_hz, result.value)
    return docs.TracePlot(
        title=f"{result.test_item.clause} – {result.sample.code} – {result.trace_name}",
        x_hz=x.tolist(),
        y=y.tolist(),
        y_unit=result.unit,
        limit_x_hz=limit_x.tolist(),
        limit_y=limit_y.tolist(),
        worst=worst,
    )


def report_results(report) -> list:
    """Return the results printed on ``report``, in the order they were printed."""
    from lims.results.models import Result

    if not report.result_ids:
        return []
    rows = db.session.scalars(
        db.select(Result).where(Result.id.in_(report.result_ids))
    ).all()
    by_id = {row.id: row for row in rows}
    return [by_id[i] for i in report.result_ids if i in by_id]


def conformity_statement(results) -> str:
    """Return the bilingual statement of conformity (ISO/IEC 17025 7.8.6)."""
    regulations = ", ".join(sorted({r.test_item.regulation.code for r in results}))
    if all(r.verdict.value == "pass" for r in results):
        return (
            f"Mẫu thử phù hợp với {regulations}. / The item tested conforms to "
            f"{regulations}."
        )
    return (
        f"Mẫu thử không phù hợp với ít nhất một yêu cầu của {regulations}. / The "
        f"item tested does not conform to at least one requirement of "
        f"{regulations}."
    )


def _sample_codes(samples) -> list[str]:
    return [
        f"{s.code} (S/N {s.serial_number})" if s.serial_number else s.code
        for s in samples
    ]


def _replaces(report) -> tuple[str, str] | None:
    if report.replaces is None:
        return None
    return report.replaces.number, report.replacement_reason


def report_document(report) -> docs.TestReportDocument:
    """Build the printed test report from the stored report record."""
    request = report.request
    lab = report.lab
    results = report_results(report)
    samples = request.samples
    measured = [r.measured_on for r in results]
    accreditation = lab.accreditation_valid_on(report.issued_on)
    subcontracted = set(report.subcontracted_result_ids)
    methods = [
        (reg.code, reg.based_on.label() if reg.based_on else "")
        for reg in request.regulations
    ]
    plots = [p for p in (_plot(r) for r in results) if p is not None]
    return docs.TestReportDocument(
        number=report.number,
        title="Báo cáo thử nghiệm / Test report",
        lab=_party_body(lab),
        test_location=report.test_location or lab.address or "",
        customer=_party(request.applicant),
        product_description=request.product.name,
        manufacturer=request.product.manufacturer.name,
        model=request.product.model,
        sample_codes=_sample_codes(samples),
        sample_condition="; ".join(s.condition for s in samples if s.condition),
        received_on=min(s.received_on for s in samples),
        tested_from=min(measured),
        tested_to=max(measured),
        issued_on=report.issued_on,
        methods=methods,
        results=[_result_line(r, r.id in subcontracted) for r in results],
        deviations=report.deviations or "Không có / None",
        decision_rule=rule_statement(request.decision_rule, request.guard_band_factor),
        conformity_statement=conformity_statement(results),
        authorised_by=report.authorised_by.name,
        authorised_role="Người phê duyệt / Reviewer",
        accreditation=accreditation.label() if accreditation else None,
        replaces=_replaces(report),
        plots=plots,
        verification_url=report.verification_url,
        issued_at=report.issued_at,
        document_id=document_id("report", report.number),
    )


def _party_body(body) -> docs.Party:
    return docs.Party(name=body.name, address=body.address or "", identifier=body.code)


def certificate_document(cert: Certificate) -> docs.CertificateDocument:
    """Build the printed certificate from the stored certificate record.

    NOTE: names come from the linked organisation, product and user rows,
    so renaming one of them changes a re-rendered PDF; the stored PDF and
    its hash stay as issued.
    """
    product = cert.product
    return docs.CertificateDocument(
        number=cert.number,
        scheme=cert.scheme.value,
        holder=_party(cert.holder),
        manufacturer=_party(product.manufacturer),
        product_name=product.name,
        model=product.model,
        hs_code=product.hs_code,
        regulations=[(r.code, r.title_vi or r.title_en) for r in cert.regulations],
        test_reports=[r.number for r in cert.reports],
        importers=[o.name for o in cert.importers],
        issued_on=cert.issued_on,
        valid_until=cert.valid_until,
        surveillance_dates=[date.fromisoformat(d) for d in cert.surveillance_dates],
        lot_description=cert.lot_description
        if cert.scheme == CertificateScheme.LOT
        else "",
        issuer=_party_body(cert.issuer),
        signatory_name=cert.issued_by.name,
        signatory_title="Cán bộ chứng nhận / Certification officer",
        verification_url=cert.verification_url,
        replaces=cert.replaces.number if cert.replaces else None,
        issued_at=cert.issued_at,
        document_id=document_id("certificate", cert.number),
    )
