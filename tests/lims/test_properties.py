"""Property tests of small parsers and guards, with hypothesis."""

import unicodedata

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from lims.auth.rules import check_password_policy
from lims.db_types import nfc
from lims.errors import DomainError
from lims.reference.loader import parse_segments
from lims.urls import same_host_url

HOST = "lims.test"


# A bare app: same_host_url needs a request, not a database.
BARE_APP = Flask(__name__)


@given(st.text(max_size=200))
def test_same_host_url_never_leaves_host(target):
    with BARE_APP.test_request_context("/", base_url=f"http://{HOST}"):
        result = same_host_url(target)
    if result is None:
        return
    assert not result.strip().startswith("//")
    assert result.startswith("/") or result.split("/")[2] == HOST


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/x",
        "javascript:alert(1)",
        "\\\\evil",
        "evil.example",
        " //evil.example",
    ],
)
def test_same_host_url_rejects_known_tricks(target):
    with BARE_APP.test_request_context("/", base_url=f"http://{HOST}"):
        assert same_host_url(target) is None


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e10, allow_nan=False),
            st.floats(0, 1e10, allow_nan=False),
            st.floats(-200, 200, allow_nan=False),
            st.floats(-200, 200, allow_nan=False),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_parse_segments_round_trips(segments):
    text = ";".join(":".join(repr(v) for v in segment) for segment in segments)
    parsed = parse_segments(text)
    assert [tuple(s) for s in parsed] == [tuple(s) for s in segments]


@given(st.text(max_size=60))
def test_password_policy_raises_only_domain_errors(password):
    try:
        check_password_policy(password, "an@example.test", "Nguyễn Văn An")
    except DomainError as error:
        assert error.field == "password"


@given(st.text(max_size=100))
def test_nfc_is_idempotent_and_normal(text):
    once = nfc(text)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)
