"""Batch import of instrument files from the command line."""

import pytest

from lims.results.models import Result
from tests import factories as f
from tests.lims import results_factories as rf

FLAT = [[0.0, None, 66.5, 66.5]]


@pytest.fixture
def target(app, db):
    staff = rf.lab_staff()
    req, sample = f.request_with_sample(staff.lab, staff.tech)
    item = rf.item(f.regulation(), FLAT)
    db.session.commit()
    return rf.import_command(req, sample, item, staff)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "bench-files"
    path.mkdir()
    return path


def _run(app, args):
    return app.test_cli_runner().invoke(args=args)


def test_import_command_counts_files(app, db, target, folder):
    (folder / "a-scan.csv").write_bytes(rf.EMC_EMI.read_bytes())
    (folder / "b-broken.csv").write_text("not,an\ninstrument file\n")

    outcome = _run(app, [*target, str(folder)])

    assert outcome.exit_code == 0, outcome.output
    assert "2 total, 1 read, 1 imported, 1 rejected" in outcome.output
    assert "points: 2401 read, 2401 imported" in outcome.output
    assert "rejected: " in outcome.output
    assert "b-broken.csv" in outcome.output
    assert "[1/2] reading" in outcome.output
    assert db.session.scalar(db.select(db.func.count(Result.id))) == 1


def test_import_command_fails_on_zero(app, db, target, folder):
    broken = folder / "broken.csv"
    broken.write_text("not,an\ninstrument file\n")

    outcome = _run(app, [*target, str(broken)])

    assert outcome.exit_code == 1
    assert "0 imported, 1 rejected" in outcome.output
    assert "no file was imported" in outcome.output
    assert db.session.scalar(db.select(db.func.count(Result.id))) == 0


def test_import_command_rejects_second_open_result(app, db, target, folder):
    for name in ("one.csv", "two.csv"):
        (folder / name).write_bytes(rf.EMC_EMI.read_bytes())

    outcome = _run(app, [*target, str(folder)])

    assert outcome.exit_code == 0
    assert "2 read, 1 imported, 1 rejected" in outcome.output
    assert "already has an open result" in outcome.output


def test_import_command_unknown_instrument(app, db, target, folder):
    args = list(target)
    args[args.index("--instrument") + 1] = "NO-SUCH"

    outcome = _run(app, [*args, str(rf.EMC_EMI)])

    assert outcome.exit_code != 0
    assert "NO-SUCH" in outcome.output


@pytest.fixture
def named_target(app, db):
    """Import arguments without a test item, and the item to import into."""
    staff = rf.lab_staff()
    req, sample = f.request_with_sample(staff.lab, staff.tech)
    item = rf.item(f.regulation(), FLAT)
    item.name_en = "Conducted emission, mains port, special clamp"
    db.session.commit()
    args = rf.import_command(req, sample, item, staff)
    at = args.index("--test-item")
    return args[:at] + args[at + 2 :], item


def test_test_item_named_by_words(app, db, named_target):
    args, item = named_target

    outcome = _run(app, [*args, "--test-item", "SPECIAL clamp", str(rf.EMC_EMI)])

    assert outcome.exit_code == 0, outcome.output
    result = db.session.scalar(db.select(Result))
    assert result.test_item_id == item.id


@pytest.mark.parametrize(
    ("words", "problem"),
    [("class", "matches several test items"), ("no such item", "matches no")],
)
def test_test_item_words_must_pick_one(app, db, named_target, words, problem):
    args, _ = named_target

    outcome = _run(app, [*args, "--test-item", words, str(rf.EMC_EMI)])

    assert outcome.exit_code != 0
    assert problem in outcome.output
    # The candidates are listed with their ids and regulation.
    assert ": QCVN 118:2018/BTTTT" in outcome.output
    assert db.session.scalar(db.select(db.func.count(Result.id))) == 0
