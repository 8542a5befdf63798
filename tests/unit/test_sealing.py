"""Keys sealed under a PIN (issue 15 item 4): scrypt now comes from libsodium (PyNaCl) for speed; it must be
the very function OpenSSL's was, so every key sealed before opens with the same PIN, and nothing else does."""
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.signing import sealing


def sealed_the_old_way(plaintext, pin, *, context, log2_n):
    """What seal() wrote with cryptography's (OpenSSL's) Scrypt, before this change."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=2 ** log2_n, r=8, p=1).derive(pin.encode("utf-8"))
    return sealing.MAGIC + bytes([log2_n]) + salt + nonce + AESGCM(key).encrypt(nonce, plaintext,
                                                                           context.encode("utf-8"))


def test_rfc_7914_scrypt_vector():
    # RFC 7914 section 12, scrypt(P="pleaseletmein", S="SodiumChloride", N=16384, r=8, p=1, dkLen=64)
    key = sealing.libsodium_scrypt(b"pleaseletmein", b"SodiumChloride", 16384, 8, 1, dklen=64,
                                   maxmem=2 * 128 * 8 * 16384)
    assert key.hex() == ("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                         "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")


@pytest.mark.parametrize("log2_n", [10, sealing.SCRYPT_LOG2_N])
def test_a_key_sealed_with_openssls_scrypt_opens_with_the_same_pin_only(log2_n):
    blob = sealed_the_old_way(b"the signing key", "ปิน-2569", context="user-key:7", log2_n=log2_n)
    assert sealing.unseal(blob, "ปิน-2569", context="user-key:7") == b"the signing key"
    with pytest.raises(sealing.WrongSecret):
        sealing.unseal(blob, "ปิน-2568", context="user-key:7")
    with pytest.raises(sealing.WrongSecret):
        sealing.unseal(blob, "ปิน-2569", context="user-key:8")


def test_a_new_seal_keeps_n_at_2_to_the_15_and_opens_with_its_pin():
    blob = sealing.seal(b"secret", "pin-123456", context="ca")
    assert blob[4] == 15 and sealing.unseal(blob, "pin-123456", context="ca") == b"secret"
