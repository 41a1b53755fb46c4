"""The determination proves itself (DESIGN §12): signed by its authority (pyHanko's validator and
poppler's pdfsig agree), a one-byte change breaks the signature, the frozen facts and outcome travel
inside as PDF/A-3 associated files, and the verification page and API say what a file is."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from determinations.pdf import verification_url
from determinations.verification import signature_of
from review import services as review_services
from tests.personas import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def determination(alice, park):
    app = submitted(alice)
    return review_services.application_approve(application_id=app.pk, reviewer=park, note="材料齐全").determination


def stored(determination) -> bytes:
    with determination.pdf.open("rb") as handle:
        return handle.read()


def pdfsig(path) -> str:
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler's pdfsig is not installed (make test installs poppler-utils)")
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def one_byte_changed(data: bytes) -> bytes:
    """A byte inside the signed range changed, in a compressed stream: the file still parses."""
    changed = bytearray(data)
    at = data.index(b"stream", len(data) // 4) + 100
    changed[at] ^= 0x01
    return bytes(changed)


def test_it_signs_with_the_authoritys_certificate_valid_for_pyhanko_and_pdfsig(determination, tmp_path):
    data = stored(determination)
    signature = signature_of(data)
    assert (signature.valid, signature.signer) == (True, "海东工业园区管理委员会（测试）")
    report = pdfsig(determination.pdf.path)
    assert "Signature is Valid." in report and "海东工业园区管理委员会（测试）" in report
    assert "Total document signed" in report
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(one_byte_changed(data))
    assert not signature_of(broken.read_bytes()).valid
    report = pdfsig(broken)
    assert "Signature is Valid." not in report and ("Digest Mismatch" in report or "Invalid" in report)


def test_it_carries_the_frozen_facts_and_outcome_inside(determination):
    reader = PdfReader(io.BytesIO(stored(determination)))
    files = {name: json.loads(content[0]) for name, content in reader.attachments.items()}
    assert set(files) == {"facts.json", "evaluation.json"}
    evaluation = determination.evaluation
    assert files["facts.json"] == {**evaluation.facts, "as_of": "2025-03-01"}
    assert files["evaluation.json"]["outcome"] == evaluation.outcome
    assert files["evaluation.json"]["rules_version"] == evaluation.rules_version
    metadata = reader.xmp_metadata
    assert metadata is not None
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp.replace(" ", "") or 'pdfaid:part="3"' in xmp
    assert "pdfaid:conformance" in xmp and "B" in xmp.split("pdfaid:conformance", 1)[1][:8]


def test_it_stays_under_300_kb_citing_all_20_measures(determination):
    assert len(stored(determination)) <= 300 * 1024
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored(determination))).pages)
    assert "东园补决〔2025〕1号" in text and "人民币壹佰万元整" in text


def test_it_says_what_an_uploaded_file_is(client, determination, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/verify/{determination.verification_code}/"
    page = client.get(url).content.decode()
    assert 'data-valid="yes"' in page and "海东工业园区管理委员会（测试）" in page
    data = stored(determination)
    rewritten = io.BytesIO()  # written anew by another program: the signed bytes are not there any more
    PdfWriter(clone_from=PdfReader(io.BytesIO(data))).write(rewritten)
    resaved = io.BytesIO()  # saved by an editor: an incremental update after the signature
    editor = PdfWriter(io.BytesIO(data), incremental=True)
    editor.add_metadata({"/Title": "edited"})
    editor.write(resaved)

    def upload(content: bytes) -> str:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile("x.pdf", content, "application/pdf")}).content.decode()

    assert 'data-match="yes"' in upload(data)
    assert "signature is broken" in upload(rewritten.getvalue())
    assert "re-saved after signing" in upload(resaved.getvalue())
    assert "carries no signature" in upload(b"%PDF-1.4\n%%EOF\n")


def test_it_calls_an_unsigned_early_determination_so_and_still_checks_its_digest(client, determination):
    import hashlib

    from django.core.files.base import ContentFile

    unsigned = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    determination.pdf.delete(save=False)
    determination.pdf.save("legacy.pdf", ContentFile(unsigned), save=False)
    determination.sha256 = hashlib.sha256(unsigned).hexdigest()
    determination.save()
    body = client.get(f"/api/v1/verify/{determination.verification_code}").json()
    assert body["signature"] == {"valid": False, "signer": None, "signed_at": None}
    page = client.get(f"/verify/{determination.verification_code}/").content.decode()
    assert 'data-valid="unsigned"' in page and ("未签名（早期决定书）" in page or "Not signed (an early" in page)


def test_it_tells_a_file_signed_by_someone_else(client, determination, tmp_path, settings):
    """Another CA's certificate bearing any name: not ours."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from determinations import test_certificates

    test_certificates.ensure(tmp_path)  # a second, untrusted test CA and its certificates
    other = signers.SimpleSigner.load_pkcs12(str(tmp_path / "630202.p12"),
                                             passphrase=settings.TEST_SIGNING_PASSWORD.encode())
    unsigned = io.BytesIO()  # a look-alike made elsewhere
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(unsigned)
    forged = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(unsigned.getvalue()), strict=False),
                     signers.PdfSignatureMetadata(field_name="Other"), signer=other, output=forged)
    assert not signature_of(forged.getvalue()).trusted
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(f"/verify/{determination.verification_code}/",
                       {"file": SimpleUploadedFile("x.pdf", forged.getvalue(), "application/pdf")}).content.decode()
    assert "signed by 海东市乐都区人民政府（测试）, not by this service" in page


def test_it_never_leaves_the_qr_block_alone_on_a_page(determination):
    reader = PdfReader(io.BytesIO(stored(determination)))
    last = reader.pages[-1].extract_text()
    assert determination.verification_code in last
    assert "行政复议" in last and "海东工业园区管理委员会" in last  # the remedies and the 落款 stand with it


def test_it_prints_a_qr_code_that_reads_back_as_the_verification_link(determination, tmp_path):
    """The QR code on the printed last page, rendered at 150 dpi and read by a decoder."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler's pdftoppm is not installed (make test installs poppler-utils)")
    import zxingcpp
    from PIL import Image

    pages = len(PdfReader(io.BytesIO(stored(determination))).pages)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(pages), "-l", str(pages), determination.pdf.path,
                    str(tmp_path / "last")], check=True)
    (image,) = tmp_path.glob("last*.png")
    found = [b.text for b in zxingcpp.read_barcodes(Image.open(image)) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [verification_url(determination.verification_code)]
    assert found[0].endswith(f"/verify/{determination.verification_code}/")
