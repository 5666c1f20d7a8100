"""Existing photos are re-encoded and moved under generated names (core.uploads), like
every new upload: the image is decoded and written afresh from its pixels (no metadata,
our own PNG/JPEG/WebP), the thumbnail remade, the uploader's file name kept in
``original_name``. A file that is missing or is not an image we can read is no longer
referred to (the photo keeps its caption); an unreadable file stays on disk, unserved."""

from io import BytesIO
from types import SimpleNamespace

from django.db import migrations

THUMBNAIL_SIZE = (480, 480)


def reencode_photos(apps, schema_editor):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from civicbridge.core import uploads

    Photo = apps.get_model("exchanges", "Photo")
    for photo in Photo.objects.exclude(image="").order_by("pk").iterator():
        storage = photo.image.storage
        old_names = [n for n in (photo.image.name, photo.thumbnail.name) if n]
        photo.original_name = photo.original_name or uploads.client_name(
            SimpleNamespace(name=photo.image.name), default="photo"
        )
        encoded = thumb = None
        try:
            with storage.open(photo.image.name, "rb") as handle:
                data = handle.read()
        except OSError:
            data = None
        if data is not None:
            try:
                encoded, thumb = uploads.reencode_image(
                    BytesIO(data), field="image", thumbnail_size=THUMBNAIL_SIZE
                )
            except ValidationError:
                encoded = None
        if encoded is None:
            photo.image = ""
            photo.thumbnail = ""
            photo.content_type = ""
        else:
            photo.content_type = encoded.content_type
            photo.image.save(f"photo.{encoded.extension}", ContentFile(encoded.content), save=False)
            photo.thumbnail.save(f"thumb.{thumb.extension}", ContentFile(thumb.content), save=False)
        photo.save(update_fields=["image", "thumbnail", "content_type", "original_name"])
        if encoded is not None:
            for name in old_names:
                storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0002_photo_generated_names"),
    ]

    operations = [
        migrations.RunPython(reencode_photos, migrations.RunPython.noop, elidable=False),
    ]
