"""Recording, reviewing and locking results.

Results typed in by hand and results read from an instrument file pass the
same checks: the request is open for testing, the sample and the test item
belong to it, and every instrument cited was in calibration on the
measurement date.
"""

import dataclasses
import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import date

import instruments
from instruments.limits import LimitLine, evaluate
from lims.audit.service import record, snapshot
from lims.db_types import utcnow
from lims.equipment.models import Instrument
from lims.errors import DomainError
from lims.extensions import db
from lims.regulations.models import LimitKind, TestItem
from lims.results import traces
from lims.results.decision import decide
from lims.results.models import Result, ResultStatus
from lims.storage.models import StoredFile
from lims.testing.models import RequestState, Sample, TestRequest
from lims.testing.rules import move_request

logger = logging.getLogger(__name__)

RESULT_FIELDS = [
    "revision",
    "status",
    "operand",
    "value",
    "unit",
    "expanded_uncertainty",
    "limit_value",
    "margin",
    "frequency_hz",
    "verdict",
    "measured_on",
]


@dataclass(frozen=True)
class Measurement:
    """What a result records, before the checks and the verdict."""

    value: float
    unit: str
    measured_on: date
    expanded_uncertainty: float | None = None
    frequency_hz: float | None = None
    operand: str | None = None
    conditions: str = ""


def limit_line(item: TestItem) -> LimitLine:
    segments = [
        (s[0], math.inf if s[1] is None else s[1], s[2], s[3]) for s in item.segments
    ]
    return LimitLine(
        segments=segments,
        interpolation=item.interpolation,
        unit=item.unit,
        detector=item.detector or None,
    )


def units_match(a: str, b: str) -> bool:
    def norm(unit: str) -> str:
        return unit.replace("µ", "u").replace("μ", "u").replace(" ", "").lower()

    return norm(a) == norm(b)


def record_manual_result(
    request: TestRequest,
    sample: Sample,
    item: TestItem,
    measurement: Measurement,
    used: list[Instrument],
    entered_by,
) -> Result:
    _check_can_record(request, sample, item, used, measurement.measured_on)
    if not units_match(measurement.unit, item.unit):
        raise DomainError(
            f"Unit {measurement.unit!r} does not match the test item's unit "
            f"{item.unit!r}; convert the value to {item.unit}.",
            field="unit",
        )
    limit = _limit_at(item, measurement.frequency_hz)
    margin = None if limit is None else _margin(item, measurement.value, limit)
    return _store_result(
        request, sample, item, measurement, used, entered_by, limit, margin
    )


def record_result_from_file(
    request: TestRequest,
    sample: Sample,
    item: TestItem,
    *,
    content: bytes,
    filename: str,
    measured_on: date,
    expanded_uncertainty: float | None,
    used: list[Instrument],
    entered_by,
    format_name: str | None = None,
    trace_name: str | None = None,
    field_strength: bool = False,
) -> Result:
    """Import one trace of an instrument file as a result.

    ``field_strength`` states that the receiver applied antenna factors and
    cable loss itself, so a trace labelled dBuV holds field strength in
    dBuV/m; the result records that statement in its conditions.
    """
    _check_can_record(request, sample, item, used, measured_on)
    try:
        reading = instruments.read(content, name=filename, format=format_name)
    except instruments.ReadError as error:
        raise DomainError(
            f"{error}. Nothing was imported; check the file or choose its "
            "format explicitly.",
            field="file",
        ) from error

    trace = _pick_trace(reading, trace_name, filename)
    trace_unit, conditions = trace.y_unit, ""
    if field_strength and units_match(trace_unit, "dBuV"):
        trace_unit = trace_unit + "/m"
        conditions = (
            "Transducer factors (antenna factor, cable loss) applied in the "
            "receiver; levels read as field strength."
        )
    if not units_match(trace_unit, item.unit):
        raise DomainError(
            f"{filename}: trace {trace.name!r} is in {trace.y_unit}, but test "
            f"item {item.clause} is limited in {item.unit}.",
            field="file",
        )
    if trace_unit != trace.y_unit:
        trace = dataclasses.replace(trace, y_unit=item.unit)
    try:
        evaluation = evaluate(trace, limit_line(item))
    except ValueError as error:
        raise DomainError(
            f"{filename}: {error}; choose the test item that matches the measurement.",
            field="file",
        ) from error
    worst = evaluation.worst
    margin = worst.margin if item.limit_kind == LimitKind.MAXIMUM else -worst.margin
    stored = _store_file(content, filename, entered_by)
    measurement = Measurement(
        value=worst.y,
        unit=item.unit,
        measured_on=measured_on,
        expanded_uncertainty=expanded_uncertainty,
        frequency_hz=worst.x_hz,
        conditions=conditions,
    )
    result = _store_result(
        request, sample, item, measurement, used, entered_by, worst.limit, margin
    )
    result.source_file = stored
    result.source_format = reading.format
    result.trace_name = trace.name
    result.trace_points = traces.pack(trace.data["x_hz"], trace.data["y"])
    result.trace_point_count = len(trace.data)
    logger.info(
        "imported %s (%s, %d points) into result %s",
        filename,
        reading.format,
        len(trace.data),
        result.id,
    )
    return result


