"""Small helpers over X.509: key pairs, chains packed in one column, PKCS#12 files, names."""
import struct

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DER = serialization.Encoding.DER


def new_key_pair():
    return ec.generate_private_key(ec.SECP256R1())


def private_der(key):
    return key.private_bytes(DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def public_der(public_key):
    return public_key.public_bytes(DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def pack_chain(certificates):
    """DER certificates, each prefixed by its 4-byte length, in one column."""
    return b"".join(struct.pack(">I", len(der)) + der for der in
                    (c.public_bytes(DER) if isinstance(c, x509.Certificate) else c for c in certificates))


def split_chain(packed):
    found, offset = [], 0
    while packed and offset < len(packed):
        (length,) = struct.unpack(">I", packed[offset:offset + 4])
        found.append(packed[offset + 4:offset + 4 + length])
        offset += 4 + length
    return found


def common_name(name):
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return values[0].value if values else name.rfc4514_string()


def title_of(name):
    values = name.get_attributes_for_oid(NameOID.TITLE)
    return values[0].value if values else ""


def load_pkcs12(data, password):
    """(key, certificate, other certificates); ValueError when the password is wrong or it is no PKCS#12."""
    loaded = pkcs12.load_pkcs12(data, password.encode("utf-8") if password else None)
    key = loaded.key
    certificate = loaded.cert.certificate if loaded.cert else None
    if key is None or certificate is None:
        raise ValueError("no key or certificate")
    if public_der(key.public_key()) != public_der(certificate.public_key()):
        raise ValueError("the key does not match the certificate")
    return key, certificate, [extra.certificate for extra in loaded.additional_certs]


def may_sign_documents(certificate):
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature or usage.content_commitment
