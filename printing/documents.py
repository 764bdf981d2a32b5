"""The PDFs themselves, drawn with ReportLab on A4 in the embedded Chinese font (printing.fonts).

Pure drawing: the callers hand in what was read through the scope (printing.selectors) and
whether the whole personal numbers may be printed; nothing here queries or writes. Every text is
Chinese through gettext, and every value from a record is escaped before it reaches ReportLab's
paragraph markup.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import (
    Image as RLImage,
)

from core.masking import mask_id_number, mask_phone
from core.money import rmb_upper, yuan
from printing.fonts import register_font
from printing.selectors import ArchiveCard

MARGIN = 14 * mm
WIDTH = A4[0] - 2 * MARGIN
LINE = colors.HexColor("#555555")
SHADE = colors.HexColor("#ECECEC")


@dataclass(frozen=True)
class PrintContext:
    """Who prints, when, and whether the whole ID and phone numbers go on paper."""

    printed_by: str
    printed_at: datetime.datetime
    full_numbers: bool


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK")
    return {
        "body": body,
        "label": ParagraphStyle("label", parent=body, textColor=colors.HexColor("#333333")),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5),
        "title": ParagraphStyle("title", parent=body, fontSize=17, leading=22, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=body, fontSize=10, leading=12.5),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "letter": ParagraphStyle("letter", parent=body, fontSize=12, leading=20, firstLineIndent=24),
        "big": ParagraphStyle("big", parent=body, fontSize=12, leading=18),
    }


def _text(value) -> str:
    """A value as paragraph text: escaped, "—" when empty."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        month_text = getattr(value, "month_text", None)
        return month_text() if month_text else value.strftime("%Y-%m-%d")
    return escape(str(value))


def _day(value: datetime.date) -> str:
    """2026年12月7日, as letters and receipts write a date."""
    return _("%(year)s年%(month)s月%(day)s日") % {"year": value.year, "month": value.month, "day": value.day}


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


class CardEnd(Flowable):
    """An invisible mark after each card: lets the document count finished cards (progress) and
    name the person whose card is on the page (the footer)."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def draw(self):
        pass


class CardStart(CardEnd):
    pass


class _Document(BaseDocTemplate):
    """A4 with a footer on each page; reports each finished card to `on_card`."""

    def __init__(self, target, *, footer: Callable[[object, "_Document"], None], on_card=None, title: str = ""):
        font = register_font()
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 6 * mm,
            title=title,
            author="",
            creator="Veteran Grid",
            initialFontName=font,  # no page starts in an unembedded base-14 font
        )
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body", leftPadding=0, rightPadding=0
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=footer)])
        self.on_card = on_card
        self.cards_done = 0
        self.current_name = ""

    def afterFlowable(self, flowable):
        if isinstance(flowable, CardStart):
            self.current_name = flowable.name
        elif isinstance(flowable, CardEnd):
            self.cards_done += 1
            if self.on_card is not None:
                self.on_card(self.cards_done)


def _table(data: list[list], widths: list[float], commands: list, **kwargs) -> Table:
    """A table whose every cell, even an empty one, is set in the embedded font: ReportLab would
    otherwise open empty cells in Helvetica, an unembedded font."""
    table = Table(data, colWidths=widths, **kwargs)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), register_font(), 9), *commands]))
    return table


def _section(title: str, rows: list[list], widths: list[float], styles, *, header: bool = False, spans=()) -> Table:
    """A bordered table under a shaded title row; `header`: the first data row is column heads."""
    data = [[Paragraph(escape(title), styles["section"])] + [""] * (len(widths) - 1), *rows]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#F6F6F6")))
    commands += [("SPAN", start, end) for start, end in spans]
    return _table(data, widths, commands, repeatRows=2 if header else 1)


def archive_title() -> str:
    return _("一人一档 档案表")


def _pairs(rows: list[tuple[str, str]], styles) -> list[list]:
    """Label/value pairs laid two to a row."""
    out = []
    for index in range(0, len(rows), 2):
        row = []
        for label, value in rows[index : index + 2]:
            row += [Paragraph(escape(label), styles["label"]), Paragraph(value, styles["body"])]
        out.append(row + [""] * (4 - len(row)))
    return out


def _photo_flowable(veteran, box_width):
    """The person's photo scaled into the box (a re-encoded JPEG, veterans.services.veteran_set_photo)."""
    if not veteran.photo:
        return None
    try:
        with veteran.photo.open("rb") as handle:
            data = io.BytesIO(handle.read())
        reader = ImageReader(data)
    except (OSError, ValueError):
        return None  # a lost file: the box stays empty rather than the print failing
    width, height = reader.getSize()
    scale = min((box_width - 4 * mm) / width, 38 * mm / height)
    data.seek(0)
    return RLImage(data, width=width * scale, height=height * scale)


