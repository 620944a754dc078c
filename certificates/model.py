"""Records that the renderers turn into PDFs.

The web application fills these dataclasses from its database. Every value is
already formatted for print: dates are calendar dates in the issuing body's time
zone, and measured values, limits and uncertainties are strings rounded by the
caller. Only `issued_at` and `document_id` are metadata that go into the PDF
file structure rather than onto the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

CERTIFICATE_SCHEMES = ("type_testing", "type_testing_factory", "lot")


@dataclass(frozen=True)
class Party:
    """An organisation named on a document: laboratory, customer, holder, issuer."""

    name: str
    address: str = ""
    identifier: str = ""


@dataclass(frozen=True)
class ResultLine:
    """One row of a test report's results table, with values already formatted."""

    test_item: str
    clause: str
    value: str
    unit: str
    uncertainty: str
    limit: str
    margin: str
    verdict: str
    subcontracted: bool = False
    note: str = ""


@dataclass(frozen=True)
class TracePlot:
    """A measured trace against a limit line, plotted over a log-frequency axis.

    `worst` is the (frequency in Hz, level) of the point with the smallest
    margin to the limit, or None when no point is to be marked.
    """

    title: str
    x_hz: Sequence[float]
    y: Sequence[float]
    y_unit: str
    limit_x_hz: Sequence[float]
    limit_y: Sequence[float]
    worst: tuple[float, float] | None = None


@dataclass(frozen=True)
class CertificateDocument:
    """A product certificate of conformity as ISO/IEC 17065 clause 7.7 lists it.

    `scheme` is one of CERTIFICATE_SCHEMES. `surveillance_dates` is required for
    "type_testing_factory" and `lot_description` for "lot".
    """

    number: str
    scheme: str
    holder: Party
    manufacturer: Party
    product_name: str
    model: str
    hs_code: str
    regulations: list[tuple[str, str]]
    test_reports: list[str]
    importers: list[str]
    issued_on: date
    valid_until: date | None
    surveillance_dates: list[date]
    lot_description: str
    issuer: Party
    signatory_name: str
    signatory_title: str
    verification_url: str
    replaces: str | None
    issued_at: datetime
    document_id: str


@dataclass(frozen=True)
class TestReportDocument:
    """A test report with the content ISO/IEC 17025:2017 clause 7.8.2.1 requires.

    `methods` contains (regulation or standard with its edition, clause or method)
    pairs. `replaces` is (number of the replaced report, reason) or None.
    """

    __test__ = False  # keeps pytest from collecting this class as a test

    number: str
    title: str
    lab: Party
    test_location: str
    customer: Party
    product_description: str
    manufacturer: str
    model: str
    sample_codes: list[str]
    sample_condition: str
    received_on: date
    tested_from: date
    tested_to: date
    issued_on: date
    methods: list[tuple[str, str]]
    results: list[ResultLine]
    deviations: str
    decision_rule: str
    conformity_statement: str
    authorised_by: str
    authorised_role: str
    accreditation: str | None
    replaces: tuple[str, str] | None
    plots: list[TracePlot]
    verification_url: str
    issued_at: datetime
    document_id: str
