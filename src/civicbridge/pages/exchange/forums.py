"""The forms of the exchange page's forums section (京台社区大讲堂: theme, agenda, speakers,
topics, outcomes), mounted below the exchange: /exchanges/<pk>/forums/… (names
``exchanges:forums:…``). Same flow as the page's other forms (``responses.form_response``):
errors inline, success re-renders the sections. The section's context is
``forums/sections.py``'s.

Below them, the forms of the "Topics and speakers" section: topics discussed on the
exchange, a group, an activity or a forum (recorded, filed under the taxonomy, removed) and
speakers at any activity.

Permissions: recording a forum on an activity needs ``exchanges.change_activity`` on that
activity; every edit of a forum (theme, speakers, agenda, topics, outcomes) needs
``forums.change_forum`` on it; a topic discussed needs ``forums.change_topicmention`` (the
rights of where it was discussed); a speaker at an activity ``exchanges.change_activity``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core.templatetags.script import script_filter
from civicbridge.exchanges.models import Activity, Group
from civicbridge.exchanges.rules import editable_activity_ids, editable_group_ids
from civicbridge.exchanges.sections import exchange_activities
from civicbridge.exchanges.views import readable_exchange, require
from civicbridge.forums import forms, services
from civicbridge.forums.models import AgendaItem, Forum, Speaker, Topic, TopicMention
from civicbridge.forums.sections import (
    SPEAKER_RELATED,
    editable_activity_speakers,
    editable_mentions,
)
from civicbridge.forums.selectors import taxonomy
from civicbridge.pages.exchange.responses import form_response, redirect_or_sections

SECTION = "forums"


def _url(name: str, *args) -> str:
    return reverse(f"exchanges:forums:{name}", args=args)


def _forum(request, exchange, forum_id) -> Forum:
    """The forum of the exchange, for a user who may change it (403 otherwise)."""
    forum = get_object_or_404(
        Forum.objects.select_related("activity__exchange"), pk=forum_id, activity__exchange=exchange
    )
    require(request, "forums.change_forum", forum)
    return forum


def _title(forum) -> str:
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
        perform=lambda f: services.create_forum(
            activity=activity, theme=f.cleaned_data["theme"], actor=request.user
        ),
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
            actor=request.user,
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
        perform=lambda f: services.add_speaker(forum=forum, actor=request.user, **f.cleaned_data),
        form_template="forums/includes/speakers_part.html",
        extra={"speakers": speakers},
    )


@login_required
@require_POST
def speaker_remove(request, pk: int, forum_id: int, speaker_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    services.remove_speaker(
        speaker=get_object_or_404(Speaker, pk=speaker_id, activity_id=forum.activity_id),
        actor=request.user,
    )
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
            actor=request.user,
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
    services.remove_agenda_item(
        item=get_object_or_404(AgendaItem, pk=item_id, forum=forum), actor=request.user
    )
    return redirect_or_sections(request, exchange, SECTION, _("The agenda item was removed."))


@login_required
def topics(request, pk: int, forum_id: int):
    exchange = readable_exchange(request, pk)
    forum = _forum(request, exchange, forum_id)
    chosen = dict(
        TopicMention.objects.filter(forum=forum, topic__isnull=False).values_list(
            "topic_id", "wording"
        )
    )
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
        perform=lambda f: services.set_forum_topics(
            forum=forum, topics=f.selection(), actor=request.user
        ),
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
        perform=lambda f: services.add_outcome(
            forum=forum, text=f.cleaned_data["text"], actor=request.user
        ),
    )


# --- topics discussed anywhere, speakers at any activity --------------------------------

TOPICS_SECTION = "topics"


def _mention_places(request, exchange) -> list[tuple[str, str]]:
    """Where the user may record a topic: the exchange (``x``), its groups (``g<id>``), its
    activities (``a<id>``; a forum's activity records it at the forum)."""
    user = request.user
    places = []
    if user.has_perm("exchanges.change_exchange", exchange):
        places.append(("x", _("The exchange as a whole")))
    editable_groups = editable_group_ids(user, exchange)
    for g in exchange.groups.all():
        if g.pk in editable_groups:
            places.append((f"g{g.pk}", _("Group: %(name)s") % {"name": script_filter(g.name)}))
    activities = exchange_activities(exchange)
    editable = editable_activity_ids(user, exchange, activities)
    for a in activities:
        if a.pk in editable:
            places.append((f"a{a.pk}", _activity_choice(a)))
    return places


def _activity_choice(activity) -> str:
    day = activity.starts_at.date().isoformat() if activity.starts_at else ""
    return f"{day} {script_filter(activity.title)}".strip()


def _where(exchange, key: str) -> dict:
    if key.startswith("g"):
        return {"group": get_object_or_404(Group, pk=key[1:], exchange=exchange)}
    if key.startswith("a"):
        activity = get_object_or_404(
            Activity.objects.select_related("forum"), pk=key[1:], exchange=exchange
        )
        forum = getattr(activity, "forum", None)  # none: RelatedObjectDoesNotExist
        return {"activity": activity, "forum": forum}
    return {}


@login_required
def mention_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    places = _mention_places(request, exchange)
    if not places:
        raise PermissionDenied
    topics = taxonomy()
    form = forms.TopicMentionForm(request.POST or None, places=places, topics=topics, prefix="tm")
    mentions = [] if form.is_bound else editable_mentions(request, exchange)
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Record a topic discussed"),
        action=_url("mention_add", pk),
        section=TOPICS_SECTION,
        submit_label=_("Record the topic"),
        perform=lambda f: services.mention_topic(
            exchange=exchange,
            wording=f.cleaned_data["wording"],
            topic=f.chosen_topic(),
            actor=request.user,
            **_where(exchange, f.cleaned_data["where"]),
        ),
        field_map={"group": "where", "activity": "where", "forum": "where"},
        saved_message=_("The topic was recorded."),
        form_template="forums/includes/mentions_part.html",
        extra={
            "mentions": mentions,
            "topic_choices": (
                forms.topic_choices(topics) if any(r["file_url"] for r in mentions) else []
            ),
        },
    )


