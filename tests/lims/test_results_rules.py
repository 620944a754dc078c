"""Recording results: limits per detector, worst points, bounds and lineage."""

from datetime import date, timedelta

import pytest

import instruments
from lims.certification import rules as certification
from lims.errors import DomainError
from lims.regulations.models import LimitKind
from lims.results import rules
from lims.results.models import ResultStatus, Verdict
from lims.testing.models import DecisionRule, RequestState
from tests import factories as f
from tests.lims import results_factories as rf

FLAT = [[0.0, None, 66.5, 66.5]]


@pytest.fixture
def staff(app, db):
    return rf.lab_staff()


@pytest.fixture
def request_sample(staff):
    return f.request_with_sample(staff.lab, staff.tech)


def test_worst_points_stored_worst_first(staff, request_sample):
    req, sample = request_sample
    result = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)

    points = result.worst_points
    assert len(points) == 10
    assert points[0][0] == pytest.approx(result.frequency_hz)
    assert points[0][3] == pytest.approx(result.margin)
    margins = [p[3] for p in points]
    assert margins == sorted(margins, reverse=True)
    assert len({p[0] for p in points}) == 10


def test_detector_picks_matching_limit(staff, request_sample):
    req, sample = request_sample
    segments = {"quasi-peak": [[0, None, 60, 60]], "average": [[0, None, 50, 50]]}
    test_item = rf.item(f.regulation(), segments)

    result = rf.import_file(
        req, sample, test_item, staff, path=rf.RS_SCAN, trace_name="Trace 3"
    )

    assert result.detector == "quasi-peak"
    assert result.limit_value == 60
    assert result.conditions == ""


def test_trace_of_limit_detector_taken_by_default(staff, request_sample):
    # The scan contains a peak trace first and a quasi-peak trace third.
    req, sample = request_sample
    test_item = rf.item(f.regulation(), FLAT, detector="quasi-peak")

    result = rf.import_file(req, sample, test_item, staff, path=rf.RS_SCAN)

    assert result.trace_name == "Trace 3"
    assert result.detector == "quasi-peak"
    assert result.conditions == ""


def test_chosen_limit_detector_picks_its_trace(staff, request_sample):
    req, sample = request_sample
    segments = {"quasi-peak": [[0, None, 60, 60]], "average": [[0, None, 50, 50]]}
    test_item = rf.item(f.regulation(), segments)

    result = rf.import_file(
        req, sample, test_item, staff, path=rf.RS_SCAN, limit_detector="quasi-peak"
    )

    assert result.trace_name == "Trace 3"
    assert result.limit_value == 60


def test_peak_trace_needs_limit_choice(staff, request_sample):
    req, sample = request_sample
    segments = {"quasi-peak": [[0, None, 70, 70]], "average": [[0, None, 65, 65]]}
    test_item = rf.item(f.regulation(), segments)

    with pytest.raises(DomainError, match="choose the detector"):
        rf.import_file(req, sample, test_item, staff, path=rf.RS_SCAN)
    result = rf.import_file(
        req, sample, test_item, staff, path=rf.RS_SCAN, limit_detector="average"
    )

    assert result.detector == "average"
    assert result.limit_value == 65
    assert result.value == pytest.approx(61.75)
    assert result.verdict == Verdict.PASS
    assert "Peak readings compared with the average limit" in result.conditions


