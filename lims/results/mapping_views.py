"""Pages for a lab's saved column mappings, used to import tables of levels.

They need Permission.ENTER_RESULT because the technicians who import result
files are the people who set up their tables' layouts, and a mapping only
changes how files become results. Each page shows only the user's own lab's mappings;
another lab's mapping is a 403.
"""

import json
import logging

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from lims.audit.service import events_for
from lims.auth.permissions import Permission, check_lab_record, require
from lims.errors import DomainError
from lims.extensions import db
from lims.forms import ConfirmForm
from lims.results import mappings
from lims.results.forms import ColumnMappingForm
from lims.results.models import ColumnMappingProfile

logger = logging.getLogger(__name__)

bp = Blueprint("mappings", __name__, url_prefix="/column-mappings")

# The value of the button that reads the sample file instead of saving.
TRY_ACTION = "try"


def _own_lab():
    if current_user.body is None:
        abort(403)
    return current_user.body


def load_profile(profile_id: int) -> ColumnMappingProfile:
    profile = db.get_or_404(ColumnMappingProfile, profile_id)
    check_lab_record(current_user, profile.lab_id)
    return profile


@bp.get("")
@require(Permission.ENTER_RESULT)
def index():
    lab = _own_lab()
    return render_template(
        "results/mappings.html",
        lab=lab,
        profiles=mappings.lab_profiles(lab.id),
        delete_form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.ENTER_RESULT)
def new():
    lab = _own_lab()
    return _form_page(ColumnMappingForm(), lab, None)


@bp.route("/<int:profile_id>", methods=["GET", "POST"])
@require(Permission.ENTER_RESULT)
def edit(profile_id: int):
    profile = load_profile(profile_id)
    form = ColumnMappingForm()
    if not form.is_submitted():
        form.fill(profile)
    return _form_page(form, profile.lab, profile)


@bp.post("/<int:profile_id>/delete")
@require(Permission.ENTER_RESULT)
def delete(profile_id: int):
    profile = load_profile(profile_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".edit", profile_id=profile_id))
    name = profile.name
    mappings.delete_profile(profile, current_user)
    db.session.commit()
    flash(_("Column mapping %(name)s deleted.", name=name), "success")
    return redirect(url_for(".index"))


@bp.get("/<int:profile_id>/mapping.json")
@require(Permission.ENTER_RESULT)
def download(profile_id: int):
    """Send the mapping as JSON for ``python -m instruments inspect --mapping``."""
    profile = load_profile(profile_id)
    body = json.dumps(profile.to_mapping().to_dict(), ensure_ascii=False, indent=2)
    response = Response(body + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="column-mapping-{profile.id}.json"'
    )
    return response


def _form_page(form: ColumnMappingForm, lab, profile: ColumnMappingProfile | None):
    """Save the form, or read its sample file when the "try" button was pressed."""
    trial = None
    if form.validate_on_submit():
        if request.form.get("action") == TRY_ACTION:
            trial = _try_sample(form)
        else:
            saved = _save(form, lab, profile)
            if saved is not None:
                flash(_("Column mapping %(name)s saved.", name=saved.name), "success")
                return redirect(url_for(".edit", profile_id=saved.id))
    status = 400 if form.errors else 200
    page = render_template(
        "results/mapping_form.html",
        form=form,
        profile=profile,
        trial=trial,
        delete_form=ConfirmForm(),
        events=events_for(profile) if profile is not None else [],
    )
    return page, status


def _try_sample(form: ColumnMappingForm):
    upload = form.sample.data
    if not upload or not upload.filename:
        form.sample.errors.append(_("Choose a sample file to try the mapping on."))
        return None
    return mappings.try_mapping(upload.read(), upload.filename, form.mapping())


def _version(form: ColumnMappingForm) -> int | None:
    text = (form.version.data or "").strip()
    return int(text) if text.isascii() and text.isdecimal() else None


def _save(form: ColumnMappingForm, lab, profile):
    """Save through the rule; show a rejection at its field and return None."""
    try:
        saved = mappings.save_profile(
            lab,
            profile,
            name=form.name.data,
            description=form.description.data or "",
            mapping=form.mapping(),
            actor=current_user,
            expected_version=_version(form),
        )
        db.session.commit()
    except StaleDataError:
        # Two saves of one version at the same moment: the other one won.
        error = DomainError(str(mappings.SAVED_MEANWHILE))
    except DomainError as rejected:
        error = rejected
    else:
        return saved
    db.session.rollback()
    logger.warning(
        "column mapping %s not saved: %s", getattr(profile, "id", "new"), error
    )
    target = getattr(form, error.field or "", None)
    errors = target.errors if target is not None else form.form_errors
    errors.append(error.message)
    return None
