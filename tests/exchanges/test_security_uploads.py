"""Issue 9, holes 1 and 9 for exchange photos: an upload is stored under a generated name
with the extension of what we detected, re-encoded without metadata, and sent only by the
photo view (after the exchange's read permission) with our own type, nosniff, a sandboxing
CSP and a safe file name; a decompression bomb is a form error, never a 500."""

import re
from importlib import import_module
from io import BytesIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from civicbridge.accounts.services import assign_role, soft_delete
from civicbridge.exchanges import services
from civicbridge.exchanges.models import Photo
from tests import factories
from tests.factories import make_admin

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
GENERATED = re.compile(r"^photos/[0-9a-f]{32}\.(png|jpg|webp)$")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _client(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client_in(client):
    return _client(client, make_admin())


def _user_with(role, username):
    user = get_user_model().objects.create_user(username=username, password="x-y-z-123456")
    if role:
        assign_role(user=user, role=role)
    return user


def upload_photo(client, exchange, name, data, **extra):
    return client.post(
        reverse("exchanges:photo_add", args=[exchange.pk]),
        {"image": SimpleUploadedFile(name, data, content_type="image/png"), "caption": "合影"},
        **extra,
    )


def body(response) -> bytes:
    """The file of a streamed answer; reading it to the end closes it (the test client
    then finishes the request)."""
    return b"".join(response.streaming_content)


def status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        body(response)
    return response.status_code


def stored(fieldfile) -> bytes:
    with fieldfile.open("rb") as handle:
        return handle.read()


def assert_served_safely(response, content_type: str, filename: str) -> bytes:
    """Check the headers of a photo's answer; return its body."""
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("inline; ")
    assert f'filename="{filename}"' in response["Content-Disposition"]
    return body(response)


def test_hole1_png_named_html_is_not_served_as_html(client_in, world):
    response = upload_photo(client_in, world.exchange, "x.html", factories.png())
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert GENERATED.match(photo.image.name)
    assert photo.image.name.endswith(".png")
    assert GENERATED.match(photo.thumbnail.name)
    assert (photo.original_name, photo.content_type) == ("x.html", "image/png")

    served = client_in.get(reverse("exchanges:photo_image", args=[photo.pk]))
    assert assert_served_safely(served, "image/png", "x.png").startswith(b"\x89PNG\r\n\x1a\n")
    thumbnail = client_in.get(reverse("exchanges:photo_thumbnail", args=[photo.pk]))
    assert_served_safely(thumbnail, "image/jpeg", "x.jpg")
    # Nothing under MEDIA_ROOT is reachable by its path any more.
    assert client_in.get("/media/" + photo.image.name).status_code == 404


def test_hole1_polyglot_js_gif_is_reencoded_and_never_served_as_script(client_in, world):
    polyglot = factories.gif_js_polyglot()
    assert upload_photo(client_in, world.exchange, "x.js", polyglot).status_code == 302
    photo = Photo.objects.get()
    assert photo.image.name.endswith(".png")
    data = stored(photo.image)
    assert factories.JS_PAYLOAD not in data
    assert not data.startswith(b"GIF89a/*")
    served = client_in.get(reverse("exchanges:photo_image", args=[photo.pk]))
    assert factories.JS_PAYLOAD not in assert_served_safely(served, "image/png", "x.png")


def test_hole1_reencoded_photo_loses_its_metadata(client_in, world):
    secret = b"GPS-SECRET-39.9N"
    upload_photo(client_in, world.exchange, "合影.jpeg", factories.jpeg_with_metadata(secret))
    photo = Photo.objects.get()
    assert photo.content_type == "image/jpeg"
    assert photo.image.name.endswith(".jpg")
    assert secret not in stored(photo.image)
    assert secret not in stored(photo.thumbnail)
    served = client_in.get(reverse("exchanges:photo_image", args=[photo.pk]))
    disposition = served["Content-Disposition"]
    body(served)
    assert disposition == (
        "inline; filename=\"file.jpeg\"; filename*=UTF-8''%E5%90%88%E5%BD%B1.jpeg"
    )


def test_hole1_photo_is_sent_only_to_readers_of_its_exchange(client, world):
    services.add_photo(
        exchange=world.exchange,
        caption="合影",
        image=SimpleUploadedFile("group.png", factories.png()),
    )
    photo = Photo.objects.get()
    urls = [
        reverse("exchanges:photo_image", args=[photo.pk]),
        reverse("exchanges:photo_thumbnail", args=[photo.pk]),
    ]
    assert [status(client, u) for u in urls] == [302, 302]  # to the sign-in page
    _client(client, _user_with(None, "nobody"))
    assert [status(client, u) for u in urls] == [403, 403]
    _client(client, _user_with("viewer", "viewer"))
    assert [status(client, u) for u in urls] == [200, 200]
    soft_delete(world.exchange, by=None)
    assert [status(client, u) for u in urls] == [404, 404]


def test_hole1_exchange_page_links_photos_to_the_view_never_to_media(client_in, world):
    upload_photo(client_in, world.exchange, "group.png", factories.png())
    photo = Photo.objects.get()
    page = client_in.get(reverse("exchanges:detail", args=[world.exchange.pk])).content.decode()
    assert f'href="{reverse("exchanges:photo_image", args=[photo.pk])}"' in page
    assert f'src="{reverse("exchanges:photo_thumbnail", args=[photo.pk])}"' in page
    assert "/media/" not in page


def test_hole1_html_page_named_png_is_refused_with_a_form_error(client_in, world):
    page = b"<html><script>alert(document.domain)</script></html>"
    response = upload_photo(client_in, world.exchange, "x.png", page, **HX)
    assert response.status_code in (200, 400)
    assert "This file is not an image we can read." in response.content.decode()
    assert Photo.objects.count() == 0


def test_hole1_existing_photo_is_reencoded_by_the_data_migration(world):
    """A photo stored before the fix under the client's name (``photos/<id>/x.html``) is
    re-encoded under a generated name; the old file is removed."""
    legacy = default_storage.save(
        f"photos/{world.exchange.pk}/x.html", ContentFile(factories.jpeg_with_metadata())
    )
    broken = default_storage.save("photos/old/broken.png", ContentFile(b"<script>"))
    kept = Photo.objects.create(exchange=world.exchange, caption="合影", image=legacy)
    unreadable = Photo.objects.create(exchange=world.exchange, caption="坏图", image=broken)
    caption_only = Photo.objects.create(exchange=world.exchange, caption="仅有说明")
    migration = import_module("civicbridge.exchanges.migrations.0003_photo_files_reencoded")

    migration.reencode_photos(apps, None)

    kept.refresh_from_db()
    assert GENERATED.match(kept.image.name)
    assert kept.image.name.endswith(".jpg")
    assert (kept.original_name, kept.content_type) == ("x.html", "image/jpeg")
    assert b"GPS-SECRET" not in stored(kept.image)
    assert kept.thumbnail.name.endswith(".jpg")
    assert not default_storage.exists(legacy)
    unreadable.refresh_from_db()
    assert (unreadable.image.name, unreadable.caption) == ("", "坏图")
    assert default_storage.exists(broken)  # kept on disk, never served
    caption_only.refresh_from_db()
    assert caption_only.image.name == ""


@pytest.mark.parametrize(
    "width,height",
    [
        (30000, 30000),  # beyond twice Pillow's own limit: its DecompressionBombError
        (10000, 10000),  # beyond Pillow's limit: its DecompressionBombWarning
        (8000, 8000),  # beyond ours (40 megapixels)
    ],
)
def test_hole9_decompression_bomb_image_refused(client_in, world, width, height):
    bomb = factories.png_declaring(width, height)
    assert len(bomb) < 200
    response = upload_photo(client_in, world.exchange, "bomb.png", bomb, **HX)
    assert response.status_code in (200, 400)
    assert "The image has too many pixels" in response.content.decode()
    assert 'value="合影"' in response.content.decode()  # the caption is not lost
    assert Photo.objects.count() == 0
    with pytest.raises(ValidationError) as refused:
        services.add_photo(
            exchange=world.exchange, caption="合影", image=SimpleUploadedFile("b.png", bomb)
        )
    assert list(refused.value.error_dict) == ["image"]


def test_hole9_pixel_limit_is_a_setting(client_in, world, settings):
    settings.CIVICBRIDGE_MAX_IMAGE_PIXELS = 64 * 48 - 1
    response = upload_photo(client_in, world.exchange, "a.png", factories.png((64, 48)), **HX)
    assert "The image has too many pixels (64 × 48; at most" in response.content.decode()
    settings.CIVICBRIDGE_MAX_IMAGE_PIXELS = 64 * 48
    assert upload_photo(
        client_in, world.exchange, "a.png", factories.png((64, 48))
    ).status_code == (302)


def test_hole1_reencoded_image_keeps_its_size_and_transparency(world):
    out = BytesIO()
    Image.new("RGBA", (30, 20), (255, 0, 0, 0)).save(out, "PNG")
    photo = services.add_photo(
        exchange=world.exchange, caption="透明", image=SimpleUploadedFile("t.png", out.getvalue())
    )
    with Image.open(BytesIO(stored(photo.image))) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (30, 20), "RGBA")


def test_hole1_admin_shows_photo_links_to_the_view_and_takes_no_upload(client, world):
    admin = get_user_model().objects.create_user(
        username="root", password="x-y-z-123456", is_staff=True, is_superuser=True
    )
    assign_role(user=admin, role="administrator")
    _client(client, admin)
    photo = services.add_photo(
        exchange=world.exchange, caption="合影", image=SimpleUploadedFile("g.png", factories.png())
    )
    page = client.get(reverse("admin:exchanges_photo_change", args=[photo.pk])).content.decode()
    assert f'href="{reverse("exchanges:photo_image", args=[photo.pk])}"' in page
    assert "/media/" not in page
    assert 'type="file"' not in page
