"""The DejaVu fonts are shipped with the package and embedded in every PDF."""

from pathlib import Path

import pytest
from pdf_reading import read_pdf

import certificates
from certificates.fonts import FONT_DIR


def embedded_fonts(pdf_bytes: bytes) -> dict[str, object]:
    """Return each page font's /BaseFont name mapped to its font descriptor."""
    fonts = {}
    for page in read_pdf(pdf_bytes).pages:
        resources = page["/Resources"].get_object()
        for font in resources["/Font"].get_object().values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor and descriptor.get_object()
    return fonts


@pytest.mark.parametrize("fixture", ["certificate_pdf", "report_pdf"])
def test_dejavu_is_embedded(fixture, request):
    fonts = embedded_fonts(request.getfixturevalue(fixture))

    dejavu = {name: desc for name, desc in fonts.items() if "DejaVuSans" in name}
    assert dejavu, f"no DejaVu font among {sorted(fonts)}"
    for name, descriptor in dejavu.items():
        assert descriptor is not None, name
        assert "/FontFile2" in descriptor, name


def test_bold_face_is_embedded(certificate_pdf):
    names = embedded_fonts(certificate_pdf)

    assert any("DejaVuSans-Bold" in name for name in names)


@pytest.mark.parametrize("fixture", ["certificate_pdf", "report_pdf"])
def test_no_standard_fonts_used(fixture, request):
    names = embedded_fonts(request.getfixturevalue(fixture))

    assert all("DejaVuSans" in name for name in names), sorted(names)


def test_fonts_ship_inside_package():
    package_dir = Path(certificates.__file__).resolve().parent

    assert package_dir / "fonts" == FONT_DIR
    assert (FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()


def test_font_licence_ships_with_fonts():
    licence = (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")

    assert "Bitstream Vera" in licence
    assert "DejaVu" in licence
    assert "Permission is hereby granted" in licence
