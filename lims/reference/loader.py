"""Load the reference data shipped in ``lims/reference/data``.

Loading is idempotent: a row whose key exists is updated in place, so a new
release of the data files can be loaded over an existing database.
"""

import csv
import logging
from datetime import date
from pathlib import Path

from lims.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementPhase,
)
from lims.bodies.models import AccreditationBody, Economy
from lims.extensions import db
from lims.regulations.models import (
    HsCode,
    LimitKind,
    Regulation,
    RegulationKind,
    Standard,
    TestItem,
)

logger = logging.getLogger(__name__)
DATA_DIR = Path(__file__).parent / "data"


class ReferenceDataError(ValueError):
    """A reference file has a row that cannot be loaded."""


def rows(name: str):
    path = DATA_DIR / name
    with path.open(encoding="utf-8", newline="") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            yield line_number, {k: (v or "").strip() for k, v in row.items()}


def load_all() -> dict[str, int]:
    counts = {
        "economies": load_economies(),
        "hs_codes": load_hs_codes(),
        "accreditation_bodies": load_accreditation_bodies(),
        "regulations": load_regulations(),
        "test_items": load_test_items(),
        "agreements": load_agreements(),
    }
    db.session.flush()
    logger.info("reference data loaded: %s", counts)
    return counts


def load_economies() -> int:
    count = 0
    for _, row in rows("economies.csv"):
        economy = db.session.get(Economy, row["code"]) or Economy(code=row["code"])
        economy.name_en = row["name_en"]
        economy.name_vi = row["name_vi"] or row["name_en"]
        db.session.add(economy)
        count += 1
    db.session.flush()
    return count


def load_hs_codes() -> int:
    count = 0
    for _, row in rows("hs_codes.csv"):
        code = db.session.get(HsCode, row["code"]) or HsCode(code=row["code"])
        code.description = row["description"]
        code.parent = row["parent"] or None
        code.level = int(row["level"])
        code.source = row["source"]
        db.session.add(code)
        count += 1
    db.session.flush()
    return count


def load_accreditation_bodies() -> int:
    count = 0
    for _, row in rows("accreditation_bodies.csv"):
        body = db.session.scalar(
            db.select(AccreditationBody).where(
                AccreditationBody.acronym == row["acronym"]
            )
        ) or AccreditationBody(acronym=row["acronym"])
        body.name = row["name"]
        body.economy_code = row["economy"]
        body.ilac_mra_testing = _tristate(row["ilac_mra_testing"])
        body.iaf_mla_product = _tristate(row["iaf_mla_product"])
        body.apac_member = _tristate(row["apac_member"])
        body.source = row["source"]
        db.session.add(body)
        count += 1
    db.session.flush()
    return count


def standard_for(label: str) -> Standard | None:
    """Find or create the standard named by "CODE EDITION".

    For example "ETSI EN 300 328 V2.2.2 (2019-07)" or "CISPR 32:2015".
    """
    label = label.split(" ; ")[0].strip()
    if not label:
        return None
    code, edition = _split_standard(label)
    # Callers build a record around the returned standard; flushing that
    # half-built record here would be premature.
    with db.session.no_autoflush:
        standard = db.session.scalar(
            db.select(Standard).where(
                Standard.code == code, Standard.edition == edition
            )
        )
    if standard is None:
        standard = Standard(code=code, edition=edition)
        db.session.add(standard)
        db.session.flush()
    return standard


def _split_standard(label: str) -> tuple[str, str]:
    words = label.split()
    for index, word in enumerate(words):
        is_version = word[:1] in "Vv" and word[1:2].isdigit()
        is_year = word.startswith(":") or word.startswith("(")
        if index > 0 and (is_version or is_year):
            return " ".join(words[:index]), " ".join(words[index:])
    if ":" in label:
        code, _, edition = label.rpartition(":")
        return code.strip(), edition.strip()
    return label, ""