def _mention(exchange, mention_id) -> TopicMention:
    return get_object_or_404(
        TopicMention.objects.select_related("group", "activity", "forum__activity", "exchange"),
        pk=mention_id,
        exchange=exchange,
    )


@login_required
@require_POST
def mention_file(request, pk: int, mention_id: int):
    exchange = readable_exchange(request, pk)
    mention = _mention(exchange, mention_id)
    require(request, "forums.change_topicmention", mention)
    form = forms.FileTopicForm(request.POST, topics=taxonomy())
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("File “%(wording)s”") % {"wording": script_filter(mention.wording)},
        action=_url("mention_file", pk, mention_id),
        section=TOPICS_SECTION,
        submit_label=_("File it"),
        perform=lambda f: services.file_topic_mention(
            mention=mention, topic=f.chosen_topic(), actor=request.user
        ),
        saved_message=_("The topic was filed."),
    )


@login_required
@require_POST
def mention_remove(request, pk: int, mention_id: int):
    exchange = readable_exchange(request, pk)
    services.remove_topic_mention(mention=_mention(exchange, mention_id), actor=request.user)
    return redirect_or_sections(request, exchange, TOPICS_SECTION, _("The topic was removed."))


@login_required
def activity_speaker_add(request, pk: int):
    exchange = readable_exchange(request, pk)
    activities = exchange_activities(exchange)
    editable = editable_activity_ids(request.user, exchange, activities)
    if not editable:
        raise PermissionDenied
    form = forms.ActivitySpeakerForm(
        request.POST or None,
        activities=[a for a in activities if a.pk in editable],
        prefix="as",
    )
    return form_response(
        request,
        exchange=exchange,
        form=form,
        title=_("Add a speaker at an activity"),
        action=_url("activity_speaker_add", pk),
        section=TOPICS_SECTION,
        submit_label=_("Add the speaker"),
        perform=lambda f: services.add_speaker(actor=request.user, **f.speaker_fields()),
        saved_message=_("The speaker was added."),
        form_template="forums/includes/activity_speakers_part.html",
        extra={"speakers": [] if form.is_bound else editable_activity_speakers(request, exchange)},
    )


@login_required
@require_POST
def activity_speaker_remove(request, pk: int, speaker_id: int):
    exchange = readable_exchange(request, pk)
    speaker = get_object_or_404(
        Speaker.objects.select_related("activity"), pk=speaker_id, activity__exchange=exchange
    )
    services.remove_speaker(speaker=speaker, actor=request.user)
    return redirect_or_sections(request, exchange, TOPICS_SECTION, _("The speaker was removed."))
