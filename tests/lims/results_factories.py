"""Helpers for the results tests: lab staff, test items and imports."""

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lims.auth.models import Role
from lims.extensions import db
from lims.regulations.models import LimitKind, TestItem
from lims.results import rules
from tests import factories as f

DATA = Path(__file__).parent.parent / "data" / "instruments"
EMC_EMI = DATA / "tektronix-EMC-EMI_v1_Example.csv"
RS_SCAN = DATA / "rs-receiver-scan.DAT"
_seq = itertools.count(1)


@dataclass
class Lab:
    lab: object
    tech: object
    reviewer: object
    receiver: object


def lab_staff() -> Lab:
    lab = f.body()
    return Lab(
        lab=lab,
        tech=f.user(Role.TECHNICIAN, lab),
        reviewer=f.user(Role.REVIEWER, lab),
        receiver=f.instrument(lab),
    )


def item(reg, segments, *, unit="dBuV", detector="", kind=LimitKind.MAXIMUM):
    test_item = TestItem(
        regulation=reg,
        clause=f"test clause {next(_seq)}",
        name_en=f"Test item {next(_seq)}",
        unit=unit,
        detector=detector,
        limit_kind=kind,
        segments=segments,
        interpolation="linear",
    )
    db.session.add(test_item)
    db.session.flush()
    return test_item


def import_file(req, sample, test_item, staff: Lab, path=EMC_EMI, **kwargs):
    return rules.record_result_from_file(
        req,
        sample,
        test_item,
        content=path.read_bytes(),
        filename=path.name,
        measured_on=kwargs.pop("measured_on", date.today()),
        expanded_uncertainty=kwargs.pop("uncertainty", 3.4),
        used=kwargs.pop("used", [staff.receiver]),
        entered_by=staff.tech,
        **kwargs,
    )


def import_command(req, sample, test_item, staff: Lab) -> list[str]:
    """Return the ``flask lims import-results`` arguments for one result, to
    which a test adds options and the files."""
    return [
        "lims",
        "import-results",
        "--request",
        req.number,
        "--sample",
        sample.code,
        "--test-item",
        str(test_item.id),
        "--instrument",
        staff.receiver.asset_number,
        "--user",
        staff.tech.email,
        "--uncertainty",
        "3.4",
    ]


def manual(req, sample, test_item, staff: Lab, value, **kwargs):
    measurement = rules.Measurement(
        value=value,
        unit=kwargs.pop("unit", test_item.unit),
        measured_on=kwargs.pop("measured_on", date.today()),
        expanded_uncertainty=kwargs.pop("uncertainty", 1.0),
        **kwargs,
    )
    used = [staff.receiver]
    return rules.record_manual_result(
        req, sample, test_item, measurement, used, staff.tech
    )
