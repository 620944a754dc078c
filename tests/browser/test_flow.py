"""The whole conformity-assessment flow, driven through the pages in Chromium.

A technician registers a request, receives a sample and imports a real
Tektronix EMC-EMI export. A reviewer approves the result and issues the test
report. A certification officer issues the certificate. An anonymous visitor
then verifies it on the public pages and checks that its PDF is genuine.

Selectors use ids and ``name=`` attributes because the pages are bilingual.

Set ``LIMS_SCREENSHOT_PATH`` (for example to ``docs/screenshot.png``) to save
the public verification page there for the README. By default the screenshot
goes to the test's temporary directory, so a test run leaves the checkout
unchanged.
"""

import hashlib
import os
import re
import secrets
import unicodedata
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.browser.conftest import CHROMIUM
from tests.live_server import REPO_ROOT

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = pytest.mark.browser

DEMO_DOMAIN = "demo.lims.example"
# The demo lab DVT works in Vietnamese time, so its pages prefill dates in it.
LAB_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TIMEOUT_MS = 20_000

APPLICANT = "Công ty TNHH Thiết bị Viễn thông Đại Việt"
APPLICANT_ADDRESS = "Lô 12, Khu công nghiệp Quang Minh, Mê Linh, Hà Nội"
MANUFACTURER = "Shenzhen Lianhe Networks Co., Ltd."
PRODUCT = "Bộ định tuyến Wi-Fi 6"
HS_CODE = "851762"
REGULATION = "QCVN 118:2018/BTTTT"
TEST_ITEM = "Conducted emission on AC mains, class A, quasi-peak"
OTHER_TEST_ITEM = "Conducted emission on AC mains, class A, average"
INSTRUMENTS = ["DVT-EMI-01", "DVT-LISN-02"]
OVERDUE_INSTRUMENT = "DVT-SA-03"
EMI_FILE = REPO_ROOT / "tests/data/instruments/tektronix-EMC-EMI_v1_Example.csv"
# The certificate PDF prints its Vietnamese title in capitals.
CERTIFICATE_TITLE = "GIẤY CHỨNG NHẬN HỢP QUY"


def _nfc(text: str) -> str:
    """Normalise to NFC and collapse whitespace, as text extracted from a PDF."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return _nfc(" ".join(page.extract_text() or "" for page in reader.pages))


def _lab_today() -> date:
    return datetime.now(LAB_TIMEZONE).date()


def _option_value(page: Page, select: str, text: str) -> str:
    """Return the value of the option of ``select`` whose label contains ``text``.

    Exactly one option must match.
    """
    options = page.locator(f"{select} option", has_text=text)
    count = options.count()
    assert count == 1, (
        f"expected one option containing {text!r} in {select}, got {count}"
    )
    return options.get_attribute("value")


def _submit(page: Page, selector: str) -> list[str]:
    """Click a submit button, wait for the next page and return its error messages."""
    with page.expect_navigation():
        page.click(selector)
    return [text.strip() for text in page.locator(".flash-danger").all_inner_texts()]


def _log_in(page: Page, server, user: str) -> None:
    page.goto(server.url("/login"))
    page.fill("input[name=email]", f"{user}@{DEMO_DOMAIN}")
    page.fill("input[name=password]", server.demo_password)
    errors = _submit(page, "main form button[type=submit]")
    assert not errors, f"logging in as {user} failed: {errors}"
    expect(
        page.locator("header form[action='/logout']"),
        f"{user} should be logged in, with a log-out button in the header",
    ).to_be_visible()


def _log_out(page: Page) -> None:
    page.click("header form[action='/logout'] button")
    expect(
        page.locator("header a[href='/login']"),
        "after logging out the header should offer to log in",
    ).to_be_visible()


def _result_rows(page: Page):
    """Return the rows of #results that show a result.

    An empty table has one placeholder row, which has no link.
    """
    return page.locator("#results tbody tr:has(a)")


def _upload_result(
    page: Page, sample_code: str, test_item: str, instruments, measured_on
) -> list[str]:
    """Import the Tektronix file through #upload-form and return the error messages."""
    form = "#upload-form"
    page.select_option(f"{form} select[name=sample]", label=sample_code)
    page.select_option(
        f"{form} select[name=test_item]",
        value=_option_value(page, f"{form} select[name=test_item]", test_item),
    )
    page.select_option(
        f"{form} select[name=instruments]",
        value=[
            _option_value(page, f"{form} select[name=instruments]", asset)
            for asset in instruments
        ],
    )
    page.fill(f"{form} input[name=measured_on]", measured_on.isoformat())
    page.fill(f"{form} input[name=expanded_uncertainty]", "3.4")
    page.set_input_files(f"{form} input[name=file]", EMI_FILE)
    return _submit(page, f"{form} button[type=submit]")


