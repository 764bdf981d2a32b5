"""Import of the service catalogue (服务清单) from .xlsx: the columns 服务事项, 服务层级 and, if
wanted, 服务类别 and 服务内容. An item already in the catalogue (same level and name) is updated,
a new one added; a file with any bad row changes nothing and names each bad row."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from core.errors import ApplicationError
from core.sheets.xlsx import FormulaCell, cell_text, iter_sheet_rows, read_upload
from grids.scoping import require_actor
from projects.models import ServiceCategory, ServiceItem, ServiceLevel
from projects.services import item_save

H_NAME, H_LEVEL, H_CATEGORY, H_DESCRIPTION = "服务事项", "服务层级", "服务类别", "服务内容"
HEADERS = [H_NAME, H_LEVEL, H_CATEGORY, H_DESCRIPTION]
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 3000  # Pinghu's whole list is 884 items
SHOWN_ERRORS = 10
LEVEL_WORDS = {
    **{word: ServiceLevel.COUNTY for word in ("区县级", "区县", "县级", "区级", "county")},
    **{word: ServiceLevel.TOWN for word in ("镇街级", "镇街", "镇级", "街道级", "town")},
    **{word: ServiceLevel.VILLAGE for word in ("村社级", "村社", "村级", "社区级", "village")},
}


def _category(text: str) -> str | None:
    if not text:
        return ServiceCategory.OTHER
    words = {str(label): value for value, label in ServiceCategory.choices} | {v: v for v in ServiceCategory.values}
    return words.get(text)


def _read_rows(data: bytes) -> tuple[list[dict], list[str]]:
    rows, errors = [], []
    for row_number, values in iter_sheet_rows(data, headers=HEADERS, required=[H_NAME, H_LEVEL]):
        if len(rows) >= MAX_ROWS:
            errors.append(_("行数超过上限 %(max)s 行，请分批导入。") % {"max": MAX_ROWS})
            break
        if any(isinstance(value, FormulaCell) for value in values.values()):
            errors.append(_("第%(row)s行：不允许使用公式。") % {"row": row_number})
            continue
        text = {header: cell_text(values.get(header)) for header in HEADERS}
        level, category = LEVEL_WORDS.get(text[H_LEVEL]), _category(text[H_CATEGORY])
        if not text[H_NAME] or len(text[H_NAME]) > 100:
            errors.append(_("第%(row)s行：服务事项须填写，且不超过100字。") % {"row": row_number})
        if level is None:
            errors.append(
                _("第%(row)s行：服务层级“%(value)s”无效，应为区县级、镇街级或村社级。")
                % {"row": row_number, "value": text[H_LEVEL]}
            )
        if category is None:
            errors.append(_("第%(row)s行：服务类别“%(value)s”无效。") % {"row": row_number, "value": text[H_CATEGORY]})
        rows.append({"name": text[H_NAME], "level": level, "category": category, "description": text[H_DESCRIPTION]})
    return rows, errors


@transaction.atomic
def catalogue_import(*, uploaded_file, acting_user) -> dict[str, int]:
    require_actor(acting_user)
    if not (acting_user.has_perm("projects.add_serviceitem") and acting_user.has_perm("projects.change_serviceitem")):
        raise ApplicationError(_("您没有导入服务清单的权限。"), code="forbidden")
    rows, errors = _read_rows(read_upload(uploaded_file, max_bytes=MAX_BYTES))
    if errors:
        shown = "；".join(errors[:SHOWN_ERRORS])
        more = _("（另有 %(n)s 处）") % {"n": len(errors) - SHOWN_ERRORS} if len(errors) > SHOWN_ERRORS else ""
        raise ApplicationError(
            _("未导入，请改正后重新上传：%(errors)s%(more)s") % {"errors": shown, "more": more}, field="file"
        )
    existing = {(item.level, item.name): item for item in ServiceItem.objects.all()}
    counts = {"created": 0, "updated": 0}
    for row in rows:
        item = existing.get((row["level"], row["name"])) or ServiceItem(name=row["name"], level=row["level"])
        counts["updated" if item.pk else "created"] += 1
        item.category, item.description, item.active = row["category"], row["description"], True
        existing[(item.level, item.name)] = item_save(item=item, acting_user=acting_user)
    audit_record(action=AuditAction.IMPORT, actor=acting_user, detail={"catalogue": counts})
    return counts
