"""Recording results, typed in by hand or read from an instrument file.

Both paths pass the same checks. The request must be open for testing, and
the sample and the test item must belong to it. Every instrument cited must
have been in calibration on the measurement date. The unit and detector must
match the test item's limit, and the agreed decision rule must have the
uncertainty it needs. Reviewing results is
in ``lims.results.review``.
"""

import dataclasses
import logging
import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

import instruments
from instruments import ColumnMapping
from instruments.limits import Evaluation, evaluate
from instruments.units import normalise_detector
from lims.audit.service import record, snapshot
from lims.db_types import today_in
from lims.equipment.models import Instrument
from lims.errors import DomainError
from lims.extensions import db
from lims.regulations.models import LimitKind, TestItem
from lims.results import traces
from lims.results.decision import UndecidableBound, decide, margin_of
from lims.results.limits import choose_detector, item_detectors, limit_line
from lims.results.mappings import mapping_for_request
from lims.results.models import (
    CLOSED_STATUSES,
    WORST_POINT_COUNT,
    ColumnMappingProfile,
    Result,
    ResultStatus,
)
from lims.results.review import (  # noqa: F401  (callers import them from here)
    RESULT_FIELDS,
    approve_result,
    correct_result,
    current_results,
    reject_result,
    retract_result,
    submit_for_review,
)
from lims.storage.service import store_file
from lims.testing.models import DecisionRule, RequestState, Sample, TestRequest
from lims.testing.rules import move_request

__all__ = ["limit_line", "record_manual_result", "record_result_from_file"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Measurement:
    """The values a result records, before the checks and the verdict.

    ``detector`` is the detector the instrument used. ``limit_detector``
    chooses the limit of a test item that has several.
    """

    value: float
    unit: str
    measured_on: date
    expanded_uncertainty: float | None = None
    frequency_hz: float | None = None
    operand: str | None = None
    conditions: str = ""
    detector: str | None = None
    limit_detector: str | None = None


@dataclass(frozen=True)
class FileImport:
    """The settings of one instrument file import, shared by every file of a batch.

    ``mapping`` reads the files as generic tables. ``mapping_name`` is the
    name of the saved profile it came from, recorded with each result.
    """

    measured_on: date
    expanded_uncertainty: float | None = None
    format_name: str | None = None
    trace_name: str | None = None
    field_strength: bool = False
    limit_detector: str | None = None
    mapping: ColumnMapping | None = None
    mapping_name: str = ""


@dataclass(frozen=True)
class _Verdict:
    limit: float | None
    margin: float | None
    detector: str | None
    conditions: str
    worst_points: list | None = None


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
    detector, note = choose_detector(
        item, measurement.detector, measurement.limit_detector
    )
    limit = _limit_at(item, detector, measurement.frequency_hz)
    try:
        margin = margin_of(
            measurement.value, limit, item.limit_kind, measurement.operand
        )
    except UndecidableBound as error:
        raise DomainError(
            f"{str(error).capitalize()}; report a measured value or a bound on "
            "the other side of the limit.",
            field="value",
        ) from error
    outcome = _Verdict(limit, margin, detector, _join(measurement.conditions, note))
    return _store_result(request, sample, item, measurement, used, entered_by, outcome)


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
    limit_detector: str | None = None,
    mapping_profile: ColumnMappingProfile | None = None,
) -> Result:
    """Import one trace of an instrument file as a result.

    ``field_strength`` states that the receiver applied antenna factors and
    cable loss itself, so a trace labelled dBuV contains field strength in
    dBuV/m; the result records that statement in its conditions.
    ``mapping_profile`` reads the file as a table through a saved column
    mapping, which must belong to the request's lab.
    """
    mapping = None
    if mapping_profile is not None:
        mapping = mapping_for_request(mapping_profile, request)
    settings = FileImport(
        measured_on=measured_on,
        expanded_uncertainty=expanded_uncertainty,
        format_name=format_name,
        trace_name=trace_name,
        field_strength=field_strength,
        limit_detector=limit_detector,
        mapping=mapping,
        mapping_name=mapping_profile.name if mapping_profile else "",
    )
    reading = read_file(content, filename, format_name, mapping)
    return record_reading(
        request, sample, item, reading, content, settings, used, entered_by
    )


