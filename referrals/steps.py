"""One referral's steps from a posted form, shared by the desk page and the phone page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ApplicationError
from referrals import forms, services
from referrals.selectors import actions_for

FORMS = {
    "accept": forms.AnswerForm,
    "decline": forms.AnswerForm,
    "note": forms.NoteForm,
    "close": forms.CloseForm,
    "cancel": forms.CancelForm,
}
BUTTONS = {
    "accept": gettext_lazy("登记接收"),
    "decline": gettext_lazy("登记拒收"),
    "note": gettext_lazy("记录跟进"),
    "close": gettext_lazy("办结"),
    "cancel": gettext_lazy("撤销转介"),
}


def step_forms(user, referral) -> list[tuple[str, str, object]]:
    """(step, button label, unbound form) for each step this user may take now."""
    today = timezone.localdate()
    initial = {"answered_on": today, "closed_on": today}
    return [(name, str(BUTTONS[name]), FORMS[name](initial=initial)) for name in actions_for(user, referral)]


def take_step(request, referral, action: str) -> None:
    """Run one step; raises ApplicationError with a message for the user."""
    user = request.user
    if action not in actions_for(user, referral):
        raise ApplicationError(_("当前不能进行此操作。"))
    form = FORMS[action](request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        raise ApplicationError(_("%(field)s：%(error)s") % {"field": label, "error": errors[0]} if label else errors[0])
    data = form.cleaned_data
    if action in ("accept", "decline"):
        services.referral_answer(referral=referral, accepted=action == "accept", acting_user=user, **data)
    elif action == "note":
        services.referral_note_add(referral=referral, acting_user=user, **data)
    elif action == "close":
        services.referral_close(referral=referral, acting_user=user, **data)
    else:
        services.referral_cancel(referral=referral, acting_user=user, **data)
