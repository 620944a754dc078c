"""The compiled catalogues match their sources, and Vietnamese is complete."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "lims" / "translations"


def _catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_compiled_catalogue_matches_source(locale):
    compiled = gettext.GNUTranslations(
        (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb")
    )
    def compiled_text(message) -> str:
        if message.context:
            return compiled.pgettext(message.context, message.id)
        return compiled.gettext(message.id)

    stale = [
        message.id
        for message in _catalogue(locale)
        if message.id
        and isinstance(message.id, str)
        and message.string
        and not message.fuzzy
        and compiled_text(message) != message.string
    ]
    assert stale == [], "run `make translations` to compile the catalogues"


def test_vietnamese_catalogue_is_complete():
    missing = [
        message.id
        for message in _catalogue("vi")
        if message.id and (not message.string or message.fuzzy)
    ]
    assert missing == []