def load_regulations() -> int:
    count = 0
    pending_supersedes = []
    for line, row in rows("regulations.csv"):
        regulation = db.session.scalar(
            db.select(Regulation).where(Regulation.code == row["code"])
        ) or Regulation(code=row["code"])
        try:
            regulation.number = row["number"]
            regulation.year = int(row["year"])
            regulation.issuer = row["issuer"]
            regulation.kind = RegulationKind(row["kind"] or "other")
        except ValueError as error:
            raise ReferenceDataError(
                f"regulations.csv, line {line}: {error}"
            ) from error
        regulation.title_vi = row["title_vi"]
        regulation.title_en = row["title_en"]
        regulation.based_on = standard_for(row["based_on"])
        regulation.effective_from = _date(row["effective_from"])
        regulation.mandatory_from = _date(row["mandatory_from"])
        regulation.transition_ends = _date(row["transition_ends"])
        regulation.source = row["source"]
        db.session.add(regulation)
        pending_supersedes.append((regulation, row["supersedes"]))
        count += 1
    db.session.flush()
    for regulation, supersedes in pending_supersedes:
        older = None
        for code in supersedes.split(" ; "):
            older = older or db.session.scalar(
                db.select(Regulation).where(Regulation.code == code.strip())
            )
        regulation.supersedes = older
    return count


def parse_segments(text: str) -> list[list[float | None]]:
    """Parse "f1:f2:l1:l2;..." or a single level into limit segments."""
    text = text.strip()
    if ":" not in text:
        level = float(text)
        return [[0.0, None, level, level]]
    segments = []
    for part in text.split(";"):
        f1, f2, l1, l2 = (float(v) for v in part.split(":"))
        segments.append([f1, f2, l1, l2])
    return segments


def load_test_items() -> int:
    count = 0
    for line, row in rows("regulation_test_items.csv"):
        regulation = db.session.scalar(
            db.select(Regulation).where(Regulation.code == row["regulation"])
        )
        if regulation is None:
            raise ReferenceDataError(
                f"regulation_test_items.csv, line {line}: unknown regulation "
                f"{row['regulation']!r}"
            )
        clause = row["clause"] or row["name_en"][:40]
        item = db.session.scalar(
            db.select(TestItem).where(
                TestItem.regulation_id == regulation.id,
                TestItem.clause == clause,
                TestItem.name_en == row["name_en"],
            )
        ) or TestItem(regulation=regulation, clause=clause, name_en=row["name_en"])
        try:
            item.segments = parse_segments(row["segments"])
            item.limit_kind = LimitKind(row["limit_kind"] or "max")
        except ValueError as error:
            raise ReferenceDataError(
                f"regulation_test_items.csv, line {line}: {error}"
            ) from error
        item.name_vi = row["name_vi"]
        item.quantity = row["quantity"]
        item.unit = row["unit"]
        item.detector = row["detector"]
        item.interpolation = row["interpolation"] or "linear"
        item.source = row["source"]
        db.session.add(item)
        count += 1
    db.session.flush()
    return count


def load_agreements() -> int:
    count = 0
    by_code = {}
    for _, row in rows("agreements.csv"):
        agreement = db.session.scalar(
            db.select(Agreement).where(Agreement.code == row["code"])
        ) or Agreement(code=row["code"])
        agreement.name = row["name"]
        agreement.kind = AgreementKind(row["kind"])
        agreement.concluded_on = _date(row["concluded_on"])
        agreement.in_force_from = _date(row["in_force_from"])
        years = row["listing_term_years"]
        agreement.listing_term_years = int(years) if years else None
        agreement.source = row["source"]
        db.session.add(agreement)
        by_code[agreement.code] = agreement
        count += 1
    db.session.flush()

    for _, row in rows("agreement_parties.csv"):
        agreement = by_code[row["agreement"]]
        if any(p.economy_code == row["economy"] for p in agreement.parties):
            continue
        agreement.parties.append(
            AgreementParty(
                economy_code=row["economy"], joined_on=_date(row["joined_on"])
            )
        )
    for _, row in rows("agreement_phases.csv"):
        agreement = by_code[row["agreement"]]
        key = (row["economy_a"], row["economy_b"], int(row["phase"]))
        if any((p.economy_a, p.economy_b, p.phase) == key for p in agreement.phases):
            continue
        agreement.phases.append(
            AgreementPhase(
                economy_a=key[0],
                economy_b=key[1],
                phase=key[2],
                in_force_from=_date(row["in_force_from"]),
                source=row["source"],
            )
        )
    return count


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _tristate(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text.lower())
