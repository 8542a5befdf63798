"""Secrets sealed with a passphrase or PIN: scrypt derives an AES-256-GCM key, the tag proves the PIN.

A sealed blob is `ESK1 | log2(n) | salt(16) | nonce(12) | ciphertext+tag`. The associated data binds a blob
to what it belongs to (a user's id, the CA), so a blob copied onto another row does not open. Opening with
the wrong PIN fails the tag check: no other PIN verifier is stored. Nothing here logs a secret.

scrypt is libsodium's (PyNaCl): the same function (RFC 7914) as OpenSSL's, so every blob sealed before
opens the same, but its SIMD Salsa20/8 takes about 55-65 ms per unlock on the 2-core server where
OpenSSL's (cryptography's Scrypt) took 80-110 ms. A guesser's work per PIN is what n and r make it,
whichever code runs; only the signer waits less.
"""
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nacl.bindings import crypto_pwhash_scryptsalsa208sha256_ll as libsodium_scrypt

MAGIC = b"ESK1"
SCRYPT_LOG2_N = 15  # 32 MiB and ~0.1 s per unlock: slow for a guesser holding a stolen database
SCRYPT_R, SCRYPT_P = 8, 1
SALT_BYTES, NONCE_BYTES = 16, 12


class WrongSecret(Exception):
    """The PIN or passphrase does not open the blob (or the blob was altered)."""


def _key(secret, salt, log2_n):
    n = 2 ** log2_n
    return libsodium_scrypt(secret.encode("utf-8"), salt, n, SCRYPT_R, SCRYPT_P, dklen=32,
                            maxmem=2 * 128 * SCRYPT_R * n)  # it needs 128·r·n bytes


def seal(plaintext, secret, *, context, log2_n=SCRYPT_LOG2_N):
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(secret, salt, log2_n)).encrypt(nonce, plaintext, context.encode("utf-8"))
    return MAGIC + bytes([log2_n]) + salt + nonce + sealed


def unseal(blob, secret, *, context):
    if not blob or blob[:4] != MAGIC:
        raise WrongSecret("not a sealed blob")
    log2_n = blob[4]
    salt, nonce, sealed = blob[5:21], blob[21:33], blob[33:]
    try:
        return AESGCM(_key(secret, salt, log2_n)).decrypt(nonce, sealed, context.encode("utf-8"))
    except InvalidTag:
        raise WrongSecret("wrong secret") from None


def derived_passphrase(secret_key, purpose):
    """A passphrase for `purpose` derived from SECRET_KEY (HKDF-SHA256), for when none is configured."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"e-saraban", info=purpose.encode()).derive(
        secret_key.encode("utf-8"))
    return raw.hex()
