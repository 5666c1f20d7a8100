"""The forum section of the exchange page (京台社区大讲堂: theme, agenda, speakers, topics,
outcomes) and the forms that edit it. Same flow as the exchange page's other forms
(``exchanges.views.form_response``): errors inline, success re-renders the sections.

Permissions: recording a forum on an activity needs ``exchanges.change_activity`` on that
activity; every edit of a forum (theme, speakers, agenda, topics, outcomes) needs
``forums.change_forum`` on it. The section shows each forum's edit panel only to those."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.exchanges.models import Activity, ActivityKind
from civicbridge.exchanges.sections import (
    choice_labels,
    editable_activity_ids,
    exchange_activities,
    url_template,
)
from civicbridge.exchanges.views import (
    form_response,
    readable_exchange,
    redirect_or_sections,
    require,
)
from civicbridge.forums import forms, services
from civicbridge.forums.models import AgendaItem, Forum, ForumTopic, Speaker, Topic

SECTION = "forums"
SPEAKER_RELATED = ("person", "organisation", "place")


def _url(name: str, *args) -> str:
    return reverse(f"exchanges:forums:{name}", args=args)


def forums_section_context(request, exchange) -> dict:
    """The forums of the exchange with everything they show, in a fixed number of queries."""
    # The activities (with their place, venue and groups) are the itinerary's, read once
    # for the page; an agenda item's speakers are the forum's, so only their ids are read.
    activities = {a.pk: a for a in exchange_activities(exchange)}
    forum_list = list(
        Forum.objects.filter(activity__exchange=exchange)
        .prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.select_related(*SPEAKER_RELATED)),
            "agenda",
            Prefetch("forum_topics", queryset=ForumTopic.objects.select_related("topic")),
            "outcomes",
        )
        .order_by("activity__starts_at", "id")
    )
    item_speakers = defaultdict(set)
    for item_id, speaker_id in AgendaItem.speakers.through.objects.filter(
        agendaitem__forum__activity__exchange=exchange
    ).values_list("agendaitem_id", "speaker_id"):
        item_speakers[item_id].add(speaker_id)
    for forum in forum_list:
        forum.activity = activities[forum.activity_id]
    with_forum = {f.activity_id for f in forum_list}
    waiting = [
        a for a in activities.values() if a.kind == ActivityKind.FORUM and a.pk not in with_forum
    ]
    # forums.change_forum on a forum = exchanges.change_activity on its activity.
    editable = editable_activity_ids(
        request.user, exchange, [f.activity for f in forum_list] + waiting
    )
    # The edit forms are not rendered here: each part of a forum's edit panel is fetched
    # from its own URL when the panel is opened (exchanges/includes/lazy_part.html).
    parts = [
        ("topics", _("Topics")),
        ("speaker_add", _("Add a speaker")),
        ("agenda_add", _("Add to the agenda")),
        ("outcome_add", _("Add an outcome")),
        ("edit", _("Theme and summary")),
    ]
    part_urls = {name: url_template(f"exchanges:forums:{name}", exchange.pk) for name, _t in parts}
    sides = choice_labels(Speaker, "side")
    kinds = choice_labels(AgendaItem, "kind")
    rows = []
    for forum in forum_list:
        can_edit = forum.activity_id in editable
        forum_speakers = list(forum.speakers.all())
        rows.append(
            {
                "forum": forum,
                "can_edit": can_edit,
                "speakers": [
                    {"speaker": sp, "side": sides.get(sp.side, sp.side)} for sp in forum_speakers
                ],
                "agenda": [
                    {
                        "item": item,
                        "kind": kinds.get(item.kind, item.kind),
                        "speakers": [
                            sp for sp in forum_speakers if sp.pk in item_speakers[item.pk]
                        ],
                    }
                    for item in forum.agenda.all()
                ],
                "outcomes": list(forum.outcomes.all()),
                "topics": [
                    {"label": forms.topic_label(ft.topic), "wording": ft.wording}
                    for ft in forum.forum_topics.all()
                ],
                "parts": (
                    [{"title": title, "url": part_urls[name](forum.pk)} for name, title in parts]
                    if can_edit
                    else []
                ),
            }
        )
    create_url = url_template("exchanges:forums:create", exchange.pk)
    return {
        "forums": rows,
        "waiting": [
            {
                "activity": a,
                "can_create": a.pk in editable,
                "form": forms.ForumCreateForm(prefix=f"f{a.pk}") if a.pk in editable else None,
                "action": create_url(a.pk),
            }
            for a in waiting
        ],
    }


def _forum(request, exchange, forum_id) -> Forum:
    """The forum of the exchange, for a user who may change it (403 otherwise)."""
    forum = get_object_or_404(
        Forum.objects.select_related("activity__exchange"), pk=forum_id, activity__exchange=exchange
    )
    require(request, "forums.change_forum", forum)
    return forum


def _title(forum) -> str:
    from civicbridge.core.templatetags.script import script_filter

    return str(script_filter(forum.theme or forum.activity.title))


@login_required
def forum_create(request, pk: int, activity_id: int):
    exchange = readable_exchange(request, pk)
    activity = get_object_or_404(Activity, pk=activity_id, exchange=exchange)
    require(request, "exchanges.change_activity", activity)
    form = forms.ForumCreateForm(request.POST or None, prefix=f"f{activity.pk}")
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record the forum"),
        action=_url("create", pk, activity_id),
        section=SECTION,
        submit_label=_("Record the forum"),
        perform=lambda f: services.create_forum(activity=activity, theme=f.cleaned_data["theme"]),
        field_map={"activity": "theme"},
    )


@login_required
def forum_edit(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    form = forms.ForumForm(
        request.POST or None,
        initial={"version": forum.version, "theme": forum.theme, "summary": forum.summary},
    )

    def perform(f):
        services.update_forum(
            forum=forum,
            expected_version=f.cleaned_data.get("version"),
            theme=f.cleaned_data["theme"],
            summary=f.cleaned_data["summary"],
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Edit the forum %(title)s") % {"title": _title(forum)},
        action=_url("edit", pk, forum_id),
        section=SECTION,
        perform=perform,
    )


@login_required
def speaker_add(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    form = forms.SpeakerForm(request.POST or None, prefix=f"s{forum.pk}")
    speakers = [] if form.is_bound else list(forum.speakers.select_related(*SPEAKER_RELATED))
    for speaker in speakers:
        speaker.remove_url = _url("speaker_remove", pk, forum_id, speaker.pk)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a speaker to %(title)s") % {"title": _title(forum)},
        action=_url("speaker_add", pk, forum_id),
        section=SECTION,
        submit_label=_("Add the speaker"),
        perform=lambda f: services.add_speaker(forum=forum, **f.cleaned_data),
        form_template="forums/includes/speakers_part.html",
        extra={"speakers": speakers},
    )


@login_required
@require_POST
def speaker_remove(request, pk: int, forum_id: int, speaker_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    services.remove_speaker(speaker=get_object_or_404(Speaker, pk=speaker_id, forum=forum))
    return redirect_or_sections(request, exchange, SECTION, _("The speaker was removed."))


@login_required
def agenda_add(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    speakers = list(forum.speakers.select_related(*SPEAKER_RELATED))
    form = forms.AgendaItemForm(request.POST or None, speakers=speakers, prefix=f"a{forum.pk}")
    agenda = [] if form.is_bound else list(forum.agenda.all())
    for item in agenda:
        item.remove_url = _url("agenda_remove", pk, forum_id, item.pk)

    def perform(f):
        services.add_agenda_item(
            forum=forum,
            kind=f.cleaned_data["kind"],
            title=f.cleaned_data["title"],
            description=f.cleaned_data["description"],
            speakers=f.chosen_speakers(),
        )

    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add to the agenda of %(title)s") % {"title": _title(forum)},
        action=_url("agenda_add", pk, forum_id),
        section=SECTION,
        submit_label=_("Add to the agenda"),
        perform=perform,
        form_template="forums/includes/agenda_part.html",
        extra={"agenda": agenda},
    )


@login_required
@require_POST
def agenda_remove(request, pk: int, forum_id: int, item_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    services.remove_agenda_item(item=get_object_or_404(AgendaItem, pk=item_id, forum=forum))
    return redirect_or_sections(request, exchange, SECTION, _("The agenda item was removed."))


@login_required
def topics(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    chosen = dict(ForumTopic.objects.filter(forum=forum).values_list("topic_id", "wording"))
    form = forms.TopicsForm(
        request.POST or None, topics=Topic.objects.all(), chosen=chosen, prefix=f"t{forum.pk}"
    )
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Topics of %(title)s") % {"title": _title(forum)},
        action=_url("topics", pk, forum_id),
        section=SECTION,
        submit_label=_("Save the topics"),
        perform=lambda f: services.set_forum_topics(forum=forum, topics=f.selection()),
        form_template="forums/includes/topics_form.html",
        saved_message=_("The topics were saved."),
    )


@login_required
def outcome_add(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    form = forms.OutcomeForm(request.POST or None, prefix=f"o{forum.pk}")
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add an outcome to %(title)s") % {"title": _title(forum)},
        action=_url("outcome_add", pk, forum_id),
        section=SECTION,
        submit_label=_("Add the outcome"),
        perform=lambda f: services.add_outcome(forum=forum, text=f.cleaned_data["text"]),
    )
