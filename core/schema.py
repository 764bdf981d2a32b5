"""The OpenAPI schema (drf-spectacular) also lists the errors each operation can answer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_("请求有误：以字段名为键列出原因（不属于某个字段的，键为 non_field_errors 或 detail）。"),
)
NOT_FOUND = OpenApiResponse(ErrorDetailSerializer, description=_("不存在，或不在您的管辖范围内。"))
ERROR_RESPONSES = {
    "401": OpenApiResponse(ErrorDetailSerializer, description=_("未登录，或长时间未操作已自动退出。")),
    "403": OpenApiResponse(ErrorDetailSerializer, description=_("没有此操作的权限。")),
    "404": NOT_FOUND,
    "415": OpenApiResponse(ErrorDetailSerializer, description=_("请求体的格式不受支持或无法解析。")),
}


class AutoSchema(openapi.AutoSchema):
    """Clients (and the fuzz test) can rely on the documented status codes: 400 for any write
    (a service may refuse it) or query to refuse, 401/403 where a login is needed, 404 where the
    path names a row or a page number can run past the end, 415 where a body is read (a body in
    another format, or a multipart body that cannot be parsed)."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = []
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if {} not in operation.get("security", [{}]):
            codes += ["401", "403"]
        if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
            codes.append("404")
        if "requestBody" in operation:
            codes.append("415")
        responses = operation.setdefault("responses", {})
        for code in codes:
            error = VALIDATION_ERROR if code == "400" else ERROR_RESPONSES[code]
            responses.setdefault(code, self._get_response_for_code(error, code))
        return operation
