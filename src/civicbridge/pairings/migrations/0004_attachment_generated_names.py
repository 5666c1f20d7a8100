"""Existing attachments are checked and moved under generated names (core.uploads), like
every new upload: the type is detected from the content (the stored ``content_type`` is
replaced by what was detected), images are re-encoded, the extension is ours. A file of
no allowed type is kept as ``application/octet-stream`` (sent only as a download); a
missing file keeps its record under a generated name (the view answers 404, as before)."""

from django.db import migrations


def move_attachments(apps, schema_editor):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from civicbridge.core import uploads

    Attachment = apps.get_model("pairings", "Attachment")
    directory = "attachments"
    for attachment in Attachment.objects.order_by("pk").iterator():
        old_name = attachment.file.name
        if old_name.startswith(directory + "/") and uploads.is_generated_name(
            old_name[len(directory) + 1 :]
        ):
            continue
        storage = attachment.file.storage
        try:
            with storage.open(old_name, "rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            data = None
        if data is None:
            extension = uploads.EXTENSIONS.get(attachment.content_type, "bin")
            attachment.file.name = uploads.generated_name(directory, extension)
        else:
            upload = ContentFile(data, name=attachment.original_name)
            try:
                detected = uploads.detect_upload(upload, field="file")
            except ValidationError:
                detected = uploads.Detected(uploads.UNKNOWN_TYPE, "bin")
            content = ContentFile(detected.encoded.content if detected.encoded else data)
            attachment.content_type = detected.content_type
            attachment.size = content.size
            attachment.file.save(f"upload.{detected.extension}", content, save=False)
        attachment.save(update_fields=["file", "content_type", "size"])
        if data is not None:
            storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [
        ("pairings", "0003_message_author_person"),
    ]

    operations = [
        migrations.RunPython(move_attachments, migrations.RunPython.noop, elidable=False),
    ]
