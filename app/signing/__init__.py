"""Signing keys and the organisation's own CA (issue 15 items 4-5): certificates, PINs, PAdES signatures
and their offline validation. The letters (app/letters/) call `keys.unlock`, `pades.sign_pdf` and
`verify.validate_pdf`; docs/signing.md explains the whole."""
import logging
import warnings

# Thai names pass cryptography's 64-byte check on names (RFC 5280 bounds them at 64 characters; ca.py
# checks that): it warns each time such a certificate is read.
warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)


class _NoFetchingNotice(logging.Filter):
    """pyHanko warns on every signature that fetching is off; that is the design (our CRL is supplied)."""

    def filter(self, record):
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchingNotice())