def _card_flowables(card: ArchiveCard, context: PrintContext, styles) -> list:
    veteran = card.veteran
    id_number = veteran.id_number if context.full_numbers else mask_id_number(veteran.id_number)
    phone_shown = (lambda number: number) if context.full_numbers else mask_phone
    label_w, value_w, photo_w = 28 * mm, 47 * mm, 32 * mm
    widths4 = [label_w, value_w, label_w, value_w + photo_w]
    age = _("%(age)s岁") % {"age": veteran.age}
    party = _("中共党员") if veteran.is_party_member else _("群众")
    if veteran.is_party_member and veteran.party_relation:
        party = f"{party}（{veteran.get_party_relation_display()}）"
    story: list = [CardStart(veteran.name)]
    story.append(Paragraph(escape(archive_title()), styles["title"]))
    place = " / ".join(a.name for a in (veteran.street, veteran.community, veteran.grid))
    heading = _table(
        [
            [
                Paragraph(escape(_("档案编号：%(no)s") % {"no": f"DA{veteran.pk:08d}"}), styles["small"]),
                Paragraph(escape(_("所属：%(place)s") % {"place": place}), styles["small"]),
            ]
        ],
        [WIDTH * 0.35, WIDTH * 0.65],
        [("ALIGN", (1, 0), (1, 0), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )
    story += [heading, Spacer(1, 1.5 * mm)]

    # Identity, with the photo box beside the first five rows.
    photo = _photo_flowable(veteran, photo_w) or Paragraph(
        escape(_("照片")), ParagraphStyle("photo", parent=styles["body"], alignment=TA_CENTER)
    )
    body = styles["body"]

    def cell(value):
        return Paragraph(value, body)

    def label(text):
        return Paragraph(escape(text), styles["label"])

    identity = [
        [
            label(_("姓名")),
            cell(_text(veteran.name)),
            label(_("性别")),
            cell(_text(veteran.get_gender_display())),
            photo,
        ],
        [
            label(_("民族")),
            cell(_text(veteran.ethnicity)),
            label(_("出生日期")),
            cell(f"{_text(veteran.birth_date)}（{escape(age)}）"),
            "",
        ],
        [label(_("公民身份号码")), cell(_text(id_number)), "", "", ""],
        [
            label(_("联系电话")),
            cell(_text(phone_shown(veteran.phone))),
            label(_("状态")),
            cell(_text(veteran.get_life_status_display())),
            "",
        ],
        [
            label(_("人员类别")),
            cell(_text(veteran.get_person_kind_display())),
            label(_("政治面貌")),
            cell(_text(party)),
            "",
        ],
        [label(_("现居住地址")), cell(_text(veteran.residence_address)), "", "", ""],
        [label(_("户籍地")), cell(_text(veteran.household_registration)), "", "", ""],
        [
            label(_("就业状况")),
            cell(_text(veteran.get_employment_display())),
            label(_("医疗保险")),
            cell(_text(veteran.get_medical_insurance_display())),
            "",
        ],
    ]
    spans = [
        ((4, 1), (4, 5)),  # photo box
        ((1, 3), (3, 3)),  # ID number
        ((1, 6), (4, 6)),  # address
        ((1, 7), (4, 7)),  # household registration
        ((3, 8), (4, 8)),
    ]
    table = _section(_("基本信息"), identity, [label_w, value_w, label_w, value_w, photo_w], styles, spans=spans)
    table.setStyle(TableStyle([("ALIGN", (4, 1), (4, 5), "CENTER"), ("TEXTCOLOR", (4, 1), (4, 5), colors.grey)]))
    story += [table, Spacer(1, 1.5 * mm)]

    if veteran.person_kind == "veteran":
        rows = [
            (_("退役类别"), _text(veteran.get_veteran_type_display())),
            (_("服役军种"), _text(veteran.get_branch_display())),
            (_("入伍时间"), _text(veteran.shown_date("enlistment_date"))),
            (_("退役时间"), _text(veteran.shown_date("discharge_date"))),
        ]
        title = _("服役信息")
    else:
        soldier = getattr(veteran, "source_soldier", None)
        title = _("来源军人")
        if soldier is None:
            rows = [(_("军人姓名"), "—"), (_("与军人关系"), "—")]
        else:
            rows = [
                (_("军人姓名"), _text(soldier.name)),
                (_("与军人关系"), _text(_("本人系其%(relation)s") % {"relation": soldier.get_relation_display()})),
                (_("军人状态"), _text(soldier.get_status_display())),
                (_("部队"), _text(soldier.unit)),
                (_("牺牲/病故日期"), _text(soldier.death_date)),
                (_("牺牲/病故地点"), _text(soldier.death_place)),
                (_("烈士证书编号"), _text(soldier.certificate_number)),
            ]
    story += [_section(title, _pairs(rows, styles), widths4, styles), Spacer(1, 1.5 * mm)]

    care = "、".join(str(c) for c in veteran.priority_care.all())
    rows = [
        (_("享受定期补助"), _yes_no(veteran.receives_regular_subsidy)),
        (_("低保"), _yes_no(veteran.minimum_living_allowance)),
        (_("特困（五保）"), _yes_no(veteran.extreme_poverty)),
        (_("建档立卡贫困户"), _yes_no(veteran.registered_poor)),
        (_("光荣牌悬挂日期"), _text(veteran.glory_plaque_hung_on)),
        (_("重大疾病"), _text(veteran.serious_illness)),
        (_("专项特长"), _text(veteran.skills)),
    ]
    care_rows = [
        [label(_("优抚类别")), cell(_text(care)), "", ""],
        *_pairs(rows, styles),
        [label(_("服务需求")), cell(_text(veteran.service_needs)), "", ""],
        [label(_("备注")), cell(_text(veteran.notes)), "", ""],
    ]
    # Rows are numbered from the title row (0): the first and the last two values span the row.
    wide = [1, len(care_rows) - 1, len(care_rows)]
    story += [
        _section(_("优抚与保障"), care_rows, widths4, styles, spans=[((1, row), (3, row)) for row in wide]),
        Spacer(1, 1.5 * mm),
    ]

    family = list(veteran.family.all())
    heads = [label(h) for h in (_("姓名"), _("关系"), _("联系电话"), _("军属"))]
    rows = [
        [
            cell(_text(m.name)),
            cell(_text(m.get_relation_display())),
            cell(_text(phone_shown(m.phone))),
            cell(_yes_no(m.is_military_family)),
        ]
        for m in family
    ] or [[cell(_("无")), "", "", ""]]
    story += [
        _section(_("家庭成员"), [heads, *rows], [45 * mm, 35 * mm, 60 * mm, WIDTH - 140 * mm], styles, header=True),
        Spacer(1, 1.5 * mm),
    ]

    honours = list(veteran.honours.all())
    heads = [label(h) for h in (_("类别"), _("名称"), _("年份"))]
    rows = [
        [cell(_text(h.get_kind_display())), cell(_text(h.title)), cell(_text(h.awarded_year))] for h in honours
    ] or [[cell(_("无")), "", ""]]
    story += [
        _section(_("立功受奖"), [heads, *rows], [45 * mm, WIDTH - 75 * mm, 30 * mm], styles, header=True),
        Spacer(1, 1.5 * mm),
    ]

    staff = veteran.paired_staff
    if staff is not None:
        staff_name = staff.user.get_full_name() or staff.user.get_username()
        rows = [
            (_("结对人"), _text(staff_name)),
            (_("结对人角色"), _text(staff.get_role_display())),
            (_("结对人电话"), _text(phone_shown(staff.phone))),
        ]
    else:
        rows = [(_("结对人"), _("未结对"))]
    rows += [
        (_("最近走访日期"), _text(veteran.last_visit_on)),
        (_("应走访日期"), _text(veteran.visit_due_on)),
    ]
    story += [_section(_("结对帮扶"), _pairs(rows, styles), widths4, styles), Spacer(1, 1.5 * mm)]

    heads = [label(h) for h in (_("走访时间"), _("方式"), _("类型"), _("走访情况"), _("慰问"))]
    rows = []
    for visit in card.visits:
        given = [yuan(visit.money)] if visit.money else []
        if visit.goods:
            given.append(visit.goods)
        rows.append(
            [
                cell(_text(visit.visited_at)),
                cell(_text(visit.get_method_display())),
                cell(_text(visit.get_kind_display())),
                cell(_text((visit.findings or visit.needs)[:120])),
                cell(_text("、".join(given))),
            ]
        )
    rows = rows or [[cell(_("暂无走访记录")), "", "", "", ""]]
    title = _("最近走访（共 %(count)s 次）") % {"count": card.visit_count}
    story += [
        KeepTogether(
            _section(title, [heads, *rows], [33 * mm, 20 * mm, 20 * mm, WIDTH - 108 * mm, 35 * mm], styles, header=True)
        ),
        Spacer(1, 1.5 * mm),
    ]

    heads = [label(h) for h in (_("救助类型"), _("状态"), _("申请金额"), _("批准金额"), _("发放时间"), _("支出基金"))]
    rows = [
        [
            cell(_text(case.case_type.name)),
            cell(_text(case.get_status_display())),
            cell(_text(yuan(case.amount_requested))),
            cell(_text(yuan(case.amount_approved) if case.amount_approved is not None else "")),
            cell(_text(case.paid_at)),
            cell(_text(case.fund.name if case.fund_id and case.paid_at else "")),
        ]
        for case in card.cases
    ] or [[cell(_("无")), "", "", "", "", ""]]
    title = _("困难救助（共 %(count)s 件，累计发放 %(paid)s）") % {
        "count": card.case_count,
        "paid": yuan(card.paid_total),
    }
    story += [
        KeepTogether(
            _section(
                title,
                [heads, *rows],
                [WIDTH - 149 * mm, 22 * mm, 24 * mm, 24 * mm, 32 * mm, 47 * mm],
                styles,
                header=True,
            )
        ),
        CardEnd(veteran.name),
    ]
    return story


def _archive_footer(context: PrintContext):
    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        numbers = _("含完整身份证号和电话，请妥善保管") if context.full_numbers else _("身份证号和电话已脱敏")
        left = _("%(name)s · 打印人：%(by)s · %(at)s") % {
            "name": doc.current_name,
            "by": context.printed_by,
            "at": timezone.localtime(context.printed_at).strftime("%Y-%m-%d %H:%M"),
        }
        canvas.drawString(MARGIN, MARGIN + 3.5 * mm, left)
        canvas.drawString(MARGIN, MARGIN - 0.5 * mm, numbers)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN + 3.5 * mm, _("第 %(page)s 页") % {"page": doc.page})
        canvas.restoreState()

    return footer


def archive_pdf(target, cards: list[ArchiveCard], context: PrintContext, *, on_card=None) -> int:
    """Write the cards of `cards` (each from a new page) to `target` (a path or a binary file);
    `on_card(done)` after each card. Returns the number of pages."""
    styles = _styles()
    story: list = []
    for index, card in enumerate(cards):
        if index:
            story.append(PageBreak())
        story += _card_flowables(card, context, styles)
    document = _Document(target, footer=_archive_footer(context), on_card=on_card, title=archive_title())
    document.build(story)
    return document.page


def _plain_footer(context: PrintContext):
    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(register_font(), 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        text = _("打印人：%(by)s · %(at)s") % {
            "by": context.printed_by,
            "at": timezone.localtime(context.printed_at).strftime("%Y-%m-%d %H:%M"),
        }
        canvas.drawString(MARGIN, MARGIN, text)
        canvas.restoreState()

    return footer


def _serial_line(serial: str, day: datetime.date, styles, left: str = "") -> Table:
    row = [
        Paragraph(escape(left), styles["body"]),
        Paragraph(escape(_("编号：%(serial)s") % {"serial": serial}), styles["right"]),
    ]
    day_row = ["", Paragraph(escape(_day(day)), styles["right"])]
    padding = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    return _table([row, day_row], [WIDTH / 2] * 2, padding)


def _form(rows: list[tuple[str, str]], styles) -> Table:
    data = [[Paragraph(escape(label), styles["big"]), Paragraph(value, styles["big"])] for label, value in rows]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.6, LINE),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    return _table(data, [38 * mm, WIDTH - 38 * mm], commands)


def receipt_pdf(target, entry, serial: str, context: PrintContext) -> int:
    """The receipt of a donation (or the voucher of an allocation) with its serial number."""
    styles = _styles()
    donation = entry.kind == "donation"
    title = _("捐赠收据") if donation else _("资金入账凭证")
    donor = _("匿名") if entry.donor_kind == "anonymous" else entry.donor_name or entry.get_kind_display()
    if entry.donor_kind:
        donor = f"{donor}（{entry.get_donor_kind_display()}）"
    handler = entry.created_by.get_full_name() or entry.created_by.get_username()
    rows = [
        (_("捐赠方") if donation else _("资金来源"), _text(donor)),
        (_("金额（大写）"), _text(rmb_upper(entry.amount))),
        (_("金额（小写）"), _text(yuan(entry.amount))),
        (_("受赠基金") if donation else _("入账基金"), _text(entry.fund.name)),
        (_("用途"), _text(entry.reference or _("用于困难退役军人帮扶救助"))),
    ]
    receipt_no = _("收据编号：%(no)s") % {"no": entry.receipt_no} if entry.receipt_no else ""
    story = [
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 4 * mm),
        _serial_line(serial, timezone.localtime(entry.created_at).date(), styles, left=receipt_no),
        Spacer(1, 3 * mm),
        _form(rows, styles),
        Spacer(1, 8 * mm),
        Paragraph(escape(_("经办人：%(name)s　　（盖章）") % {"name": handler}), styles["big"]),
    ]
    if donation:
        story += [Spacer(1, 6 * mm), Paragraph(escape(_("感谢您对退役军人事业的关心和支持！")), styles["big"])]
    document = _Document(target, footer=_plain_footer(context), title=title)
    document.build(story)
    return document.page


