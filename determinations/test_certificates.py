"""Test certificates for `make run` and `make test`: a local test CA and one certificate per issuing
authority, named as test certificates, under SIGNING_DIR (var/signing/, git-ignored). Never for
production: there, each authority's PKCS#12 comes from the environment (README: Signing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings

VALID_FROM = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
CA_NAME = "海东算力政策服务测试根证书（非正式）"  # CN: at most 64 bytes


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "青海省"),
                      x509.NameAttribute(NameOID.LOCALITY_NAME, "海东市"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST ONLY 测试"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, issuer_key, *, ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               # From before the policy's start (2024-07-01): tests sign under clocks frozen in 2025.
               .serial_number(x509.random_serial_number()).not_valid_before(VALID_FROM)
               .not_valid_after(now + dt.timedelta(days=365 * 10))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def ensure(directory: Path | None = None) -> list[Path]:
    """Create what is missing: test-ca.pem (+ its key) and <authority>.p12 for each authority."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    directory = Path(directory or settings.SIGNING_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem, ca_key_pem = directory / "test-ca.pem", directory / "test-ca.key"
    if ca_pem.exists() and ca_key_pem.exists():
        from cryptography import x509

        ca_cert = x509.load_pem_x509_certificate(ca_pem.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_pem.read_bytes(), password=None)
    else:
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_cert = _certificate(_name(CA_NAME), _name(CA_NAME), ca_key.public_key(), ca_key, ca=True)
        ca_key_pem.write_bytes(ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
        ca_key_pem.chmod(0o600)
        ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    written = [ca_pem]
    password = settings.TEST_SIGNING_PASSWORD.encode()
    for authority, (name, _prefix) in settings.DETERMINATION_AUTHORITIES.items():
        target = directory / f"{authority}.p12"
        if not target.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            cert = _certificate(_name(f"{name}（测试）"), ca_cert.subject, key.public_key(), ca_key, ca=False)
            target.write_bytes(pkcs12.serialize_key_and_certificates(
                name.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(password)))
            target.chmod(0o600)
        written.append(target)
    return written
