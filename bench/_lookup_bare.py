"""The bare endpoint that `python -m bench lookup` compares the application with.

One Flask route runs the same indexed query as the public lookup and returns
the row as JSON: no ORM objects, templates, sessions or status history.
"""

import os

import sqlalchemy as sa
from flask import Flask, abort, jsonify

engine = sa.create_engine(os.environ["DATABASE_URL"])
QUERY = sa.text(
    "SELECT c.number, c.status, c.issued_on, c.valid_until, c.pdf_sha256, "
    "o.name AS holder, p.model FROM certificate c "
    "JOIN organisation o ON o.id = c.holder_id "
    "JOIN product p ON p.id = c.product_id WHERE c.number = :number"
)
app = Flask(__name__)


@app.get("/certificates/<path:number>")
def certificate(number: str):
    with engine.connect() as connection:
        row = connection.execute(QUERY, {"number": number}).mappings().first()
    if row is None:
        abort(404)
    return jsonify({key: str(value) for key, value in row.items()})
