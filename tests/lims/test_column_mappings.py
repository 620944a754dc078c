"""Saved column mappings: the model, the pages, the audit trail and imports."""

import io
import json
import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa

from instruments import ColumnMapping
from lims.audit.models import AuditEvent
from lims.audit.service import events_for
from lims.auth.models import Role
from lims.demo import GERMAN_LEVEL_TABLE
from lims.errors import DomainError
from lims.extensions import db as _db
from lims.results import mappings
from lims.results.forms import format_column_list, parse_column_list
from lims.results.models import ColumnMappingProfile, Result
from lims.storage.models import StoredFile
from tests import factories as f
from tests.lims import results_factories as rf
from tests.lims.pages import login, post_form

LEVEL_TABLE = rf.DATA / "level-table.DE.tsv"
FLAT = [[0.0, None, 66.5, 66.5]]
# The demo lab's mapping, which reads this fixture.
GERMAN = GERMAN_LEVEL_TABLE
# The German mapping as the form fields post it.
GERMAN_FORM = {
    "name": "German level table",
    "description": "Spreadsheet export",
    "x_column": "Frequenz",
    "x_unit": "",
    "y_columns": "Pegel",
    "y_unit": "",
    "separator": "tab",
    "decimal": ",",
    "header_rows": "2",
    "units_row": "1",
    "encoding": "",
    "date_column": "Datum",
    "date_format": "%d.%m.%Y",
    "sheet": "0",
}


@pytest.fixture
def staff(app, db):
    staff = rf.lab_staff()
    db.session.commit()
    return staff


def _save(staff, name="German level table", mapping=GERMAN, lab=None):
    return mappings.save_profile(
        lab or staff.lab,
        None,
        name=name,
        description="",
        mapping=mapping,
        actor=staff.tech,
    )


def _sign_in(client, user):
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


# The model


def test_profile_round_trip(staff, db):
    profile = _save(staff)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(ColumnMappingProfile, profile.id)

    assert stored.to_mapping() == GERMAN
    assert stored.separator == "\t"
    assert stored.x_unit == ""
    assert stored.created_at.tzinfo is not None
    assert stored.updated_at >= stored.created_at


def test_profile_positions_stored_as_digits(staff, db):
    mapping = ColumnMapping(x_column=2, y_columns=(3, "Pegel"), sheet=1)
    profile = _save(staff, mapping=mapping)
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(ColumnMappingProfile, profile.id)

    assert stored.x_column == "2"
    assert stored.y_columns == ["3", "Pegel"]
    assert stored.to_mapping() == mapping


def test_profile_rejects_digit_header_name(staff, db):
    mapping = ColumnMapping(x_column="2024", y_columns=("Pegel",))

    with pytest.raises(DomainError, match="only digits"):
        _save(staff, mapping=mapping)


def test_profile_text_stored_in_nfc(staff, db):
    decomposed = unicodedata.normalize("NFD", "Mức tín hiệu")
    mapping = ColumnMapping(x_column="Hz", y_columns=(decomposed,), y_unit="dBuV")
    profile = _save(
        staff, name=unicodedata.normalize("NFD", "Bảng đo"), mapping=mapping
    )
    db.session.commit()

    row = db.session.execute(
        sa.text("SELECT name, y_columns FROM column_mapping_profile WHERE id = :id"),
        {"id": profile.id},
    ).one()

    assert row.name == unicodedata.normalize("NFC", "Bảng đo")
    columns = (
        row.y_columns if isinstance(row.y_columns, list) else json.loads(row.y_columns)
    )
    assert columns == [unicodedata.normalize("NFC", "Mức tín hiệu")]


def test_profile_name_unique_per_lab(staff, db):
    _save(staff)
    other_lab = f.body()

    with pytest.raises(DomainError, match="already has a column mapping"):
        _save(staff)
    assert _save(staff, lab=other_lab).lab_id == other_lab.id


# Audit trail


def test_profile_changes_audited(staff, db):
    profile = _save(staff)
    mappings.save_profile(
        staff.lab,
        profile,
        name="German level table",
        description="",
        mapping=ColumnMapping(**{**GERMAN.__dict__, "header_rows": 3}),
        actor=staff.tech,
    )
    profile_id = profile.id
    mappings.delete_profile(profile, staff.tech)
    db.session.commit()

    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "column_mapping_profile")
        .where(AuditEvent.object_id == str(profile_id))
        .order_by(AuditEvent.id)
    ).all()

    assert [e.action for e in events] == [
        "column_mapping.created",
        "column_mapping.updated",
        "column_mapping.deleted",
    ]
    assert all(e.actor_id == staff.tech.id for e in events)
    assert events[0].after["y_columns"] == ["Pegel"]
    assert events[1].before["header_rows"] == 2
    assert events[1].after["header_rows"] == 3
    assert events[2].before["name"] == "German level table"
    assert events[2].after is None
    assert db.session.get(ColumnMappingProfile, profile_id) is None


