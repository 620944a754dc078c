"""Recognition checks as the page, the API and the batch run them.

All three turn text values into :class:`PresentedFacts` with
:func:`facts_from_values`, decide with :func:`lims.recognition.rules.decide`
and log with :func:`log_decisions`, so they give the same verdict for the
same values.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import gettext as _

from lims.agreements.models import RecognitionDecision, RecognitionVerdict
from lims.db_types import today_in
from lims.errors import DomainError
from lims.extensions import db
from lims.recognition.rules import (
    KINDS,
    Decision,
    PresentedFacts,
    decide,
    presented_dict,
)
from lims.recognition.snapshot import Snapshot, load_snapshot

SHIPMENT_COLUMNS = (
    "model",
    "hs_code",
    "regulation",
    "lab",
    "report_number",
    "tested_on",
    "kind",
    "standard",
)
REQUIRED_COLUMNS = ("regulation", "lab", "tested_on")
COLUMN_ALIASES = {
    "test_date": "tested_on",
    "date_tested": "tested_on",
    "hs": "hs_code",
    "designation": "lab",
    "designation_number": "lab",
    "report": "report_number",
}
RESULT_COLUMNS = (
    "line",
    *SHIPMENT_COLUMNS,
    "verdict",
    "agreement",
    "reasons",
    "error",
)


@dataclass(frozen=True)
class Check:
    """The values as given and the facts read from them, for one line."""

    regulation: str
    facts: PresentedFacts


@dataclass
class LineResult:
    line: int
    values: dict[str, str]
    decision: Decision | None = None
    error: str | None = None
    field: str | None = None
    check: Check | None = None

    def as_dict(self) -> dict:
        body = {
            "line": self.line,
            **{c: self.values.get(c, "") for c in SHIPMENT_COLUMNS},
        }
        if self.decision is not None:
            body.update(self.decision.as_dict())
        else:
            body.update({"verdict": None, "agreement": None, "conditions": []})
        body["error"] = self.error
        body["field"] = self.field
        return body

    def row(self) -> list:
        decision = self.decision
        return [
            self.line,
            *(self.values.get(c, "") for c in SHIPMENT_COLUMNS),
            decision.verdict if decision else "",
            (decision.agreement or "") if decision else "",
            " | ".join(decision.reasons()) if decision else "",
            self.error or "",
        ]


def decision_date() -> date:
    """Return today in the application's time zone (Asia/Ho_Chi_Minh)."""
    return today_in(current_app.config["LIMS_TIMEZONE"])


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError(
            _(
                "%(field)s %(value)r is not a date; write it as YYYY-MM-DD.",
                field=field,
                value=text,
            ),
            field=field,
        ) from None


def facts_from_values(values: dict[str, str], on: date) -> Check:
    """Read the check from text values; raise DomainError naming a bad field."""
    for name in REQUIRED_COLUMNS:
        if not (values.get(name) or "").strip():
            raise DomainError(_("%(field)s is missing.", field=name), field=name)
    tested_on = parse_date(values["tested_on"], "tested_on")
    if tested_on > on:
        raise DomainError(
            _(
                "tested_on %(day)s is after the decision date %(on)s.",
                day=tested_on.isoformat(),
                on=on.isoformat(),
            ),
            field="tested_on",
        )
    kind = (values.get("kind") or "report").strip().lower()
    if kind not in KINDS:
        raise DomainError(
            _("kind %(kind)r is invalid; use report or certificate.", kind=kind),
            field="kind",
        )
    facts = PresentedFacts(
        kind=kind,
        lab=values["lab"].strip(),
        tested_on=tested_on,
        standard=(values.get("standard") or "").strip(),
        hs_code=(values.get("hs_code") or "").strip(),
        category=(values.get("category") or "").strip(),
    )
    return Check(regulation=values["regulation"].strip(), facts=facts)


def check_one(values: dict[str, str], on: date, channel: str) -> Decision:
    """Decide on one report or certificate and log the decision."""
    check = facts_from_values(values, on)
    snapshot = load_snapshot(labs=[check.facts.lab])
    decision = decide(check.facts, check.regulation, on, snapshot)
    log_decisions([(check, decision)], on, channel)
    return decision


def check_lines(
    lines: list[tuple[int, dict[str, str]]], on: date, channel: str
) -> list[LineResult]:
    """Decide on every line of a shipment list in memory and log each verdict.

    A line with a bad value gets an error of its own; the other lines are
    still decided.
    """
    snapshot = load_snapshot()
    results, decided = [], []
    for line, raw in lines:
        values = canonical_values(raw)
        result = _check_line(line, values, on, snapshot)
        results.append(result)
        if result.decision is not None:
            decided.append((result.check, result.decision))
    log_decisions(decided, on, channel)
    return results


def _check_line(line: int, values: dict, on: date, snapshot: Snapshot) -> LineResult:
    result = LineResult(line, values)
    try:
        check = facts_from_values(values, on)
        result.decision = decide(check.facts, check.regulation, on, snapshot)
        result.check = check
    except DomainError as error:
        result.error, result.field = error.message, error.field
    return result


def canonical_values(raw: dict) -> dict[str, str]:
    """Map header aliases to the shipment column names; values become text."""
    values = {}
    for key, value in raw.items():
        name = COLUMN_ALIASES.get(str(key), str(key))
        values[name] = "" if value is None else str(value)
    return values


def missing_columns(lines: list[tuple[int, dict[str, str]]]) -> list[str]:
    """List required columns that the table's first row lacks."""
    if not lines:
        return []
    present = set(canonical_values(lines[0][1]))
    return [c for c in REQUIRED_COLUMNS if c not in present]


def log_decisions(
    entries: list[tuple[Check, Decision]], on: date, channel: str
) -> None:
    """Insert one RecognitionDecision row per entry in a single statement."""
    if not entries:
        return
    request_id = g.get("request_id") if has_request_context() else None
    rows = [
        {
            "decided_on": on,
            "channel": channel,
            "kind": check.facts.kind,
            "lab": check.facts.lab[:80],
            "regulation_code": check.regulation[:60],
            "tested_on": check.facts.tested_on,
            "verdict": RecognitionVerdict(decision.verdict),
            "agreement_code": decision.agreement,
            "facts": _logged_facts(check, decision),
            "request_id": request_id,
        }
        for check, decision in entries
    ]
    db.session.execute(sa.insert(RecognitionDecision), rows)


def _logged_facts(check: Check, decision: Decision) -> dict:
    return {
        "presented": presented_dict(check.facts),
        "regulation": check.regulation,
        "conditions": [
            {"code": c.code, "met": c.met, "detail": c.detail, "facts": c.facts}
            for c in decision.conditions
        ],
    }
