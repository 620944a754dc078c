"""Enum values that templates translate at run time with ``_(value)``.

``pybabel extract`` reads only string literals, so it cannot see values
passed through a variable. Listing them here puts them in messages.pot, and
``pybabel update`` then keeps them in every catalogue instead of marking
them obsolete. The English catalogue translates these msgids to readable
labels. The app never imports this module.

When an enum that a template shows through ``_()`` gains a value, add it
here and translate it in both catalogues.
"""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (Babel keyword)."""
    return message


ENUM_LABELS = (
    # RequestState (lims/testing/models.py)
    N_("registered"),
    N_("samples_received"),
    N_("in_testing"),
    N_("under_review"),
    N_("approved"),
    N_("reported"),
    N_("cancelled"),
    # ResultStatus (lims/results/models.py)
    N_("entered"),
    N_("rejected"),
    N_("retracted"),
    N_("superseded"),
    # Verdict (lims/results/models.py)
    N_("pass"),
    N_("fail"),
    N_("conditional_pass"),
    N_("conditional_fail"),
    # CertificateStatus (lims/certification/models.py)
    N_("valid"),
    N_("suspended"),
    N_("withdrawn"),
    N_("expired"),
    # ReportStatus (lims/certification/models.py); "superseded" is listed
    # under ResultStatus.
    N_("issued"),
    # Certificate status changes named by change_action()
    # (lims/certification/rules.py); the others are CertificateStatus values.
    N_("reinstated"),
    # DecisionRule (lims/testing/models.py)
    N_("simple"),
    N_("guard_band"),
    N_("non_binary"),
    # CertificateScheme (lims/certification/models.py)
    N_("type_testing"),
    N_("type_testing_factory"),
    N_("lot"),
    # Role (lims/auth/models.py)
    N_("admin"),
    N_("technician"),
    N_("reviewer"),
    N_("certification_officer"),
    N_("importer"),
    # CalibrationOutcome (lims/equipment/models.py); "pass" and "fail" are
    # listed under Verdict.
    N_("adjusted"),
    # AgreementKind (lims/agreements/models.py)
    N_("multilateral"),
    N_("bilateral"),
    N_("accreditation_arrangement"),
    # DesignationStatus (lims/agreements/models.py) and AccreditationStatus
    # (lims/bodies/models.py); the other values are listed above.
    N_("designated"),
    N_("active"),
    # RecognitionVerdict (lims/agreements/models.py), and "error" for a batch
    # line that could not be checked (templates/recognition/batch.html).
    N_("accepted"),
    N_("not_accepted"),
    N_("needs_review"),
    N_("error"),
    # CONDITION_CODES (lims/recognition/rules.py)
    N_("agreement_in_force"),
    N_("agreement_scope"),
    N_("designation_active"),
    N_("accreditation_valid"),
    N_("standard_edition"),
    N_("no_local_testing"),
    # Limit detectors (DETECTORS in lims/results/forms.py)
    N_("peak"),
    N_("quasi-peak"),
    N_("average"),
    N_("rms"),
    # Werkzeug's names of the HTTP errors that templates/errors/error.html
    # shows through _(error.name).
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Request Entity Too Large"),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
)
