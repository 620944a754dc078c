"""The demo shows a superseded report and a suspended certificate."""

from lims.certification.models import Certificate, ReportStatus, TestReport
from lims.demo import load_demo


def test_demo_has_amendment_and_suspension(app, db, client):
    load_demo(password="demo password for tests")
    db.session.commit()

    superseded = db.session.scalars(
        db.select(TestReport).where(TestReport.status == ReportStatus.SUPERSEDED)
    ).all()
    statuses = {c.status.value for c in db.session.scalars(db.select(Certificate))}
    assert len(superseded) == 1
    assert superseded[0].replaced_by is not None
    assert statuses == {"valid", "suspended"}
    page = client.get(f"/verify/{superseded[0].number}").get_data(as_text=True)
    assert superseded[0].replaced_by.number in page
