"""The read log of a person's file ("who opened this file"): every whole view is one audit row."""

from audit.models import AuditAction, AuditEvent, ViewPart
from audit.services import audit_record
from grids.scoping import require_actor
from veterans.models import Veteran


def veteran_record_view(
    *, veteran: Veteran, part: ViewPart, acting_user, request=None, full_numbers: bool = False
) -> AuditEvent:
    """Record that `acting_user` read `veteran`'s file through `part`: exactly one INSERT, so a
    phone card costs one query more. The caller has already fetched the record through the
    user's scope. A page that showed the whole ID and phone (`full_numbers`) is recorded as a
    sensitive view in the same single row, with its part.

    Repeated views are not coalesced: finding the previous row would cost a read on every view,
    more than the one INSERT it would save, and the auditor wants each opening anyway."""
    require_actor(acting_user)
    return audit_record(
        action=AuditAction.VIEW_SENSITIVE if full_numbers else AuditAction.VIEW,
        actor=acting_user,
        request=request,
        obj=veteran,
        detail={"part": str(part)},
    )