def payment_notice_pdf(target, case, serial: str, context: PrintContext) -> int:
    """救助金发放通知: to the person, that the relief was paid, how much, from which fund."""
    styles = _styles()
    veteran = case.veteran
    paid_on = timezone.localtime(case.paid_at).date()
    issuer = case.street.station_name or _("%(street)s退役军人服务站") % {"street": case.street.name}
    letter = _(
        "您申请的%(type)s，经审核批准，已于%(date)s从%(fund)s发放救助金%(upper)s（%(amount)s）。"
        "请注意查收。如有疑问，请与%(issuer)s联系。"
    ) % {
        "type": case.case_type.name,
        "date": _day(paid_on),
        "fund": case.fund.name if case.fund_id else "—",
        "upper": rmb_upper(case.amount_approved),
        "amount": yuan(case.amount_approved),
        "issuer": issuer,
    }
    if case.street.station_phone:
        letter += _("联系电话：%(phone)s。") % {"phone": case.street.station_phone}
    payer = case.payment.created_by if case.payment_id else None
    rows = [
        (_("救助编号"), _text(case.pk)),
        (_("受助人"), _text(f"{veteran.name}（{case.community.name} · {case.grid.name}）")),
        (_("救助类型"), _text(case.case_type.name)),
        (_("首次获知日期"), _text(case.reported_on)),
        (_("发放金额"), _text(f"{yuan(case.amount_approved)}　{rmb_upper(case.amount_approved)}")),
        (_("发放时间"), _text(case.paid_at)),
        (_("支出基金"), _text(case.fund.name if case.fund_id else "")),
        (_("发放经办人"), _text((payer.get_full_name() or payer.get_username()) if payer else "")),
    ]
    story = [
        Paragraph(escape(_("救助金发放通知")), styles["title"]),
        Spacer(1, 4 * mm),
        _serial_line(serial, paid_on, styles),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("%(name)s：") % {"name": veteran.name}), styles["big"]),
        Spacer(1, 1.5 * mm),
        Paragraph(escape(letter), styles["letter"]),
        Paragraph(escape(_("特此通知。")), styles["letter"]),
        Spacer(1, 5 * mm),
        _form(rows, styles),
        Spacer(1, 12 * mm),
        Paragraph(escape(_("%(issuer)s（盖章）") % {"issuer": issuer}), styles["right"]),
        Paragraph(escape(_day(paid_on)), styles["right"]),
    ]
    document = _Document(target, footer=_plain_footer(context), title=_("救助金发放通知"))
    document.build(story)
    return document.page
