"""The recognition decision over a table of cases, through every channel.

Each case names the facts presented and the conditions expected not met
(False) or unknown (None); every other condition must be met. The same
cases run through the rule, the public page, the GET API and the batch
(JSON, CSV upload and Excel upload), which must all agree.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

import openpyxl
import pytest

from lims.recognition.rules import CONDITION_CODES, PresentedFacts, decide
from lims.recognition.snapshot import load_snapshot
from tests.lims import recognition_factories as rf

ON = date(2026, 6, 30)
R118 = "QCVN 118:2018/BTTTT"
OLD = "QCVN 999:2019/BTTTT"
NEW = "QCVN 999:2024/BTTTT"


@dataclass(frozen=True)
class Case:
    name: str
    lab: str
    regulation: str
    tested_on: str
    verdict: str
    failing: frozenset = frozenset()
    unknown: frozenset = frozenset()
    kind: str = "report"
    standard: str = ""
    hs_code: str = ""
    on: date = ON
    agreement: str | None = "TEST-KR-VN"
    values: dict = field(default_factory=dict, compare=False)

    def params(self) -> dict[str, str]:
        return {
            "lab": self.lab,
            "regulation": self.regulation,
            "tested_on": self.tested_on,
            "kind": self.kind,
            "standard": self.standard,
            "hs_code": self.hs_code,
        }

    def expected_met(self) -> list[bool | None]:
        return [
            False if c in self.failing else None if c in self.unknown else True
            for c in CONDITION_CODES
        ]


def accepted(name, lab, tested_on, **kw):
    return Case(name, lab, kw.pop("regulation", R118), tested_on, "accepted", **kw)


def rejected(name, lab, tested_on, *failing, **kw):
    return Case(
        name,
        lab,
        kw.pop("regulation", R118),
        tested_on,
        "not_accepted",
        frozenset(failing),
        **kw,
    )


CASES = [
    accepted("baseline by designation", "D-KRL", "2023-01-10"),
    accepted("baseline by lab code", "KRL", "2023-01-10"),
    accepted("lab code in lower case", "krl", "2023-01-10"),
    rejected("day before agreement", "D-KRL", "2019-12-31", "agreement_in_force"),
    accepted("first day of agreement", "D-KRL", "2020-01-01"),
    rejected(
        "certificate under phase 1",
        "D-KRL",
        "2023-01-10",
        "agreement_in_force",
        kind="certificate",
    ),
    rejected(
        "regulation outside scope",
        "D-KRL",
        "2023-01-10",
        "agreement_scope",
        regulation="QCVN 54:2020/BTTTT",
    ),
    rejected(
        "designation lacks regulation",
        "D-KRL",
        "2023-01-10",
        "designation_active",
        regulation="QCVN 74:2020/BTTTT",
    ),
    accepted("day before suspension", "D-KRL", "2022-02-28"),
    rejected("first day suspended", "D-KRL", "2022-03-01", "designation_active"),
    rejected("last day suspended", "D-KRL", "2022-05-31", "designation_active"),
    accepted("day of reinstatement", "D-KRL", "2022-06-01"),
    accepted("designation last day", "D-KRL", "2025-06-30"),
    rejected("designation lapsed", "D-KRL", "2025-07-01", "designation_active"),
    rejected("before accreditation", "D-KRB", "2020-12-31", "accreditation_valid"),
    accepted("accreditation first day", "D-KRB", "2021-01-01"),
    accepted("accreditation last day", "D-KRB", "2023-12-31"),
    rejected("after accreditation", "D-KRB", "2024-01-01", "accreditation_valid"),
    rejected("non-signatory body", "D-KRN", "2023-01-10", "accreditation_valid"),
    Case(
        "signatory status unknown",
        "D-KRU",
        R118,
        "2023-01-10",
        "needs_review",
        unknown=frozenset({"accreditation_valid"}),
    ),
    rejected("signed after test", "D-KRS", "2022-12-31", "accreditation_valid"),
    accepted("signed on test day", "D-KRS", "2023-01-01"),
    rejected("scope lacks standard", "D-KRC", "2023-01-10", "accreditation_valid"),
    rejected("lab not designated", "KRZ", "2023-01-10", "designation_active"),
    Case(
        "unknown lab",
        "NOPE-1",
        R118,
        "2023-01-10",
        "not_accepted",
        frozenset({"designation_active"}),
        frozenset({"agreement_in_force", "agreement_scope", "accreditation_valid"}),
        agreement=None,
    ),
    accepted(
        "edition before successor",
        "D-KRL",
        "2023-01-10",
        regulation=OLD,
        on=date(2024, 6, 30),
    ),
    accepted(
        "superseded, first day of successor",
        "D-KRL",
        "2023-01-10",
        regulation=OLD,
        on=date(2024, 7, 1),
    ),
    accepted(
        "superseded, last transition day",
        "D-KRL",
        "2023-01-10",
        regulation=OLD,
        on=date(2025, 6, 30),
    ),
    rejected(
        "superseded after transition",
        "D-KRL",
        "2023-01-10",
        "standard_edition",
        regulation=OLD,
        on=date(2025, 7, 1),
    ),
    accepted(
        "new edition, old standard in transition",
        "D-KRL",
        "2023-01-10",
        regulation=NEW,
        standard="TST 1:2015",
        on=date(2025, 6, 30),
    ),
    accepted("new edition", "D-KRL", "2024-08-01", regulation=NEW, on=date(2025, 7, 1)),
    rejected(
        "standard of another edition",
        "D-KRL",
        "2023-01-10",
        "standard_edition",
        standard="TST 1:2022",
    ),
    rejected(
        "category needs local testing",
        "D-KRL",
        "2023-01-10",
        "no_local_testing",
        hs_code="851713",
    ),
    accepted("HS code without local rule", "D-KRL", "2023-01-10", hs_code="8517.62"),
    accepted(
        "certificate under phase 2",
        "D-JPC",
        "2022-01-10",
        kind="certificate",
        agreement="TEST-JP-VN",
    ),
    rejected(
        "certificate before phase 2",
        "D-JPC",
        "2020-12-31",
        "agreement_in_force",
        kind="certificate",
        agreement="TEST-JP-VN",
    ),
    accepted(
        "report under phase 1 of two", "D-JPC", "2020-06-01", agreement="TEST-JP-VN"
    ),
]


@pytest.fixture
def world(app, db):
    return rf.world()


def _met(conditions) -> list:
    return [c["met"] if isinstance(c, dict) else c.met for c in conditions]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule_case(world, case):
    facts = PresentedFacts(
        kind=case.kind,
        lab=case.lab,
        tested_on=date.fromisoformat(case.tested_on),
        standard=case.standard,
        hs_code=case.hs_code,
    )
    decision = decide(facts, case.regulation, case.on, load_snapshot())

    assert [c.code for c in decision.conditions] == list(CONDITION_CODES)
    assert _met(decision.conditions) == case.expected_met(), decision.conditions
    assert decision.verdict == case.verdict
    assert decision.agreement == case.agreement
    assert all(c.detail for c in decision.conditions)


def test_case_table_size():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


def _api(client, case) -> dict:
    response = client.get(
        "/api/v1/recognition", query_string={**case.params(), "on": case.on}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _page(client, case) -> dict:
    response = client.post("/recognition", data={**case.params(), "on": case.on})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    section = html[html.index('id="recognition-result"') :]
    verdict = re.search(r'data-verdict="([a-z_]+)"', section).group(1)
    agreement = re.search(r'data-agreement="([^"]*)"', section).group(1) or None
    met = [
        {"true": True, "false": False, "null": None}[m]
        for m in re.findall(r'data-met="(true|false|null)"', section)
    ]
    return {"verdict": verdict, "agreement": agreement, "met": met}


def _batch_json(client, cases) -> list[dict]:
    response = client.post(
        "/api/v1/recognition/batch",
        query_string={"on": cases[0].on},
        json=[c.params() for c in cases],
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["lines"]


def _shipment_csv(cases) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Model",
            "HS code",
            "Regulation",
            "Lab",
            "Report number",
            "Tested on",
            "Kind",
            "Standard",
        ]
    )
    for n, c in enumerate(cases):
        writer.writerow(
            [
                f"M-{n}",
                c.hs_code,
                c.regulation,
                c.lab,
                f"R-{n}",
                c.tested_on,
                c.kind,
                c.standard,
            ]
        )
    return buffer.getvalue().encode()


def _batch_file(client, cases, output) -> list[dict]:
    response = client.post(
        "/recognition/batch",
        data={
            "file": (io.BytesIO(_shipment_csv(cases)), "shipment.csv"),
            "on": cases[0].on.isoformat(),
            "output": output,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    if output == "csv":
        text = response.get_data().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_channels_agree(client, csrf_off, world):
    by_on = groupby(sorted(CASES, key=lambda c: c.on), key=lambda c: c.on)
    for _, group in by_on:
        cases = list(group)
        lines = _batch_json(client, cases)
        csv_rows = _batch_file(client, cases, "csv")
        xlsx_rows = _batch_file(client, cases, "xlsx")
        for case, line, csv_row, xlsx_row in zip(
            cases, lines, csv_rows, xlsx_rows, strict=True
        ):
            api = _api(client, case)
            page = _page(client, case)
            expected = case.expected_met()
            assert api["verdict"] == case.verdict, case.name
            assert _met(api["conditions"]) == expected, case.name
            assert api["agreement"] == case.agreement, case.name
            assert page == {
                "verdict": case.verdict,
                "agreement": case.agreement,
                "met": expected,
            }, case.name
            assert line["verdict"] == case.verdict, case.name
            assert _met(line["conditions"]) == expected, case.name
            assert line["conditions"] == api["conditions"], case.name
            assert csv_row["verdict"] == case.verdict, case.name
            assert (csv_row["agreement"] or None) == case.agreement, case.name
            assert xlsx_row["verdict"] == case.verdict, case.name
