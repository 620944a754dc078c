"""Batch checks kept for the logged-in user who ran them."""

from collections import Counter
from datetime import date

from lims.agreements.models import BatchCheck
from lims.exports import write_csv
from lims.extensions import db
from lims.recognition import service
from lims.storage.service import store_file


def save_batch(user, filename: str, on: date, results: list) -> BatchCheck:
    """Keep the verdicts of one shipment list for ``user``, with a results file."""
    header = list(service.RESULT_COLUMNS)
    content = write_csv(header, [r.row() for r in results])
    counts = Counter(r.decision.verdict if r.decision else "error" for r in results)
    batch = BatchCheck(
        user_id=user.id,
        filename=filename or "shipment",
        decided_on=on,
        line_count=len(results),
        counts=dict(counts),
        results_file=store_file(content, "recognition.csv", "text/csv", user),
    )
    db.session.add(batch)
    return batch


def batches_for(user):
    """Return the query of the batch checks ``user`` may see, newest first."""
    query = db.select(BatchCheck).order_by(BatchCheck.id.desc())
    if user.role.value != "admin":
        query = query.where(BatchCheck.user_id == user.id)
    return query
