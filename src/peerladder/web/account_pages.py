"""Account pages: sign up, log in and out, passwords, API tokens, contributions, and
the moderators' account actions (block, roll back)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerladder.accounts import selectors as account_selectors
from peerladder.accounts import services as account_services
from peerladder.accounts.forms import LoginForm, SignUpForm, TokenForm, add_service_errors
from peerladder.accounts.models import ApiToken, User
from peerladder.accounts.ratelimit import RateLimited, check_login, client_address
from peerladder.catalogue import selectors, services
from peerladder.errors import InvalidInput, NotAllowed
from peerladder.web.writes import moderator, refused, too_many


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.user_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
            )
        except InvalidInput as exc:
            add_service_errors(form, exc, {"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.username}
            )
            return redirect("web:account", username=user.username)
    status = 400 if form.errors else 200
    return render(request, "web/account/sign_up.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    """Django's login, limited per account name and address."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            check_login(
                username=request.POST.get("username", ""),
                address=client_address(request.META),
            )
        except RateLimited as limited:
            return too_many(request, limited)
        return super().post(request, *args, **kwargs)


def account(request: HttpRequest, username: str) -> HttpResponse:
    """An account's contributions; its owner also sees tokens and held edits."""
    shown = User.objects.filter(username=username).first()
    if shown is None:
        raise Http404(_("No account is called %(name)s.") % {"name": repr(username)})
    own = request.user.is_authenticated and request.user.pk == shown.pk
    viewer_moderates = request.user.is_authenticated and request.user.is_moderator
    context = {
        "shown": shown,
        "own": own,
        "moderates": viewer_moderates and not own,
        "revisions": selectors.account_revisions(shown),
        "pending": selectors.account_pending_edits(shown) if own or viewer_moderates else [],
        "reviewed": selectors.account_reviewed_edits(shown) if own or viewer_moderates else [],
        "tokens": account_selectors.active_tokens(shown) if own else [],
        "token_form": TokenForm(),
        "now": timezone.now(),
    }
    return render(request, "web/account/account.html", context)


def _own_account(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None  # type: ignore[return-value]


@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    """Create an API token and show it once, in this response only."""
    user = _own_account(request)
    if user is None:
        return redirect("web:login")
    form = TokenForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    try:
        row, token = account_services.token_create(user=user, name=name)
    except NotAllowed as exc:
        return refused(request, str(exc).capitalize() + ".")
    response = render(request, "web/account/token_created.html", {"row": row, "token": token})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _own_account(request)
    if user is None:
        return redirect("web:login")
    row = get_object_or_404(ApiToken, pk=token_id, user=user)
    account_services.token_revoke(token=row, by=user)
    messages.success(request, _("Revoked the token %(prefix)s….") % {"prefix": row.prefix})
    return redirect("web:account", username=user.username)


@require_POST
@moderator
def account_block(request: HttpRequest, username: str) -> HttpResponse:
    shown = get_object_or_404(User, username=username)
    blocked = request.POST.get("blocked") == "1"
    services.account_block(
        account=shown,
        moderator=request.user,  # type: ignore[arg-type]
        blocked=blocked,
        note=request.POST.get("note", ""),
    )
    done = _("Blocked %(name)s.") if blocked else _("Unblocked %(name)s.")
    messages.success(request, done % {"name": shown.username})
    return redirect("web:account", username=shown.username)


@require_POST
@moderator
def account_rollback(request: HttpRequest, username: str) -> HttpResponse:
    shown = get_object_or_404(User, username=username)
    raw = request.POST.get("since", "")
    try:
        since = datetime.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("since: “%(value)s” is not a date and time like 2026-01-31T12:00.") % {"value": raw},
        )
        return redirect("web:account", username=shown.username)
    if timezone.is_naive(since):
        since = timezone.make_aware(since, timezone.get_current_timezone())
    cases = services.account_rollback(
        account=shown,
        moderator=request.user,  # type: ignore[arg-type]
        since=since,
    )
    messages.success(
        request,
        ngettext(
            "Rolled back %(name)s's edits on %(count)d case.",
            "Rolled back %(name)s's edits on %(count)d cases.",
            len(cases),
        )
        % {"name": shown.username, "count": len(cases)},
    )
    return redirect("web:account", username=shown.username)


_PASSWORD_CHANGE = auth_views.PasswordChangeView.as_view(
    template_name="web/account/password_change.html",
    success_url=reverse_lazy("web:password_change_done"),
)
_PASSWORD_CHANGE_DONE = auth_views.PasswordChangeDoneView.as_view(
    template_name="web/account/password_change_done.html"
)
_PASSWORD_RESET = auth_views.PasswordResetView.as_view(
    template_name="web/account/password_reset.html",
    email_template_name="web/account/password_reset_email.txt",
    subject_template_name="web/account/password_reset_subject.txt",
    success_url=reverse_lazy("web:password_reset_done"),
)
_PASSWORD_RESET_DONE = auth_views.PasswordResetDoneView.as_view(
    template_name="web/account/password_reset_done.html"
)
_PASSWORD_RESET_CONFIRM = auth_views.PasswordResetConfirmView.as_view(
    template_name="web/account/password_reset_confirm.html",
    success_url=reverse_lazy("web:password_reset_complete"),
)
_PASSWORD_RESET_COMPLETE = auth_views.PasswordResetCompleteView.as_view(
    template_name="web/account/password_reset_complete.html"
)

urlpatterns: list[URLPattern] = [
    path("accounts/signup/", sign_up, name="sign-up"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", _PASSWORD_CHANGE, name="password_change"),
    path("accounts/password/change/done/", _PASSWORD_CHANGE_DONE, name="password_change_done"),
    path("accounts/password/reset/", _PASSWORD_RESET, name="password_reset"),
    path("accounts/password/reset/sent/", _PASSWORD_RESET_DONE, name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        _PASSWORD_RESET_CONFIRM,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        _PASSWORD_RESET_COMPLETE,
        name="password_reset_complete",
    ),
    path("accounts/tokens/new", token_new, name="token-new"),
    path("accounts/tokens/<int:token_id>/revoke", token_revoke, name="token-revoke"),
    path("accounts/<str:username>/block", account_block, name="account-block"),
    path("accounts/<str:username>/rollback", account_rollback, name="account-rollback"),
    path("accounts/<str:username>", account, name="account"),
]