def read_file(
    content: bytes,
    filename: str,
    format_name: str | None = None,
    mapping: ColumnMapping | None = None,
):
    """Read an instrument file; a file that cannot be read raises DomainError."""
    try:
        return instruments.read(
            content, name=filename, format=format_name, mapping=mapping
        )
    except instruments.ReadError as error:
        advice = (
            "choose its format or a saved column mapping"
            if mapping is None
            else "check the column mapping"
        )
        raise DomainError(
            f"{error}. Nothing was imported; check the file or {advice}.",
            field="file",
        ) from error


def record_reading(
    request: TestRequest,
    sample: Sample,
    item: TestItem,
    reading: instruments.Reading,
    content: bytes,
    settings: FileImport,
    used: list[Instrument],
    entered_by,
) -> Result:
    """Record the chosen trace of an instrument reading as a result."""
    filename = reading.source_name
    _check_can_record(request, sample, item, used, settings.measured_on)
    trace = _pick_trace(
        reading, settings.trace_name, filename, item, settings.limit_detector
    )
    trace, conditions = _trace_in_item_unit(trace, item, settings, filename)
    detector, note = choose_detector(item, trace.detector, settings.limit_detector)
    evaluation = _evaluate(trace, item, detector, filename)
    worst = evaluation.worst
    measurement = Measurement(
        value=worst.y,
        unit=item.unit,
        measured_on=settings.measured_on,
        expanded_uncertainty=settings.expanded_uncertainty,
        frequency_hz=worst.x_hz,
        conditions=_join(conditions, note),
        detector=trace.detector,
    )
    outcome = _Verdict(
        worst.limit,
        worst.margin,
        detector,
        measurement.conditions,
        worst_points=_worst_points(evaluation, item),
    )
    # The limit and margin of every point are no longer needed, and packing
    # the trace below is the import's largest allocation.
    del evaluation, worst
    result = _store_result(
        request, sample, item, measurement, used, entered_by, outcome
    )
    result.source_file = store_file(content, filename, "text/plain", entered_by)
    result.source_format = reading.format
    if settings.mapping is not None:
        result.source_mapping = {
            "name": settings.mapping_name,
            "settings": settings.mapping.to_dict(),
        }
    result.import_warnings = _import_warnings(reading, settings.measured_on)
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


def _import_warnings(reading, measured_on: date) -> list[str]:
    """Return the reader's warnings, and one more if the file is dated on
    another day than the measurement date entered."""
    warnings = list(reading.warnings)
    stamp = reading.metadata.get("date", "")
    try:
        file_day = datetime.fromisoformat(stamp).date() if stamp else None
    except ValueError:
        file_day = None
    if file_day is not None and file_day != measured_on:
        warnings.append(
            f"The file is dated {file_day.isoformat()}, but the measurement "
            f"date entered is {measured_on.isoformat()}."
        )
    return warnings


def _trace_in_item_unit(trace, item: TestItem, settings: FileImport, filename: str):
    """Return the trace labelled in the item's unit, and the conditions to record."""
    trace_unit, conditions = trace.y_unit, ""
    if settings.field_strength and units_match(trace_unit, "dBuV"):
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
    return trace, conditions


def _evaluate(trace, item: TestItem, detector: str | None, filename: str) -> Evaluation:
    """Evaluate the trace so that a positive margin always means non-conformity."""
    try:
        evaluation = evaluate(trace, limit_line(item, detector))
    except ValueError as error:
        raise DomainError(
            f"{filename}: {error}; choose the test item that matches the measurement.",
            field="file",
        ) from error
    if item.limit_kind == LimitKind.MINIMUM:
        evaluation = dataclasses.replace(evaluation, margin=-evaluation.margin)
    return evaluation


def _worst_points(evaluation: Evaluation, item: TestItem) -> list[list[float]]:
    return [
        [p.x_hz, p.y, p.limit, p.margin]
        for p in evaluation.worst_points(WORST_POINT_COUNT)
    ]


