"""The dashboard's figures for other bureau systems: the same selectors, the same scope."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from confirmations.selectors import confirmation_figures
from core.db.replicas import stale_reads_view
from core.numbers import MONEY
from core.schema import NOT_FOUND
from dashboard.campaigns import campaign_board
from dashboard.figures import board_for, fund_board
from dashboard.selectors import area_for, monthly_trend
from transfers.selectors import move_figures, recent_moves


class CanViewDashboard(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("dashboard.view_dashboard")


class FiguresSerializer(serializers.Serializer):
    veterans = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    by_type = serializers.DictField(child=serializers.IntegerField())
    by_priority = serializers.DictField(child=serializers.IntegerField())
    priority_total = serializers.IntegerField()
    age_80_plus = serializers.IntegerField()
    hardship = serializers.IntegerField()
    major_contribution = serializers.IntegerField()
    merit_awards = serializers.IntegerField()
    party_members = serializers.IntegerField()
    party_pocket = serializers.IntegerField()
    party_mobile = serializers.IntegerField()
    complete = serializers.IntegerField()
    filing_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    average_completeness = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    plaques = serializers.IntegerField()
    overdue = serializers.IntegerField()
    covered = serializers.IntegerField()
    coverage_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    visits_week = serializers.IntegerField()
    visits_month = serializers.IntegerField()
    cases_open = serializers.IntegerField()
    cases_overdue = serializers.IntegerField()
    paid_cases = serializers.IntegerField()
    paid_amount = serializers.DecimalField(**MONEY)
    median_days_to_payment = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    appeals_open = serializers.IntegerField()
    appeals_overdue = serializers.IntegerField()
    appeals_this_year = serializers.IntegerField()
    appeals_in_time_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    wishes = serializers.IntegerField()
    wishes_fulfilled = serializers.IntegerField()
    extra = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("各业务模块登记的统计（就业创业、服务项目、党员、结对、转介等），按统计项名称"),
    )


class AreaRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = FiguresSerializer()


class FundRowSerializer(serializers.Serializer):
    fund = serializers.IntegerField(source="fund.pk")
    name = serializers.CharField(source="fund.name")
    raised = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    left = serializers.DecimalField(**MONEY)


class CampaignRowSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk")
    name = serializers.CharField(source="campaign.name")
    starts_on = serializers.DateField(source="campaign.starts_on")
    ends_on = serializers.DateField(source="campaign.ends_on")
    target = serializers.CharField(source="campaign.target")
    targeted = serializers.IntegerField()
    visited = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class ConfirmationRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    confirmed = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue = serializers.IntegerField()
    suspended = serializers.IntegerField()


class MoveRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    moved_in = serializers.IntegerField(help_text=_("今年接收的迁入（从其他区域迁入本区域）"))
    moved_out = serializers.IntegerField(help_text=_("今年被接收的迁出（从本区域迁往其他区域）"))
    pending_in = serializers.IntegerField(help_text=_("目前待本区域接收的迁移"))
    pending_out = serializers.IntegerField(help_text=_("目前从本区域发出、待对方接收的迁移"))
    left_system = serializers.IntegerField(help_text=_("今年迁出本系统的人数"))
    deceased = serializers.IntegerField(help_text=_("今年去世的人数"))


class RecentMoveSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("迁移编号"))
    moved_on = serializers.DateField(help_text=_("接收日期"))
    veteran_name = serializers.CharField(help_text=_("姓名"))
    from_area = serializers.CharField(help_text=_("迁出地（区/县 街道/镇 社区/村 网格）"))
    to_area = serializers.CharField(help_text=_("迁入地（区/县 街道/镇 社区/村 网格）"))


class StatisticsSerializer(serializers.Serializer):
    area = AreaRowSerializer()
    children = AreaRowSerializer(many=True)
    funds = FundRowSerializer(many=True)
    campaigns = CampaignRowSerializer(many=True)
    trend = serializers.ListField(child=serializers.DictField())
    confirmations = ConfirmationRowSerializer(many=True, help_text="年度确认 of this year, per child area")
    moves = MoveRowSerializer(many=True, help_text=_("今年的迁入迁出、迁出本系统与去世，按下级区域"))
    recent_moves = RecentMoveSerializer(many=True, help_text=_("最近接收的迁移（最新在前，最多10条）"))


def _row(area, figures) -> dict:
    return {"level": area.level, "id": area.pk, "name": area.name, "figures": figures}


class StatisticsView(APIView):
    """台账统计 of one area (default: the caller's own) and of each child area."""

    permission_classes = [permissions.IsAuthenticated, CanViewDashboard]

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=["city", "district", "street", "community", "grid"]),
            OpenApiParameter("id", int),
        ],
        responses={200: StatisticsSerializer, 404: NOT_FOUND},
    )
    @method_decorator(stale_reads_view)
    def get(self, request):
        area = area_for(
            user=request.user, level=request.query_params.get("level"), area_id=request.query_params.get("id")
        )
        board = board_for(user=request.user, area=area)
        data = {
            "area": _row(area, board.total),
            "children": [_row(child, figures) for child, figures in board.rows] if board.child_level else [],
            "funds": fund_board(user=request.user, area=area),
            "campaigns": campaign_board(user=request.user, area=area, today=board.today),
            "trend": monthly_trend(user=request.user, area=area, today=board.today),
            "confirmations": confirmation_figures(user=request.user, year=board.today.year, area=area, day=board.today),
            "moves": move_figures(user=request.user, year=board.today.year, area=area),
            "recent_moves": recent_moves(user=request.user, area=area),
        }
        return Response(StatisticsSerializer(data).data)