def test_request_to_verified_certificate(live_server, browser, tmp_path):
    server = live_server
    context = browser.new_context(
        base_url=server.base_url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    server_errors: list[str] = []

    def record_server_error(response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.url}")

    page.on("response", record_server_error)
    model = f"DV-AX6-{secrets.token_hex(3).upper()}"
    today = _lab_today()

    # 1. A technician registers a test request.
    _log_in(page, server, "technician")
    page.goto(server.url("/requests/new"))
    page.fill("input[name=applicant_name]", APPLICANT)
    page.fill("input[name=applicant_address]", APPLICANT_ADDRESS)
    page.fill("input[name=manufacturer_name]", MANUFACTURER)
    page.select_option("select[name=manufacturer_economy]", value="CN")
    page.fill("input[name=product_name]", PRODUCT)
    page.fill("input[name=model]", model)
    page.fill("input[name=hs_code]", HS_CODE)
    page.select_option(
        "select[name=regulations]",
        value=_option_value(page, "select[name=regulations]", REGULATION),
    )
    page.select_option("select[name=decision_rule]", value="simple")
    errors = _submit(page, "main form button[type=submit]")
    assert not errors, f"registering the request failed: {errors}"

    expect(page, "registering should open the new request's page").to_have_url(
        re.compile(r"/requests/\d+$")
    )
    request_url = page.url
    request_number = page.locator("#request-number").inner_text().strip()
    assert re.fullmatch(r"DVT-\d{4}-\d{5}", request_number), (
        f"request number {request_number!r} should look like DVT-<year>-<5 digits>"
    )
    expect(
        page.locator("dl.facts"), "the request should show the model"
    ).to_contain_text(model)

    # 2. The technician receives a sample.
    sample_form = "#sample-form"
    page.fill(
        f"{sample_form} input[name=description]", f"Router {model} with 12 V adapter"
    )
    page.fill(f"{sample_form} input[name=serial_number]", f"SN-{model}-001")
    page.fill(
        f"{sample_form} input[name=condition]", "Mới, nguyên vẹn / new, undamaged"
    )
    page.fill(f"{sample_form} input[name=received_on]", today.isoformat())
    errors = _submit(page, f"{sample_form} button[type=submit]")
    assert not errors, f"receiving the sample failed: {errors}"

    sample_cells = page.locator("#samples td.sample-code")
    expect(sample_cells, "the received sample should be listed once").to_have_count(1)
    sample_code = sample_cells.first.inner_text().strip()
    assert sample_code.startswith(request_number + "-"), (
        f"sample code {sample_code!r} should start with the request number "
        f"{request_number!r}"
    )
    expect(
        page.locator("#samples td.sample-code", has_text=sample_code),
        f"sample code {sample_code} should appear exactly once",
    ).to_have_count(1)
    expect(
        page.locator("#request-state .badge"),
        "receiving a sample should move the request to samples_received",
    ).to_have_class(re.compile(r"\bbadge-samples_received\b"))

    # 3. The technician imports the Tektronix EMC-EMI export.
    errors = _upload_result(page, sample_code, TEST_ITEM, INSTRUMENTS, today)
    assert not errors, f"importing {EMI_FILE.name} failed: {errors}"

    expect(page, "the import should open the new result's page").to_have_url(
        re.compile(r"/results/\d+$")
    )
    result_url = page.url
    worst = page.locator("#worst").inner_text()
    assert "67.396" in worst, f"worst point should be 67.396 dBuV, page shows {worst!r}"
    assert "dBuV" in worst, f"worst point should be in dBuV, page shows {worst!r}"
    assert "1.341667 MHz" in worst, (
        f"worst point should be at 1.341667 MHz, page shows {worst!r}"
    )
    margin = page.locator("#margin").inner_text()
    assert margin.startswith("-5.604"), (
        f"margin should be -5.604 dB, page shows {margin!r}"
    )
    # The Limit value is the <dd> just before the Margin <dd>.
    limit = page.locator(
        "xpath=//dd[@id='margin']/preceding-sibling::dd[1]"
    ).inner_text()
    assert limit.startswith("73.00"), f"limit should be 73 dBuV, page shows {limit!r}"
    expect(
        page.locator("#result-verdict .badge"), "the verdict should be pass"
    ).to_have_class(re.compile(r"\bbadge-pass\b"))
    plot = page.locator("figure.plot img")
    expect(plot, "the result page should show the trace plot").to_be_visible()
    plot_handle = plot.element_handle()
    page.wait_for_function("img => img.complete", arg=plot_handle)
    natural_width = plot.evaluate("img => img.naturalWidth")
    assert natural_width > 0, (
        f"the trace plot {plot.get_attribute('src')} did not load "
        f"(naturalWidth {natural_width})"
    )

    # 4. Citing an instrument that is overdue for calibration is rejected.
    page.goto(request_url)
    rows_before = _result_rows(page).count()
    assert rows_before == 1, f"the request should list one result, found {rows_before}"
    errors = _upload_result(
        page, sample_code, OTHER_TEST_ITEM, [INSTRUMENTS[0], OVERDUE_INSTRUMENT], today
    )
    # The request page comes back from the rejected post itself, with the
    # form as it was filled in.
    expect(page, "a rejected import should show the request page").to_have_url(
        f"{request_url}/results/file"
    )
    expect(
        page.locator("#upload-form input[name=expanded_uncertainty]"),
        "a rejected import should keep the typed uncertainty",
    ).to_have_value("3.4")
    assert any(OVERDUE_INSTRUMENT in error for error in errors), (
        f"an error message should name the overdue instrument {OVERDUE_INSTRUMENT}; "
        f"the page shows {errors}"
    )
    rows_after = _result_rows(page).count()
    assert rows_after == rows_before, (
        f"a rejected import should add no result: {rows_before} rows before, "
        f"{rows_after} after"
    )

    # 5. The results go to review. A reviewer approves them and issues the report.
    errors = _submit(page, "#submit-review")
    assert not errors, f"sending the results for review failed: {errors}"
    expect(
        page.locator("#request-state .badge"),
        "sending for review should move the request to under_review",
    ).to_have_class(re.compile(r"\bbadge-under_review\b"))
    _log_out(page)

    _log_in(page, server, "reviewer")
    page.goto(result_url)
    errors = _submit(page, "#approve")
    assert not errors, f"approving the result failed: {errors}"
    expect(page, "approving should return to the request").to_have_url(request_url)
    expect(
        page.locator("#request-state .badge"),
        "with every result approved the request should be approved",
    ).to_have_class(re.compile(r"\bbadge-approved\b"))
    errors = _submit(page, "#issue-report")
    assert not errors, f"issuing the test report failed: {errors}"

    expect(page, "issuing should open the report's page").to_have_url(
        re.compile(r"/reports/\d+$")
    )
    report_number = page.locator("#report-number").inner_text().strip()
    assert re.fullmatch(r"DVT-TR-\d{4}-\d{5}", report_number), (
        f"report number {report_number!r} should look like DVT-TR-<year>-<5 digits>"
    )
    report_pdf_url = server.url(page.locator("#report-pdf").get_attribute("href"))
    report_pdf = page.request.get(report_pdf_url)
    assert report_pdf.ok, f"GET {report_pdf_url} returned {report_pdf.status}"
    report_bytes = report_pdf.body()
    assert report_bytes.startswith(b"%PDF"), (
        f"{report_pdf_url} should be a PDF, starts with {report_bytes[:16]!r}"
    )
    report_text = _pdf_text(report_bytes)
    assert report_number in report_text, (
        f"the report PDF should print its number {report_number}; "
        f"extracted text starts {report_text[:300]!r}"
    )
    _log_out(page)

    # 6. A certification officer issues the certificate.
    _log_in(page, server, "officer")
    page.click("header nav a[href='/reports']")
    page.get_by_role("link", name=report_number, exact=True).click()
    expect(page.locator("#report-number")).to_have_text(report_number)
    certificate_form = "#certificate-form"
    page.select_option(f"{certificate_form} select[name=scheme]", value="type_testing")
    page.select_option(f"{certificate_form} select[name=holder]", label=APPLICANT)
    importer_options = page.locator(f"{certificate_form} select[name=importers] option")
    importers = [
        label.strip()
        for label in importer_options.all_inner_texts()
        if label.strip() != APPLICANT
    ]
    if importers:
        page.select_option(
            f"{certificate_form} select[name=importers]", label=importers[0]
        )
    errors = _submit(page, "#issue-certificate")
    assert not errors, f"issuing the certificate failed: {errors}"

    expect(page, "issuing should open the certificate's page").to_have_url(
        re.compile(r"/certificates/\d+$")
    )
    certificate_number = page.locator("#certificate-number").inner_text().strip()
    assert certificate_number, "the certificate page should show its number"
    expect(
        page.locator("#public-page"), "the certificate should link its public page"
    ).to_have_attribute("href", f"/verify/{quote(certificate_number)}")
    _log_out(page)

    # 7. An anonymous visitor verifies the certificate.
    verify_path = f"/verify/{quote(certificate_number, safe='')}"
    page.goto(server.url(verify_path))
    expect(
        page.locator(".status-line .badge"), "a new certificate should be valid"
    ).to_have_class(re.compile(r"\bbadge-valid\b"))
    facts = [text.strip() for text in page.locator("dl.facts dd").all_inner_texts()]
    assert APPLICANT in facts, f"the holder should be {APPLICANT!r}; facts are {facts}"
    assert model in facts, f"the model {model!r} should be listed; facts are {facts}"
    assert any(REGULATION in fact for fact in facts), (
        f"{REGULATION} should be listed; facts are {facts}"
    )
    if importers:
        assert any(importers[0] in fact for fact in facts), (
            f"the importer {importers[0]!r} should be listed; facts are {facts}"
        )
    dates = sorted(
        date.fromisoformat(fact)
        for fact in facts
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact)
    )
    assert len(dates) == 2, f"expected the issue and expiry dates; facts are {facts}"
    issued_on, valid_until = dates
    assert issued_on == today, (
        f"the certificate should be issued today ({today}), not {issued_on}"
    )
    validity_days = (valid_until - issued_on).days
    assert 3 * 365 - 2 <= validity_days <= 3 * 366, (
        f"a type-testing certificate should be valid about three years; "
        f"{issued_on} to {valid_until} is {validity_days} days"
    )
    screenshot_path = Path(
        os.environ.get("LIMS_SCREENSHOT_PATH") or tmp_path / "verify.png"
    )
    screenshot_path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot_path))

    page.goto(server.url(f"/register?q={quote(model)}"))
    expect(
        page.get_by_role("link", name=certificate_number, exact=True),
        f"searching the register for {model} should find {certificate_number}",
    ).to_be_visible()

    summary_url = server.url(
        f"/api/v1/certificates/{quote(certificate_number, safe='')}"
    )
    summary_response = page.request.get(summary_url)
    assert summary_response.ok, f"GET {summary_url} returned {summary_response.status}"
    summary = summary_response.json()
    assert summary["valid_until"] == valid_until.isoformat(), (
        f"the API's valid_until {summary['valid_until']} should match the page's "
        f"{valid_until}"
    )
    pdf_url = summary_url + "/pdf"
    pdf_response = page.request.get(pdf_url)
    assert pdf_response.ok, f"GET {pdf_url} returned {pdf_response.status}"
    certificate_pdf = pdf_response.body()
    assert hashlib.sha256(certificate_pdf).hexdigest() == summary["pdf_sha256"], (
        "the downloaded certificate PDF should hash to the API's pdf_sha256"
    )
    certificate_text = _pdf_text(certificate_pdf)
    assert APPLICANT in certificate_text, (
        f"the certificate PDF should print the holder {APPLICANT!r}; "
        f"extracted text starts {certificate_text[:300]!r}"
    )
    assert CERTIFICATE_TITLE in certificate_text, (
        f"the certificate PDF should print the title {CERTIFICATE_TITLE!r}; "
        f"extracted text starts {certificate_text[:300]!r}"
    )

    page.goto(server.url("/genuine"))
    page.set_input_files(
        "main form input[name=file]",
        {
            "name": "certificate.pdf",
            "mimeType": "application/pdf",
            "buffer": certificate_pdf,
        },
    )
    page.click("main form button[type=submit]")
    genuine = page.locator("#genuine-result")
    expect(genuine, "the issued PDF should be reported genuine").to_have_class(
        re.compile(r"\bflash-success\b")
    )
    expect(genuine, "the genuine message should name the certificate").to_contain_text(
        certificate_number
    )

    tampered = bytearray(certificate_pdf)
    middle = len(tampered) // 2
    tampered[middle] ^= 0x01
    page.set_input_files(
        "main form input[name=file]",
        {
            "name": "tampered.pdf",
            "mimeType": "application/pdf",
            "buffer": bytes(tampered),
        },
    )
    page.click("main form button[type=submit]")
    expect(
        page.locator("#genuine-result"),
        "a PDF with one byte changed should be reported not genuine",
    ).to_have_class(re.compile(r"\bflash-danger\b"))

    # 8. The header switches the language of the page.
    page.goto(server.url(verify_path))
    heading = page.locator("main h1")
    page.click("header form[action='/language/en'] button")
    expect(page.locator("html"), "the page should now be in English").to_have_attribute(
        "lang", "en"
    )
    expect(
        heading, "the English heading should read Certificate <number>"
    ).to_have_text(f"Certificate {certificate_number}")
    english_heading = heading.inner_text()
    page.click("header form[action='/language/vi'] button")
    expect(
        page.locator("html"), "the page should be back in Vietnamese"
    ).to_have_attribute("lang", "vi")
    expect(
        heading, "the Vietnamese heading should still name the certificate"
    ).to_contain_text(certificate_number)
    expect(heading, "the heading should be translated to Vietnamese").not_to_have_text(
        english_heading
    )

    assert not server_errors, f"the server answered with errors: {server_errors}"
    context.close()