def _join(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def _check_can_record(request, sample, item, used, measured_on: date) -> None:
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
    if measured_on > today_in(request.lab.timezone):
        raise DomainError(
            f"The measurement date {measured_on} is in the future; enter the "
            "date the measurement was made.",
            field="measured_on",
        )
    if measured_on < sample.received_on:
        raise DomainError(
            f"The measurement date {measured_on} is before sample {sample.code} "
            f"was received ({sample.received_on}).",
            field="measured_on",
        )
    _check_instruments(request, used, measured_on)


def _check_instruments(request, used: list[Instrument], measured_on: date) -> None:
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


def _check_uncertainty(request: TestRequest, uncertainty: float | None) -> None:
    guarded = request.decision_rule != DecisionRule.SIMPLE
    if guarded and uncertainty is None:
        raise DomainError(
            f"Request {request.number} uses the {request.decision_rule.value} "
            "decision rule, which needs the expanded uncertainty U; enter it.",
            field="expanded_uncertainty",
        )


def _pick_trace(
    reading,
    trace_name: str | None,
    filename: str,
    item: TestItem,
    limit_detector: str | None,
):
    """Return the named trace or, without a name, the one that fits the limit.

    A receiver scan often contains a peak, a quasi-peak and an average trace.
    Without a name, the first trace measured with the detector of the limit
    is taken (the chosen limit detector, or the item's only one), and
    otherwise the first trace of the file.
    """
    if trace_name:
        for trace in reading.traces:
            if trace.name == trace_name:
                return trace
        names = ", ".join(t.name for t in reading.traces)
        raise DomainError(
            f"{filename}: no trace named {trace_name!r}; the file has {names}.",
            field="trace_name",
        )
    limit_detector_name = normalise_detector(limit_detector)
    if limit_detector_name is None:
        detectors = item_detectors(item)
        limit_detector_name = detectors[0] if len(detectors) == 1 else None
    if limit_detector_name is not None:
        for trace in reading.traces:
            if normalise_detector(trace.detector) == limit_detector_name:
                return trace
    return reading.traces[0]


def _limit_at(item: TestItem, detector: str | None, frequency_hz: float | None):
    line = limit_line(item, detector)
    freq = frequency_hz if frequency_hz is not None else line.start_hz
    level = float(line.level_at(np.array([freq]))[0])
    if math.isnan(level):
        raise DomainError(
            f"No limit of {item.clause} applies at {freq:g} Hz; enter the "
            "frequency at which the value was measured.",
            field="frequency_hz",
        )
    return level


def _latest_revision(sample: Sample, item: TestItem) -> Result | None:
    previous = db.session.scalar(
        db.select(Result)
        .where(Result.sample_id == sample.id, Result.test_item_id == item.id)
        .order_by(Result.revision.desc())
        .limit(1)
    )
    if previous is None or previous.status in CLOSED_STATUSES:
        return previous
    if previous.status == ResultStatus.ENTERED:
        raise DomainError(
            f"Sample {sample.code} already has an open result for {item.clause}; "
            "have it reviewed or retract it first."
        )
    raise DomainError(
        f"The result for {item.clause} on sample {sample.code} is approved "
        "and locked; correct it, giving a reason, to record a new revision."
    )


def _store_result(
    request, sample, item, measurement, used, entered_by, outcome: _Verdict
) -> Result:
    _check_uncertainty(request, measurement.expanded_uncertainty)
    previous = _latest_revision(sample, item)
    verdict = decide(
        outcome.margin if outcome.margin is not None else 0.0,
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
        revision_reason=previous.closed_reason if previous else "",
        operand=measurement.operand,
        value=measurement.value,
        unit=item.unit,
        expanded_uncertainty=measurement.expanded_uncertainty,
        limit_value=outcome.limit,
        margin=outcome.margin,
        frequency_hz=measurement.frequency_hz,
        verdict=verdict,
        decision_rule=request.decision_rule.value,
        detector=outcome.detector or "",
        worst_points=outcome.worst_points,
        conditions=outcome.conditions,
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
