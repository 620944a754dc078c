"""Batch checks are kept for the user who ran them, and for nobody else."""

import io

from lims.agreements.models import BatchCheck
from lims.auth.models import Role
from tests import factories as f
from tests.lims.pages import login, post_form

SHIPMENT = (
    "model,hs_code,regulation,lab,report_number,tested_on\n"
    "DV-1,851762,QCVN 118:2018/BTTTT,NO-SUCH-LAB,R-1,2026-01-05\n"
)


def _run_batch(client):
    return post_form(
        client,
        "/recognition/batch",
        "/recognition/batch",
        {
            "file": (io.BytesIO(SHIPMENT.encode()), "shipment.csv"),
            "output": "page",
        },
        content_type="multipart/form-data",
    )


def test_batch_kept_for_its_importer(client, app, db):
    owner = f.user(Role.IMPORTER)
    other = f.user(Role.IMPORTER)
    db.session.commit()
    login(client, owner)
    assert _run_batch(client).status_code == 200

    batch = db.session.scalar(db.select(BatchCheck))
    assert batch.user_id == owner.id
    assert batch.line_count == 1
    assert batch.counts == {"not_accepted": 1}
    listing = client.get("/recognition/batches").get_data(as_text=True)
    assert "shipment.csv" in listing
    download = client.get(f"/recognition/batches/{batch.id}/results.csv")
    assert "NO-SUCH-LAB" in download.get_data(as_text=True)

    stranger = app.test_client()
    login(stranger, other)
    assert "shipment.csv" not in stranger.get("/recognition/batches").get_data(
        as_text=True
    )
    forbidden = stranger.get(f"/recognition/batches/{batch.id}/results.csv")
    assert forbidden.status_code == 403


def test_anonymous_batch_not_kept(client, db):
    assert _run_batch(client).status_code == 200
    assert db.session.scalar(db.select(BatchCheck)) is None
