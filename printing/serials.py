"""Serial numbers printed on receipts and notices: derived from the row they print, so the same
paper always carries the same number (reprinting never makes a new one) and two papers never
share one. Year of the money's day + the row's id, zero-padded."""

from django.utils import timezone


def receipt_serial(entry) -> str:
    """SJ2026-000123: a donation's (or allocation's) ledger entry, which is never changed."""
    return f"SJ{timezone.localtime(entry.created_at).year}-{entry.pk:06d}"


def payment_notice_serial(case) -> str:
    """FF2026-000045: a paid case, by the year it was paid (a payment reversed and paid again in
    another year gets that year's number: the first notice is void)."""
    return f"FF{timezone.localtime(case.paid_at).year}-{case.pk:06d}"
