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
    # ReportStatus (lims/certification/models.py)
    N_("issued"),
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
    # CalibrationOutcome (lims/equipment/models.py)
    N_("adjusted"),
)
