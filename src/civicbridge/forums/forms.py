"""Forms of the forum section of the exchange page: the forum's theme, its speakers,
agenda, topics (from the shared taxonomy, with the source's own wording) and outcomes."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicbridge.core import hans_hant
from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.directory.widgets import LookupField
from civicbridge.exchanges.forms import VersionedForm
from civicbridge.exchanges.models import Side
from civicbridge.forums.models import AgendaItem


def topic_label(topic) -> str:
    """A topic's name in the reader's language (English, or the reader's script)."""
    language = translation.get_language() or ""
    if language.startswith("en"):
        return topic.name_en
    return topic.name_in(hans_hant.script_of_language(language))


class ForumCreateForm(forms.Form):
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        required=False,
        help_text=_("E.g. 京台社区大讲堂走进海淀谱新章"),
    )


class ForumForm(VersionedForm):
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SpeakerForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    person = LookupField(
        "person",
        label=_("Person"),
        required=False,
        help_text=_(
            "Or, when the source names only whom they spoke for, the organisation or place."
        ),
    )
    organisation = LookupField("organisation", label=_("Organisation"), required=False)
    place = LookupField("place", label=_("On behalf of place"), required=False)
    title = forms.CharField(label=_("Title spoken under"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _speaker_label(speaker) -> str:
    who = speaker.person or speaker.place or speaker.organisation
    label = str(name_filter(who))
    return f"{label} ({script_filter(speaker.title)})" if speaker.title else label


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    speakers = forms.MultipleChoiceField(
        label=_("Speakers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_objects = {str(s.pk): s for s in speakers}
        self.fields["speakers"].choices = [(str(s.pk), _speaker_label(s)) for s in speakers]
        if not speakers:
            del self.fields["speakers"]

    def chosen_speakers(self):
        return [self.speaker_objects[k] for k in self.cleaned_data.get("speakers") or []]


class TopicsForm(forms.Form):
    """A checkbox per topic of the taxonomy, with the source's wording when it differs."""

    def __init__(self, *args, topics=(), chosen=None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = chosen or {}
        self.topics = list(topics)
        for t in self.topics:
            self.fields[f"topic_{t.code}"] = forms.BooleanField(
                label=topic_label(t), required=False, initial=t.pk in chosen
            )
            self.fields[f"wording_{t.code}"] = forms.CharField(
                label=_("Wording in the source"),
                required=False,
                max_length=100,
                initial=chosen.get(t.pk, ""),
            )

    def rows(self):
        for t in self.topics:
            yield t, self[f"topic_{t.code}"], self[f"wording_{t.code}"]

    def clean(self):
        data = super().clean()
        for t in self.topics:
            if data.get(f"wording_{t.code}") and not data.get(f"topic_{t.code}"):
                self.add_error(
                    f"wording_{t.code}", _("Tick the topic too, or leave its wording empty.")
                )
        return data

    def selection(self):
        return [
            (t, (self.cleaned_data.get(f"wording_{t.code}") or "").strip())
            for t in self.topics
            if self.cleaned_data.get(f"topic_{t.code}")
        ]


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. 建立常态化的互访机制和沟通渠道"),
    )


# --- topics discussed anywhere, speakers at any activity, the taxonomy ------------------


def topic_choices(topics) -> list[tuple[str, str]]:
    """(code, label) for a select of the taxonomy: narrower topics indented below their
    broader one (``selectors.taxonomy`` order, with ``depth``)."""
    return [(t.code, "— " * getattr(t, "depth", 0) + topic_label(t)) for t in topics]


def _topic_field(topics, *, required: bool, label) -> forms.ChoiceField:
    blank = [] if required else [("", _("— resolve from the wording —"))]
    return forms.ChoiceField(label=label, required=required, choices=blank + topic_choices(topics))


class TopicMentionForm(forms.Form):
    """A topic discussed: where (the exchange, a group, an activity), the source's wording,
    and the topic when the reader files it at once (else resolved from the wording)."""

    where = forms.ChoiceField(label=_("Discussed"))
    wording = forms.CharField(
        label=_("Wording in the source"),
        max_length=100,
        required=False,
        help_text=_("E.g. 长照 or 垃圾分类: matched to the taxonomy in either script."),
    )

    def __init__(self, *args, places=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = list(places)
        self.fields["topic"] = _topic_field(topics, required=False, label=_("Topic"))
        self.topics = {t.code: t for t in topics}

    def clean(self):
        data = super().clean()
        if not (data.get("wording") or "").strip() and not data.get("topic"):
            self.add_error("wording", _("Give the topic, or the source's words for it."))
        return data

    def chosen_topic(self):
        return self.topics.get(self.cleaned_data.get("topic") or "")


class FileTopicForm(forms.Form):
    topic = forms.ChoiceField(label=_("File under"))

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices(topics)
        self.topics = {t.code: t for t in topics}

    def chosen_topic(self):
        return self.topics[self.cleaned_data["topic"]]


class ActivitySpeakerForm(SpeakerForm):
    """A speaker at any activity of the exchange (a site visit's guide, a meeting's host)."""

    field_order = ["activity", "side", "person", "organisation", "place", "title", "summary"]

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"] = forms.ChoiceField(
            label=_("Activity"),
            choices=[(str(a.pk), _activity_label(a)) for a in activities],
        )
        self.order_fields(self.field_order)

    def speaker_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["activity"] = self.activities[data["activity"]]
        return data


def _activity_label(activity) -> str:
    day = activity.starts_at.date().isoformat() if activity.starts_at else ""
    title = str(script_filter(activity.title))
    return f"{day} {title}".strip()


class TopicForm(forms.Form):
    """A new topic of the taxonomy (organisers): the Traditional name is converted from
    the Simplified one when left empty."""

    name_hans = forms.CharField(label=_("Name (Simplified)"), max_length=50)
    name_hant = forms.CharField(
        label=_("Name (Traditional)"),
        max_length=50,
        required=False,
        help_text=_("Left empty: converted from the Simplified name."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = forms.ChoiceField(
            label=_("Broader topic"),
            required=False,
            choices=[("", _("— none —"))] + topic_choices(topics),
        )
        self.topics = {t.code: t for t in topics}

    def chosen_parent(self):
        return self.topics.get(self.cleaned_data.get("parent") or "")


class TopicRenameForm(VersionedForm):
    name_hans = forms.CharField(label=_("Name (Simplified)"), max_length=50)
    name_hant = forms.CharField(label=_("Name (Traditional)"), max_length=50, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)


class TopicMergeForm(forms.Form):
    merge = forms.ChoiceField(label=_("Merge this topic into the one shown"))

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge"].choices = topic_choices(topics)
        self.topics = {t.code: t for t in topics}

    def chosen(self):
        return self.topics[self.cleaned_data["merge"]]
