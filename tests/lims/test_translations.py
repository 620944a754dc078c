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


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    from babel.messages.frontend import CommandLineInterface

    repository = TRANSLATIONS.parents[1]
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(repository / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "-o",
            str(template),
            str(repository),
        ]
    )
    with template.open("rb") as handle:
        marked = {(m.context, m.id) for m in read_po(handle) if m.id}
    known = {(m.context, m.id) for m in _catalogue("vi") if m.id}
    assert len(marked) > 400, "the extraction found too few strings"
    missing = sorted(str(item[1]) for item in marked - known)
    assert missing == [], "run `make translations` and translate the new strings"
