"""Masked display of personal numbers: the last four digits stay readable (search by tail)."""


def mask_id_number(number: str) -> str:
    """110101********1234: region kept, birth date and order hidden."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
