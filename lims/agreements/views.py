"""Administration of agreements, designations and accreditations."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/admin/recognition")
