"""The taxonomy of topics (/topics/): every topic, broader ones above their narrower ones,
with how often each was discussed and a form to add one (organisers); a topic's page lists
every exchange, group, activity and forum that discussed it (or a narrower topic), and
gives administrators the forms to rename it and to merge another topic into it.

Permissions: reading needs ``forums.view_forum``; adding ``forums.add_topic``; renaming
and merging ``forums.change_topic``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core.services import StaleVersion
from civicbridge.exchanges.forms import apply_errors
from civicbridge.exchanges.views import stale_error
from civicbridge.forums import forms, services
from civicbridge.forums.models import Topic
from civicbridge.forums.selectors import discussions_of, taxonomy


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def topic_list(request):
    _require(request, "forums.view_forum")
    topics = taxonomy()
    can_add = request.user.has_perm("forums.add_topic")
    form = forms.TopicForm(request.POST or None, topics=topics) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                topic = services.create_topic(
                    name_hans=form.cleaned_data["name_hans"],
                    name_hant=form.cleaned_data["name_hant"],
                    name_en=form.cleaned_data["name_en"],
                    parent=form.chosen_parent(),
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The topic was added."))
                return redirect(reverse("topics:list") + f"#topic-{topic.code}")
    rows = [{"topic": t, "label": forms.topic_label(t), "depth": t.depth} for t in topics]
    return render(request, "forums/topic_list.html", {"rows": rows, "form": form})


def _page(request, topic, *, rename=None, merge=None, status=200):
    _require(request, "forums.view_forum")
    can_change = request.user.has_perm("forums.change_topic", topic)
    others = [t for t in taxonomy() if t.pk != topic.pk] if can_change else []
    if can_change:
        rename = rename or forms.TopicRenameForm(
            initial={
                "version": topic.version,
                "name_hans": topic.name_hans,
                "name_hant": topic.name_hant,
                "name_en": topic.name_en,
            }
        )
        merge = merge or forms.TopicMergeForm(topics=others)
    mentions = discussions_of(topic)
    exchanges: dict = {}
    for m in mentions:
        exchanges.setdefault(m.exchange_id, {"exchange": m.exchange, "mentions": []})
        exchanges[m.exchange_id]["mentions"].append(m)
    return render(
        request,
        "forums/topic_detail.html",
        {
            "topic": topic,
            "label": forms.topic_label(topic),
            "broader": forms.topic_label(topic.parent) if topic.parent_id else "",
            "narrower": [forms.topic_label(t) for t in topic.narrower.all()],
            "exchanges": list(exchanges.values()),
            "rename": rename,
            "merge": merge if others else None,
        },
        status=status,
    )


def _topic(code) -> Topic:
    return get_object_or_404(Topic.objects.select_related("parent"), code=code)


@login_required
def topic_detail(request, code: str):
    return _page(request, _topic(code))


@login_required
@require_POST
def topic_rename(request, code: str):
    topic = _topic(code)
    _require(request, "forums.change_topic", topic)
    form = forms.TopicRenameForm(request.POST, initial={"version": topic.version})
    if form.is_valid():
        try:
            services.rename_topic(
                topic=topic,
                name_hans=form.cleaned_data["name_hans"],
                name_hant=form.cleaned_data["name_hant"],
                name_en=form.cleaned_data["name_en"],
                expected_version=form.cleaned_data.get("version"),
                actor=request.user,
            )
        except StaleVersion as exc:
            stale_error(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The topic was renamed."))
            return redirect("topics:detail", code=topic.code)
    return _page(request, topic, rename=form, status=400)


@login_required
@require_POST
def topic_merge(request, code: str):
    keep = _topic(code)
    _require(request, "forums.change_topic", keep)
    form = forms.TopicMergeForm(request.POST, topics=[t for t in taxonomy() if t.pk != keep.pk])
    if form.is_valid():
        try:
            services.merge_topics(keep=keep, merge=form.chosen(), actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc, {"merge": "merge"})
        else:
            messages.success(request, _("The topics were merged."))
            return redirect("topics:detail", code=keep.code)
    return _page(request, keep, merge=form, status=400)
