"""Encryption of backups with a passphrase (BACKUP_PASSPHRASE): AES-256-GCM in 1 MiB chunks.

The key comes from the passphrase by scrypt, with a salt kept in BACKUP_PATH/encryption.json together with a
check value, so a wrong passphrase is told as such before anything is read. Each file (the archive, each
pooled attachment) is a header (magic and an 8-byte random nonce prefix) followed by chunks; chunk i is
sealed with the nonce prefix + i and a last-chunk flag as associated data (the STREAM construction), so a
chunk changed, reordered, dropped or cut off at the end fails to open.
"""
import json
import os
import secrets
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"ESARABAN-AESGCM1"
CHUNK = 1024 * 1024
TAG = 16
SETTINGS_FILE = "encryption.json"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
CHECK_TEXT = b"e-Saraban backup key check"


class CryptoError(Exception):
    """A wrong passphrase, a damaged encrypted file, or a folder whose encryption does not match."""


def folder_key(backup_root, passphrase, *, create):
    """The key of a backup folder; its salt and check value are written the first time (`create`)."""
    settings_path = Path(backup_root) / SETTINGS_FILE
    if not settings_path.exists():
        if not create:
            raise CryptoError(f"{backup_root} holds no encrypted backups ({SETTINGS_FILE} is missing)")
        salt = secrets.token_bytes(16)
        key = _derive(passphrase, salt)
        nonce = secrets.token_bytes(12)
        check = AESGCM(key).encrypt(nonce, CHECK_TEXT, None)
        settings_path.write_text(json.dumps({"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                                             "salt": salt.hex(), "check": (nonce + check).hex()}, indent=1))
        return key
    settings = json.loads(settings_path.read_text())
    key = _derive(passphrase, bytes.fromhex(settings["salt"]), settings["n"], settings["r"], settings["p"])
    sealed = bytes.fromhex(settings["check"])
    try:
        AESGCM(key).decrypt(sealed[:12], sealed[12:], None)
    except InvalidTag as error:
        raise CryptoError("the passphrase is not the one these backups were made with") from error
    return key


def is_encrypted_folder(backup_root):
    return (Path(backup_root) / SETTINGS_FILE).exists()


def _derive(passphrase, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P):
    if not passphrase:
        raise CryptoError("no passphrase given")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def encrypt_file(key, source, target):
    prefix = secrets.token_bytes(8)
    aead = AESGCM(key)
    with open(source, "rb") as plain, open(target, "wb") as sealed:
        sealed.write(MAGIC + prefix)
        index, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            sealed.write(aead.encrypt(_nonce(prefix, index), chunk, b"\x01" if last else b"\x00"))
            if last:
                return
            index, chunk = index + 1, following


def decrypt_file(key, source, target):
    aead = AESGCM(key)
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        header = sealed.read(len(MAGIC) + 8)
        if not header.startswith(MAGIC):
            raise CryptoError(f"{Path(source).name} is not an encrypted e-Saraban file")
        prefix, index = header[len(MAGIC):], 0
        chunk = sealed.read(CHUNK + TAG)
        while True:
            following = sealed.read(CHUNK + TAG)
            last = not following
            try:
                plain.write(aead.decrypt(_nonce(prefix, index), chunk, b"\x01" if last else b"\x00"))
            except InvalidTag as error:
                raise CryptoError(f"{Path(source).name} is damaged (chunk {index} does not open)") from error
            if last:
                return
            index, chunk = index + 1, following


def _nonce(prefix, index):
    return prefix + struct.pack(">I", index)


def private_temp(directory, name):
    """A path for a decrypted copy, readable by this account only."""
    path = Path(directory) / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    return path
