"""Money as the bureau writes it: ¥ amounts and the capital numerals of Chinese receipts.

Amounts are Decimals and are never formatted through float."""

from decimal import Decimal, InvalidOperation


def yuan(value) -> str:
    """¥1,234.50; an empty string for what is not an amount."""
    try:
        amount = Decimal(value or 0).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(group: int) -> str:
    """0..9999 in capital numerals, with 零 for inner gaps (e.g. 1005 → 壹仟零伍)."""
    out, zero_pending = "", False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += _DIGITS[digit] + _SMALL_UNITS[position]
    return out


def rmb_upper(value) -> str:
    """Amount in the capital numerals of Chinese receipts: 8400.50 → 人民币捌仟肆佰元伍角."""
    try:
        amount = Decimal(value or 0).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if amount < 0:
        return "负" + rmb_upper(-amount)
    whole, cents = divmod(int(amount * 100), 100)
    groups, text, gap = [], "", False
    while whole:
        whole, group = divmod(whole, 10000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(text)
            continue
        if text and (gap or group < 1000):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[index]
        gap = False
    text = (text or "零") + "元"
    jiao, fen = divmod(cents, 10)
    if not cents:
        return f"人民币{text}整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text != "零元":
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return "人民币" + text.removeprefix("零元")
