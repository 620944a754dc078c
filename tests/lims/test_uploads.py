"""Uploads: a size limit, and content checked before anything is stored."""

import io

from lims.storage.models import StoredFile


def test_oversized_upload_rejected_with_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(b"%PDF-1.7\n" + b"0" * 4096), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "error" in response.get_json()


def test_verify_stores_nothing(client, db):
    client.post(
        "/api/v1/verify",
        data={"file": (io.BytesIO(b"%PDF-1.7 something"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert db.session.scalar(db.select(StoredFile)) is None


def test_genuine_page_names_a_non_pdf(client):
    from tests.lims.pages import post_form

    response = post_form(
        client,
        "/genuine",
        "/genuine",
        {"file": (io.BytesIO(b"just some notes"), "notes.txt")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    page = response.get_data(as_text=True)
    assert "notes.txt is not a PDF file" in page
    assert "Not genuine" not in page