def test_lower_detector_rejected_for_peak_limit(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(f.regulation(), FLAT, detector="peak")

    with pytest.raises(DomainError, match="measured with the quasi-peak detector"):
        rf.import_file(
            req, sample, test_item, staff, path=rf.RS_SCAN, trace_name="Trace 3"
        )
    assert req.results == []


def test_minimum_limit_takes_lowest_point(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(
        f.regulation(), [[0.0, None, 35.0, 35.0]], kind=LimitKind.MINIMUM
    )

    result = rf.import_file(req, sample, test_item, staff, path=rf.RS_SCAN)

    assert result.value == pytest.approx(33.125)
    assert result.margin == pytest.approx(1.875)
    assert result.verdict == Verdict.FAIL
    assert result.worst_points[0][1] == pytest.approx(33.125)


def test_detection_limit_below_maximum_passes(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(f.regulation(), [[0.0, None, 10.0, 10.0]], unit="W/kg")

    result = rf.manual(req, sample, test_item, staff, 5.0, operand="<")

    assert result.operand == "<"
    assert result.value == 5.0
    assert result.margin == pytest.approx(-5.0)
    assert result.verdict == Verdict.PASS


def test_lower_bound_above_maximum_fails(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(f.regulation(), [[0.0, None, 10.0, 10.0]], unit="W/kg")

    result = rf.manual(req, sample, test_item, staff, 12.0, operand=">")

    assert result.verdict == Verdict.FAIL
    assert result.margin == pytest.approx(2.0)


def test_lower_bound_below_maximum_rejected(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(f.regulation(), [[0.0, None, 10.0, 10.0]], unit="W/kg")

    with pytest.raises(DomainError, match="cannot show whether"):
        rf.manual(req, sample, test_item, staff, 5.0, operand=">")


def test_guarded_rule_needs_uncertainty(staff):
    req, sample = f.request_with_sample(
        staff.lab, staff.tech, rule=DecisionRule.GUARD_BAND
    )
    test_item = rf.item(f.regulation(), FLAT)

    with pytest.raises(DomainError, match="expanded uncertainty"):
        rf.manual(req, sample, test_item, staff, 60.0, uncertainty=None)


def test_non_binary_rule_conditional_pass(staff):
    req, sample = f.request_with_sample(
        staff.lab, staff.tech, rule=DecisionRule.NON_BINARY
    )
    test_item = rf.item(f.regulation(), FLAT)

    result = rf.manual(req, sample, test_item, staff, 65.9, uncertainty=3.4)

    assert result.verdict == Verdict.CONDITIONAL_PASS
    assert result.decision_rule == "non_binary"


@pytest.mark.parametrize("path", ["manual", "file"])
def test_overdue_instrument_blocked(staff, request_sample, path):
    req, sample = request_sample
    overdue = f.instrument(staff.lab, due_in_days=-1)
    test_item = rf.item(f.regulation(), FLAT)

    with pytest.raises(DomainError, match=overdue.asset_number):
        if path == "file":
            rf.import_file(req, sample, test_item, staff, used=[overdue])
        else:
            rules.record_manual_result(
                req,
                sample,
                test_item,
                rules.Measurement(60.0, "dBuV", date.today(), 1.0),
                [staff.receiver, overdue],
                staff.tech,
            )
    assert req.results == []


def test_measurement_on_covered_day_accepted(staff, request_sample):
    req, sample = request_sample
    lapsed = f.instrument(staff.lab, due_in_days=-1)
    test_item = rf.item(f.regulation(), FLAT)

    result = rf.import_file(
        req,
        sample,
        test_item,
        staff,
        used=[lapsed],
        measured_on=date.today() - timedelta(days=2),
    )

    assert result.instruments == [lapsed]


def test_retract_then_retest_starts_clean(staff, request_sample):
    req, sample = request_sample
    test_item = rf.item(f.regulation(), [[0.0, None, 10.0, 10.0]], unit="W/kg")
    first = rf.manual(req, sample, test_item, staff, 5.0, operand="<")

    with pytest.raises(DomainError, match="open result"):
        rf.manual(req, sample, test_item, staff, 7.0)
    with pytest.raises(DomainError, match="reason"):
        rules.retract_result(first, "  ", staff.tech)
    rules.retract_result(first, "Probe not zeroed", staff.tech)
    retest = rf.manual(req, sample, test_item, staff, 7.0)

    assert first.status == ResultStatus.RETRACTED
    assert first.closed_reason == "Probe not zeroed"
    assert first.closed_by == staff.tech
    assert retest.revision == 2
    assert retest.previous is first
    assert retest.revision_reason == "Probe not zeroed"
    assert retest.operand is None
    assert retest.margin == pytest.approx(-3.0)
    assert retest.lineage == [first]


def test_reject_returns_result_to_technician(staff, request_sample):
    req, sample = request_sample
    result = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)
    rules.submit_for_review(req, staff.tech)

    with pytest.raises(DomainError, match="another reviewer"):
        rules.reject_result(result, "Wrong cable", staff.tech)
    with pytest.raises(DomainError, match="reason"):
        rules.reject_result(result, "", staff.reviewer)
    rules.reject_result(result, "Wrong cable loss file", staff.reviewer)

    assert result.status == ResultStatus.REJECTED
    assert result.closed_by == staff.reviewer
    assert req.state == RequestState.IN_TESTING
    assert rules.current_results(req) == []
    retest = rf.import_file(req, sample, result.test_item, staff)
    assert retest.revision == 2
    assert retest.previous is result


def test_approved_result_locked_while_testing(staff, request_sample):
    req, sample = request_sample
    kept = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)
    other = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)
    rules.submit_for_review(req, staff.tech)
    rules.approve_result(kept, staff.reviewer)
    rules.reject_result(other, "Scan range too narrow", staff.reviewer)

    with pytest.raises(DomainError, match="approved and locked"):
        rf.import_file(req, sample, kept.test_item, staff)
    assert kept.status == ResultStatus.APPROVED


def test_approve_needs_review_state(staff, request_sample):
    req, sample = request_sample
    result = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)

    with pytest.raises(DomainError, match="not been sent for review"):
        rules.approve_result(result, staff.reviewer)
    assert result.status == ResultStatus.ENTERED


def test_correct_after_report_reopens_request(staff, request_sample, db):
    req, sample = request_sample
    test_item = f.item_named(f.regulation(), "class A, quasi-peak")
    approved = rf.import_file(req, sample, test_item, staff)
    rules.submit_for_review(req, staff.tech)
    rules.approve_result(approved, staff.reviewer)
    certification.issue_test_report(req, staff.reviewer)
    assert req.state == RequestState.REPORTED

    with pytest.raises(DomainError, match="is reported"):
        rf.import_file(req, sample, test_item, staff)
    with pytest.raises(DomainError, match="reason"):
        rules.correct_result(approved, "", staff.tech)
    rules.correct_result(approved, "Uncertainty budget revised", staff.tech)
    assert approved.status == ResultStatus.SUPERSEDED
    assert req.state == RequestState.IN_TESTING

    corrected = rf.import_file(req, sample, test_item, staff, uncertainty=3.6)
    rules.submit_for_review(req, staff.tech)
    rules.approve_result(corrected, staff.reviewer)

    assert corrected.revision == 2
    assert corrected.revision_reason == "Uncertainty budget revised"
    assert corrected.lineage == [approved]
    assert req.state == RequestState.APPROVED
    assert rules.current_results(req) == [corrected]


def test_correct_needs_approved_result(staff, request_sample):
    req, sample = request_sample
    result = rf.import_file(req, sample, rf.item(f.regulation(), FLAT), staff)

    with pytest.raises(DomainError, match="only an approved result"):
        rules.correct_result(result, "typo", staff.tech)


def test_file_date_warning_kept_with_result(staff, request_sample):
    # The scan is dated 2024-03-03, not on the measurement date.
    req, sample = request_sample
    test_item = rf.item(f.regulation(), FLAT, detector="quasi-peak")

    result = rf.import_file(req, sample, test_item, staff, path=rf.RS_SCAN)

    assert result.import_warnings == [
        "The file is dated 2024-03-03, but the measurement date entered is "
        f"{date.today().isoformat()}."
    ]


def test_reader_warnings_kept_and_same_day_adds_none():
    # Two of the three traces in this export were not measured.
    reading = instruments.read(rf.DATA / "keysight-E4411DATA.CSV")
    file_day = date.fromisoformat(reading.metadata["date"][:10])

    warnings = rules._import_warnings(reading, file_day)

    assert warnings == reading.warnings
    assert len(warnings) == 3
