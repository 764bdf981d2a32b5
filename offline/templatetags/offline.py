"""{% offline_texts %}: the words static/js/offline.js shows, translated, as a JSON script."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


def texts() -> dict[str, str]:
    return {
        "pending": _("待上传 %(n)s 条"),
        "refused": _("%(n)s 条被退回"),
        "queued": _("没有信号：已存入待上传队列，有信号时自动上传。"),
        "offline": _("没有信号，有信号时自动上传。"),
        "login": _("登录已过期：请重新登录，待上传的记录会保留。"),
        "server": _("服务器暂时无法接收，稍后自动重试"),
        "forbidden": _("您没有进行该操作的权限。"),
        "discard": _("还有 %(n)s 条记录未上传，退出将丢弃它们。确定退出吗？"),
        "data_time": _("数据更新于 %(time)s"),
        "no_data": _("此页面需要网络：手机上还没有保存本网格的数据。"),
        "not_found": _("手机上保存的数据中没有此人。"),
        "waiting": _("待上传"),
        "refused_one": _("被退回"),
        "edit": _("修改"),
        "discard_one": _("放弃"),
        "discard_confirm": _("放弃这条记录？放弃后无法恢复。"),
        "empty": _("没有待上传的记录。"),
        "log_visit": _("记录走访"),
        "report_event": _("登记必访事项"),
        "report_hardship": _("报告困难"),
        "contact": _("更新联系信息"),
        "appeal": _("登记诉求"),
        "wish": _("记录心愿"),
        "activities": _("本周网格活动"),
        "no_activities": _("本周暂无活动。"),
        "due": _("应访"),
        "overdue": _("逾期"),
        "must_visit": _("必访"),
        "todo": _("待办事项"),
        "offline_card": _("离线查看：信息为上次同步时的内容。"),
    }


@register.simple_tag
def offline_texts() -> str:
    return json_script(texts(), "offline-text")
