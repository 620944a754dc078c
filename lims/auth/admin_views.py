"""Administration of user accounts and the audit trail."""

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lims.audit.models import AuditEvent
from lims.auth import rules
from lims.auth.admin_forms import PasswordForm, UserForm
from lims.auth.models import Role, User
from lims.auth.permissions import Permission, require
from lims.bodies.models import Body
from lims.errors import DomainError
from lims.exports import write_csv
from lims.extensions import db
from lims.forms import ConfirmForm
from lims.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_COLUMNS = [
    "id",
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "request_id",
]


def _user_form() -> UserForm:
    form = UserForm()
    form.role.choices = [(r.value, _(r.value)) for r in Role]
    bodies = db.session.scalars(db.select(Body).order_by(Body.code)).all()
    form.body.choices = [(0, "—")] + [(b.id, f"{b.code} – {b.name}") for b in bodies]
    return form


@bp.get("/users")
@require(Permission.MANAGE_USERS)
def users():
    query = db.select(User).order_by(User.email)
    return render_template(
        "admin/users.html",
        page=paginate(query),
        form=_user_form(),
        confirm_form=ConfirmForm(),
    )


@bp.post("/users")
@require(Permission.MANAGE_USERS)
def create_user():
    form = _user_form()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            for error in errors:
                flash(f"{getattr(form, name).label.text}: {error}", "danger")
        return redirect(url_for("admin.users"))
    body = db.session.get(Body, form.body.data) if form.body.data else None
    user = rules.create_user(
        email=form.email.data,
        name=form.name.data,
        role=Role(form.role.data),
        password=form.password.data,
        body=body,
        actor=current_user,
    )
    db.session.commit()
    flash(_("Account %(email)s created.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@require(Permission.MANAGE_USERS)
def toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        raise DomainError(_("The form expired; reload the page and try again."))
    rules.set_active(user, not user.is_active_account, current_user)
    db.session.commit()
    flash(_("Account %(email)s updated.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@require(Permission.MANAGE_USERS)
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        rules.change_password(user, form.password.data, current_user)
        db.session.commit()
        flash(_("Password of %(email)s changed.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/password.html", form=form, user=user)


def _audit_query():
    query = db.select(AuditEvent).order_by(AuditEvent.id.desc())
    object_type = request.args.get("object_type", "")[:64]
    object_id = request.args.get("object_id", "")[:64]
    action = request.args.get("action", "")[:64]
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    return query


@bp.get("/audit")
@require(Permission.VIEW_AUDIT)
def audit():
    filters = {
        key: request.args[key]
        for key in ("object_type", "object_id", "action")
        if request.args.get(key)
    }
    return render_template(
        "admin/audit.html",
        page=paginate(_audit_query(), per_page=50),
        args=filters,
    )


@bp.get("/audit.csv")
@require(Permission.VIEW_AUDIT)
def audit_export():
    rows = (
        [
            event.id,
            event.occurred_at,
            event.actor.email if event.actor else "",
            event.action,
            event.object_type,
            event.object_id,
            event.summary,
            event.before,
            event.after,
            event.request_id,
        ]
        for event in db.session.scalars(_audit_query())
    )
    response = Response(
        write_csv(AUDIT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