def test_multi_file_import_reports_counts(live_server, browser, tmp_path):
    server = live_server
    context = browser.new_context(base_url=server.base_url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    broken = tmp_path / "notes.csv"
    broken.write_text("operator notes, not a trace\n", encoding="utf-8")

    _log_in(page, server, "technician")
    page.goto(server.url("/requests?state=registered"))
    page.locator("#content a, main table a").first.click()
    sample_form = "#sample-form"
    page.fill(f"{sample_form} input[name=description]", "GPON modem")
    page.fill(f"{sample_form} input[name=serial_number]", "ONT-0001")
    page.fill(f"{sample_form} input[name=condition]", "new")
    errors = _submit(page, f"{sample_form} button[type=submit]")
    assert not errors, f"receiving the sample failed: {errors}"
    sample_code = page.locator("#samples .sample-code").first.inner_text().strip()

    form = "#upload-form"
    page.select_option(f"{form} select[name=sample]", label=sample_code)
    page.select_option(
        f"{form} select[name=test_item]",
        value=_option_value(page, f"{form} select[name=test_item]", "class A, quasi"),
    )
    page.select_option(
        f"{form} select[name=instruments]",
        value=[_option_value(page, f"{form} select[name=instruments]", "DVT-EMI-01")],
    )
    page.fill(f"{form} input[name=measured_on]", _lab_today().isoformat())
    page.fill(f"{form} input[name=expanded_uncertainty]", "3.4")
    page.set_input_files(f"{form} input[name=file]", [EMI_FILE, broken])
    page.click(f"{form} button[type=submit]")

    status = page.locator("#import-progress .status")
    expect(status, "the summary should count both files").to_contain_text(
        "2 files read, 1 imported, 1 rejected; 2401 points imported."
    )
    expect(
        page.locator("#import-progress li.error"),
        "the rejected file should be listed with the reader's message",
    ).to_contain_text("notes.csv")
    assert "flash-success" in (status.get_attribute("class") or "")
    context.close()
