"""Pages of the accounts app: personal API tokens and the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.accounts import selectors, services
from civicbridge.accounts.forms import AuditFilterForm, TokenForm
from civicbridge.accounts.models import ApiToken
from civicbridge.accounts.throttling import ThrottledAuthenticationForm, lift_lock


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class ResetPasswordConfirmView(PasswordResetConfirmView):
    """Django's password reset, which also lifts the sign-in lock of the account (the
    throttled sign-in message tells the user a reset will)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_lock(form.user.get_username())
        return response


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def tokens(request):
    _require(request, "accounts.manage_tokens")
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = services.create_token(
                user=request.user,
                label=form.cleaned_data["label"],
                read_only=form.cleaned_data["access"] == "read",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"),
        },
    )


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, _("The token “%(label)s” is revoked.") % {"label": token.label})
    return redirect("accounts:tokens")


@login_required
def audit_log(request):
    """The audit trail, filterable: ?model=exchanges.activity&object=12&user=alice&action=update"""
    _require(request, "accounts.view_audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.audit_entries(**filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filters": filters},
    )
