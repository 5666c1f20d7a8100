"""Who am I, and the export of the whole database."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from civicbridge.accounts.services import record_export
from civicbridge.api.core import responses
from civicbridge.api.endpoints.common import need
from civicbridge.api.interchange import export_document
from civicbridge.exchanges.personal_data import export_includes_personal

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    place_id: int | None
    organisation_id: int | None


class MeOut(Schema):
    username: str
    roles: list[RoleOut]
    token_read_only: bool | None


@router.get("/me", response=responses(200, MeOut), summary="The signed-in user and their roles")
def me(request):
    token = getattr(request, "api_token", None)
    return {
        "username": request.user.get_username(),
        "roles": list(request.user.role_assignments.values("role", "place_id", "organisation_id")),
        "token_read_only": token.read_only if token is not None else None,
    }


@router.get(
    "/export",
    response=responses(200, dict[str, Any]),
    summary="Export the whole database (personal data only for administrators)",
)
def export(request):
    """The interchange document (docs/export-format.md). Personal fields are left out
    unless the user may export personal data; an export that contains them is recorded
    in the audit trail."""
    need(request, "accounts.export_data")
    include = export_includes_personal(request.user)
    document = export_document(include_personal=include)
    record_export(by=request.user, what="api.export", includes_personal=include)
    return document