# Pages


def test_create_through_form(client, staff, db):
    login(client, staff.tech)

    response = post_form(
        client, "/column-mappings/new", "/column-mappings/new", GERMAN_FORM
    )

    assert response.status_code == 302
    profile = _db.session.scalar(sa.select(ColumnMappingProfile))
    assert profile.lab_id == staff.lab.id
    assert profile.to_mapping() == GERMAN
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "column_mapping.created" in page
    assert 'value="tab"' in page
    listing = client.get("/column-mappings").get_data(as_text=True)
    assert "German level table" in listing


def test_edit_through_form(client, staff, db):
    profile = _save(staff)
    db.session.commit()
    login(client, staff.tech)
    page = f"/column-mappings/{profile.id}"

    response = post_form(
        client, page, page, {**GERMAN_FORM, "y_columns": 'Pegel, "Level, QP"'}
    )

    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(ColumnMappingProfile, profile.id).y_columns == [
        "Pegel",
        "Level, QP",
    ]
    form = client.get(page).get_data(as_text=True)
    assert "column_mapping.updated" in form
    assert "Pegel, &#34;Level, QP&#34;" in form


def test_edit_over_newer_save_refused(client, staff, db):
    # Two people open the same mapping; the first saves, then the second.
    profile = _save(staff)
    db.session.commit()
    login(client, staff.tech)
    page = f"/column-mappings/{profile.id}"
    opened = profile.version
    first = post_form(
        client, page, page, {**GERMAN_FORM, "version": str(opened), "y_unit": "dBm"}
    )

    second = post_form(
        client,
        page,
        page,
        {**GERMAN_FORM, "version": str(opened), "description": "Second edit"},
    )

    _db.session.expire_all()
    saved = _db.session.get(ColumnMappingProfile, profile.id)
    assert first.status_code == 302
    assert second.status_code == 400
    assert "Someone saved this column mapping" in second.get_data(as_text=True)
    assert saved.y_unit == "dBm"
    assert saved.description != "Second edit"
    assert saved.version == opened + 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"separator": "ab"}, "separator", "Enter one character"),
        ({"separator": ","}, "decimal", "cannot also be the column separator"),
        ({"header_rows": "-1"}, "header_rows", "Number must be between 0 and 1000"),
        ({"units_row": "2"}, "units_row", "enter a number below 2"),
        ({"units_row": ""}, "x_unit", "Choose the frequency unit"),
        ({"units_row": ""}, "y_unit", "Enter the level unit"),
        ({"date_format": ""}, "date_format", "Enter the format of the dates"),
        ({"date_column": ""}, "date_format", "Name the date column too"),
        ({"date_format": "%Q"}, "date_format", "Not a valid date format"),
        ({"y_columns": "Pegel,,Zeit"}, "y_columns", "leaving none empty"),
        ({"encoding": "klingon"}, "encoding", "Unknown encoding"),
        ({"x_column": ""}, "x_column", "This field is required"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_form_messages_per_field(client, staff, db, csrf_off, changes, field, message):
    _sign_in(client, staff.tech)

    response = client.post("/column-mappings/new", data={**GERMAN_FORM, **changes})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    block = page[page.index(f'for="{field}"') :]
    block = block[: block.index("</div>")]
    assert message in block
    assert _count(ColumnMappingProfile) == 0


def test_form_duplicate_name_on_field(client, staff, db, csrf_off):
    _save(staff)
    db.session.commit()
    _sign_in(client, staff.tech)

    response = client.post("/column-mappings/new", data=GERMAN_FORM)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    block = page[page.index('for="name"') :]
    assert "already has a column mapping" in block[: block.index("</div>")]
    assert _count(ColumnMappingProfile) == 1


def test_try_shows_points_saves_nothing(client, staff, db, csrf_off):
    _sign_in(client, staff.tech)
    data = {
        **GERMAN_FORM,
        "action": "try",
        "sample": (io.BytesIO(LEVEL_TABLE.read_bytes()), "levels.tsv"),
    }

    response = client.post(
        "/column-mappings/new", data=data, content_type="multipart/form-data"
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="trial-result"' in page
    assert '<span class="trial-points">4</span>' in page
    assert "<td>0.150000</td><td>41.25</td>" in page
    assert "2024-03-04" in page
    assert _count(ColumnMappingProfile) == 0
    assert _count(AuditEvent) == 0


def test_try_shows_read_error(client, staff, db, csrf_off):
    _sign_in(client, staff.tech)
    data = {
        **GERMAN_FORM,
        "decimal": ".",
        "action": "try",
        "sample": (io.BytesIO(LEVEL_TABLE.read_bytes()), "levels.tsv"),
    }

    response = client.post(
        "/column-mappings/new", data=data, content_type="multipart/form-data"
    )

    page = response.get_data(as_text=True)
    error = page[page.index('id="trial-error"') :]
    assert "<dd>levels.tsv</dd>" in error
    assert "<dd>3</dd>" in error
    assert "0,15" in error
    assert _count(ColumnMappingProfile) == 0


def test_try_without_file(client, staff, db, csrf_off):
    _sign_in(client, staff.tech)

    response = client.post(
        "/column-mappings/new", data={**GERMAN_FORM, "action": "try"}
    )

    assert response.status_code == 400
    assert "Choose a sample file" in response.get_data(as_text=True)


def test_delete_through_form(client, staff, db, csrf_off):
    profile = _save(staff)
    db.session.commit()
    _sign_in(client, staff.tech)

    response = client.post(f"/column-mappings/{profile.id}/delete", data={})

    assert response.status_code == 302
    assert _count(ColumnMappingProfile) == 0
    actions = _db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "column_mapping.deleted" in actions


def test_download_json_loads_back(client, staff, db):
    profile = _save(staff)
    db.session.commit()
    _sign_in(client, staff.tech)

    response = client.get(f"/column-mappings/{profile.id}/mapping.json")

    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert ColumnMapping.from_dict(json.loads(response.data)) == GERMAN


def test_other_lab_gets_403(client, staff, db, csrf_off):
    profile = _save(staff)
    other_lab = f.body()
    stranger = f.user(Role.TECHNICIAN, other_lab)
    own = _save(staff, name="Their own table", lab=other_lab)
    db.session.commit()
    _sign_in(client, stranger)

    pages = [
        ("GET", f"/column-mappings/{profile.id}"),
        ("POST", f"/column-mappings/{profile.id}"),
        ("POST", f"/column-mappings/{profile.id}/delete"),
        ("GET", f"/column-mappings/{profile.id}/mapping.json"),
    ]
    for method, url in pages:
        response = client.open(url, method=method, data=GERMAN_FORM)
        assert response.status_code == 403, (method, url)
    listing = client.get("/column-mappings").get_data(as_text=True)
    assert "Their own table" in listing
    assert "German level table" not in listing
    assert client.get(f"/column-mappings/{own.id}").status_code == 200
    assert _count(ColumnMappingProfile) == 2


def test_missing_profile_is_404(client, staff, db):
    _sign_in(client, staff.tech)

    assert client.get("/column-mappings/999999").status_code == 404


# Imports through a mapping


@pytest.fixture
def target(staff, db):
    req, sample = f.request_with_sample(staff.lab, staff.tech)
    item = rf.item(f.regulation(), FLAT)
    profile = _save(staff)
    db.session.commit()
    return req, sample, item, profile


def _upload_data(target, staff, profile_id, **changes):
    _, sample, item, _ = target
    return {
        "sample": str(sample.id),
        "test_item": str(item.id),
        "instruments": [str(staff.receiver.id)],
        "measured_on": date.today().isoformat(),
        "expanded_uncertainty": "3.4",
        "format_name": "",
        "mapping": str(profile_id),
        "file": (io.BytesIO(LEVEL_TABLE.read_bytes()), LEVEL_TABLE.name),
        **changes,
    }


def test_upload_through_mapping(client, staff, target):
    req, _, _, profile = target
    login(client, staff.tech)
    page = f"/requests/{req.id}"
    assert f'<option value="{profile.id}">German level table</option>' in client.get(
        page
    ).get_data(as_text=True)

    response = post_form(
        client,
        page,
        f"/requests/{req.id}/results/file",
        _upload_data(target, staff, profile.id),
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    result = _db.session.scalar(sa.select(Result))
    assert result.source_format == "generic"
    assert result.trace_name == "Pegel"
    assert result.trace_point_count == 4
    assert result.value == 44.75
    assert result.frequency_hz == 1.25e6
    assert result.source_mapping["name"] == "German level table"
    assert result.source_mapping["settings"] == GERMAN.to_dict()
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="source-mapping"' in detail
    assert "German level table" in detail


def test_result_keeps_mapping_after_edit(client, staff, target, db):
    req, sample, item, profile = target
    result = rf.import_file(
        req, sample, item, staff, path=LEVEL_TABLE, mapping_profile=profile
    )
    mappings.save_profile(
        staff.lab,
        profile,
        name="Renamed",
        description="",
        mapping=ColumnMapping(**{**GERMAN.__dict__, "encoding": "cp1252"}),
        actor=staff.tech,
    )
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(Result, result.id)

    assert stored.source_mapping["name"] == "German level table"
    assert stored.source_mapping["settings"]["encoding"] is None


def test_upload_several_files_json(client, staff, target, csrf_off):
    req, _, _, profile = target
    _sign_in(client, staff.tech)

    response = client.post(
        f"/requests/{req.id}/results/file",
        data=_upload_data(target, staff, profile.id),
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["points"] == 4


def test_upload_rejects_other_lab_mapping(client, staff, target, db, csrf_off):
    req, _, _, _ = target
    foreign = _save(staff, name="Foreign table", lab=f.body())
    db.session.commit()
    _sign_in(client, staff.tech)

    response = client.post(
        f"/requests/{req.id}/results/file",
        data=_upload_data(target, staff, foreign.id),
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400
    assert "mapping" in response.get_json()["fields"]
    assert _count(Result) == 0


def test_rule_rejects_other_lab_mapping(staff, target, db):
    req, sample, item, _ = target
    foreign = _save(staff, name="Foreign table", lab=f.body())

    with pytest.raises(DomainError, match="belongs to another lab"):
        rf.import_file(
            req, sample, item, staff, path=LEVEL_TABLE, mapping_profile=foreign
        )


def test_upload_rejects_format_with_mapping(client, staff, target, csrf_off):
    req, _, _, profile = target
    _sign_in(client, staff.tech)

    response = client.post(
        f"/requests/{req.id}/results/file",
        data=_upload_data(target, staff, profile.id, format_name="keysight-xseries"),
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400
    assert "Leave the file format empty" in response.get_json()["error"]
    assert _count(Result) == 0


def test_upload_unfit_mapping_imports_nothing(client, staff, target, db, csrf_off):
    req, _, _, _ = target
    wrong = _save(
        staff,
        name="Dots",
        mapping=ColumnMapping(**{**GERMAN.__dict__, "decimal": "."}),
    )
    db.session.commit()
    _sign_in(client, staff.tech)

    response = client.post(
        f"/requests/{req.id}/results/file",
        data=_upload_data(target, staff, wrong.id),
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "level-table.DE.tsv, line 3" in error
    assert "check the column mapping" in error
    assert _count(Result) == 0
    assert _count(StoredFile) == 0


# The import command


def _import_args(target, staff, *extra):
    req, sample, item, _ = target
    return [*rf.import_command(req, sample, item, staff), *extra, str(LEVEL_TABLE)]


@pytest.mark.parametrize("typed", ["German level table", "  German level table "])
def test_import_command_with_mapping(app, staff, target, typed):
    # The result records the name as saved, however it was typed.
    args = _import_args(target, staff, "--mapping", typed)

    outcome = app.test_cli_runner().invoke(args=args)

    assert outcome.exit_code == 0, outcome.output
    assert "1 imported, 0 rejected" in outcome.output
    assert "points: 4 read, 4 imported" in outcome.output
    result = _db.session.scalar(sa.select(Result))
    assert result.source_mapping["name"] == "German level table"


def test_import_command_unknown_mapping(app, staff, target):
    args = _import_args(target, staff, "--mapping", "No such table")

    outcome = app.test_cli_runner().invoke(args=args)

    assert outcome.exit_code != 0
    assert "no column mapping named 'No such table'" in outcome.output
    assert _count(Result) == 0


def test_import_command_other_lab_mapping(app, staff, target, db):
    _save(staff, name="Elsewhere", lab=f.body())
    db.session.commit()
    args = _import_args(target, staff, "--mapping", "Elsewhere")

    outcome = app.test_cli_runner().invoke(args=args)

    assert outcome.exit_code != 0
    assert "no column mapping named 'Elsewhere'" in outcome.output
    assert _count(Result) == 0


def test_import_command_mapping_and_format(app, staff, target):
    args = _import_args(
        target, staff, "--mapping", "German level table", "--format", "tektronix"
    )

    outcome = app.test_cli_runner().invoke(args=args)

    assert outcome.exit_code != 0
    assert "either --format or --mapping" in outcome.output
    assert _count(Result) == 0


def test_deleted_id_not_reused(staff, db):
    # The audit trail finds a profile's events by id, so a new profile must
    # not inherit the history of a deleted one.
    first = _save(staff, name="First table")
    db.session.commit()
    deleted_id = first.id
    mappings.delete_profile(first, staff.tech)
    db.session.commit()

    second = _save(staff, name="Second table")
    db.session.commit()

    assert second.id != deleted_id
    assert [event.action for event in events_for(second)] == ["column_mapping.created"]


@pytest.mark.parametrize(
    "columns",
    [
        ["Pegel", "Mức 2"],
        ['5" probe', "B"],
        ['say "hi"', '"q', "a, b"],
        ["3", "Level, peak"],
    ],
)
def test_column_list_round_trip(columns):
    text = format_column_list(columns)

    assert parse_column_list(text) == columns
