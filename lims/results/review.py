"""Reviewing results: submit, approve, reject, retract and correct.

A result is reviewed by a user other than the one who entered it; approval
locks it. A result that no longer counts is closed with a reason (retracted
by the technician, rejected by the reviewer, or superseded by a correction
after approval); the next result for the same sample and test item is a new
revision linked to it, and goes through review again.
"""

from lims.audit.service import record, snapshot
from lims.db_types import utcnow
from lims.errors import DomainError
from lims.extensions import db
from lims.results.models import Result, ResultStatus
from lims.testing.models import RequestState, TestRequest
from lims.testing.rules import move_request

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
    "detector",
    "measured_on",
    "closed_reason",
]


def current_results(request: TestRequest) -> list[Result]:
    """Return the entered and approved results of ``request``, read afresh."""
    return list(
        db.session.scalars(
            db.select(Result)
            .where(
                Result.request_id == request.id,
                Result.status.in_([ResultStatus.ENTERED, ResultStatus.APPROVED]),
            )
            .order_by(Result.id)
        )
    )


def submit_for_review(request: TestRequest, actor) -> None:
    if not current_results(request):
        raise DomainError("Record at least one result before asking for review.")
    move_request(request, RequestState.UNDER_REVIEW, actor)


def approve_result(result: Result, reviewer) -> None:
    _check_reviewable(result, reviewer, "approve")
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


def reject_result(result: Result, reason: str, reviewer) -> None:
    """Return an entered result to the technician; the request goes back to testing."""
    _check_reviewable(result, reviewer, "reject")
    result.reviewed_by_id = reviewer.id
    result.reviewed_at = utcnow()
    _close(result, ResultStatus.REJECTED, reason, reviewer)


def retract_result(result: Result, reason: str, actor) -> None:
    """Withdraw an entered, unreviewed result so that the sample can be retested."""
    if result.status != ResultStatus.ENTERED:
        raise DomainError(
            f"Result {result.id} is {result.status.value}; only an entered result "
            "can be retracted. Correct an approved result instead."
        )
    _close(result, ResultStatus.RETRACTED, reason, actor)


def correct_result(result: Result, reason: str, actor) -> None:
    """Supersede an approved result; its correction is the next revision."""
    if result.status != ResultStatus.APPROVED:
        raise DomainError(
            f"Result {result.id} is {result.status.value}; only an approved result "
            "is corrected. Retract an entered result instead."
        )
    _close(result, ResultStatus.SUPERSEDED, reason, actor)


def _check_reviewable(result: Result, reviewer, action: str) -> None:
    if result.status != ResultStatus.ENTERED:
        raise DomainError(f"Result {result.id} is {result.status.value}, not open.")
    if result.request.state != RequestState.UNDER_REVIEW:
        raise DomainError(
            f"Request {result.request.number} has not been sent for review."
        )
    if result.entered_by_id == reviewer.id:
        raise DomainError(
            f"You entered this result; another reviewer must {action} it."
        )


def _close(result: Result, status: ResultStatus, reason: str, actor) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            f"Give the reason why result {result.id} is {status.value}.",
            field="reason",
        )
    before = snapshot(result, RESULT_FIELDS)
    result.status = status
    result.closed_by_id = actor.id
    result.closed_at = utcnow()
    result.closed_reason = reason
    record(
        f"result.{status.value}",
        result,
        summary=reason,
        before=before,
        after=snapshot(result, RESULT_FIELDS),
        actor=actor,
    )
    request = result.request
    if request.state in (
        RequestState.UNDER_REVIEW,
        RequestState.APPROVED,
        RequestState.REPORTED,
    ):
        move_request(request, RequestState.IN_TESTING, actor)


def _close_review_if_done(request: TestRequest, actor) -> None:
    results = current_results(request)
    all_approved = all(r.status == ResultStatus.APPROVED for r in results)
    if results and all_approved and request.state == RequestState.UNDER_REVIEW:
        move_request(request, RequestState.APPROVED, actor)
