from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("打印")

    def ready(self):
        from core.print_links import PrintLink, register_print_link
        from printing import checks  # noqa: F401 - registers the font check
        from printing.selectors import case_has_notice
        from visits.card_actions import CardAction, register_card_action

        register_card_action(CardAction(_("打印档案"), "printing:archive", "veterans.view_veteran"))
        for link in (
            PrintLink("veterans.veteran", _("打印档案（PDF）"), "printing:archive", "veterans.view_veteran"),
            PrintLink(
                "veterans.veteran", _("批量打印档案"), "printing:batch_new", "veterans.view_veteran", for_object=False
            ),
            PrintLink("assistance.fundentry", _("下载PDF收据"), "printing:receipt", "assistance.view_fundentry"),
            PrintLink(
                "assistance.hardshipcase",
                _("打印救助金发放通知（PDF）"),
                "printing:notice",
                "assistance.view_hardshipcase",
                shows=case_has_notice,
            ),
        ):
            register_print_link(link)