def approve_result(result: Result, reviewer) -> None:
    if result.status != ResultStatus.ENTERED:
        raise DomainError(f"Result {result.id} is {result.status.value}, not open.")
    if result.entered_by_id == reviewer.id:
        raise DomainError("You entered this result; another reviewer must approve it.")
    before = snapshot(result, RESULT_FIELDS)
    result.status = ResultStatus.APPROVED
    result.reviewed_by_id = reviewer.id
    result.reviewed_at = utcnow()
    record(
        "result.approved",
        result,
        before=before,
        after=snapshot(result, RESULT_FIELDS),
        actor=reviewer,
    )
    _close_review_if_done(result.request, reviewer)


def submit_for_review(request: TestRequest, actor) -> None:
    if not current_results(request):
        raise DomainError("Record at least one result before asking for review.")
    move_request(request, RequestState.UNDER_REVIEW, actor)


def current_results(request: TestRequest) -> list[Result]:
    return [
        r
        for r in request.results
        if r.status in (ResultStatus.ENTERED, ResultStatus.APPROVED)
    ]


def _close_review_if_done(request: TestRequest, actor) -> None:
    db.session.flush()
    db.session.refresh(request)
    results = current_results(request)
    all_approved = all(r.status == ResultStatus.APPROVED for r in results)
    if results and all_approved and request.state == RequestState.UNDER_REVIEW:
        move_request(request, RequestState.APPROVED, actor)


def _check_can_record(request, sample, item, used, measured_on) -> None:
    if request.state not in (RequestState.SAMPLES_RECEIVED, RequestState.IN_TESTING):
        raise DomainError(
            f"Request {request.number} is {request.state.value}; results can be "
            "recorded only after samples are received and before review."
        )
    if sample.request_id != request.id:
        raise DomainError(
            f"Sample {sample.code} belongs to another request.", field="sample"
        )
    if item.regulation not in request.regulations:
        raise DomainError(
            f"Test item {item.clause} is not part of the regulations of "
            f"request {request.number}.",
            field="test_item",
        )
    if measured_on < sample.received_on:
        raise DomainError(
            f"The measurement date {measured_on} is before sample {sample.code} "
            f"was received ({sample.received_on}).",
            field="measured_on",
        )
    if not used:
        raise DomainError(
            "Name at least one instrument used for the measurement.",
            field="instruments",
        )
    for instrument in used:
        if instrument.body_id != request.lab_id:
            raise DomainError(
                f"Instrument {instrument.asset_number} belongs to another lab.",
                field="instruments",
            )
        if not instrument.is_calibrated_on(measured_on):
            raise DomainError(
                f"Instrument {instrument.asset_number} was not in calibration on "
                f"{measured_on}; record a calibration or choose another "
                "instrument.",
                field="instruments",
            )


def _pick_trace(reading, trace_name: str | None, filename: str):
    if trace_name:
        for trace in reading.traces:
            if trace.name == trace_name:
                return trace
        names = ", ".join(t.name for t in reading.traces)
        raise DomainError(
            f"{filename}: no trace named {trace_name!r}; the file has {names}.",
            field="trace_name",
        )
    return reading.traces[0]


def _limit_at(item: TestItem, frequency_hz: float | None) -> float | None:
    line = limit_line(item)
    freq = frequency_hz if frequency_hz is not None else line.start_hz
    level = float(line.level_at([freq])[0])
    if math.isnan(level):
        raise DomainError(
            f"No limit of {item.clause} applies at {freq:g} Hz; enter the "
            "frequency at which the value was measured.",
            field="frequency_hz",
        )
    return level


def _margin(item: TestItem, value: float, limit: float) -> float:
    if item.limit_kind == LimitKind.MAXIMUM:
        return value - limit
    return limit - value


def _store_file(content: bytes, filename: str, uploaded_by) -> StoredFile:
    stored = StoredFile(
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=filename,
        media_type="text/plain",
        size=len(content),
        content=content,
        uploaded_by_id=uploaded_by.id,
    )
    db.session.add(stored)
    return stored


def _store_result(request, sample, item, measurement, used, entered_by, limit, margin):
    previous = db.session.scalar(
        db.select(Result)
        .where(Result.sample_id == sample.id, Result.test_item_id == item.id)
        .order_by(Result.revision.desc())
        .limit(1)
    )
    if previous is not None and previous.status == ResultStatus.ENTERED:
        raise DomainError(
            f"Sample {sample.code} already has an open result for {item.clause}; "
            "have it reviewed or retract it first."
        )
    if previous is not None and previous.status == ResultStatus.APPROVED:
        raise DomainError(
            f"The result for {item.clause} on sample {sample.code} is approved "
            "and locked."
        )
    verdict = decide(
        margin if margin is not None else 0.0,
        measurement.expanded_uncertainty,
        request.decision_rule,
        request.guard_band_factor,
    )
    result = Result(
        request=request,
        sample=sample,
        test_item=item,
        revision=(previous.revision + 1) if previous else 1,
        previous=previous,
        operand=measurement.operand,
        value=measurement.value,
        unit=item.unit,
        expanded_uncertainty=measurement.expanded_uncertainty,
        limit_value=limit,
        margin=margin,
        frequency_hz=measurement.frequency_hz,
        verdict=verdict,
        decision_rule=request.decision_rule.value,
        conditions=measurement.conditions,
        measured_on=measurement.measured_on,
        entered_by_id=entered_by.id,
        instruments=list(used),
    )
    db.session.add(result)
    if request.state == RequestState.SAMPLES_RECEIVED:
        move_request(request, RequestState.IN_TESTING, entered_by)
    record(
        "result.entered",
        result,
        summary=f"{item.clause} on {sample.code}: {verdict.value}",
        after=snapshot(result, RESULT_FIELDS),
        actor=entered_by,
    )
    return result
