"""What clerks type, made comparable: full-width digits, letters and spaces (an IME's habit)
become their plain forms (NFKC) before anything checks a number, a code or a date."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """NFKC and trimmed: `１２０１０１` → `120101`, `　` → ` `. For numbers, codes and dates only:
    free text (names, addresses) is kept as typed."""
    if not text:
        return ""
    if text.isascii():  # NFKC leaves ASCII as it is; most cells are (imports check millions)
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def plain_code(text: str) -> str:
    """An ID number or area code: plain, no spaces anywhere, letters upper-cased (`x` → `X`)."""
    text = plain(text)
    if text.isalnum():  # nothing to take out
        return text.upper()
    return _SPACES.sub("", text).upper()


def plain_phone(text: str) -> str:
    """A phone number: plain, inner spaces kept as the clerk grouped the digits."""
    return _SPACES.sub(" ", plain(text))
