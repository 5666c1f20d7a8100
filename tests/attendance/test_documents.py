"""The day-of-visit paperwork, read back with poppler: the sign-in sheet (签到表) names
every member expected with ✓ for those checked in; badges and place cards are in the
reader's script (or the chosen one) with a CJK font embedded; a member's check-in codes
page has a QR code per activity, each opening that member's check-in."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from civicbridge.attendance import links, services
from civicbridge.documents import badges

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def pdf_text(data: bytes) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [shutil.which("pdftotext"), "-layout", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    result = subprocess.run(  # noqa: S603 - fixed argv
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_the_sign_in_sheet_names_every_member_and_ticks_those_checked_in(world, client_of):
    services.check_in(activity=world.whole_now, member=world.members[2])
    client = client_of(world, "viewer")
    response = client.get(
        reverse("documents:sign_in_sheet", args=[world.whole_now.pk]) + "?script=zh-hant"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "簽到表" in text.replace(" ", "")  # spaced out as a title
    for heading in ("序號", "姓名", "單位/職務", "簽名", "參觀石油大院社區"):
        assert heading in text, heading
    names = [m.person.name for m in world.members]
    assert [n for n in names if n not in text] == []
    ticked = [line for line in text.splitlines() if "✓" in line]
    assert len(ticked) == 1 and "陳里長" in ticked[0]
    # In the order of precedence: the leader first, the host side's escort last.
    assert (
        text.index("黃團長") < text.index("林副團長") < text.index("陳里長") < text.index("王主任")
    )


def test_the_sign_in_sheet_of_a_group_activity_lists_its_group(world, client_of):
    response = client_of(world, "viewer").get(
        reverse("documents:sign_in_sheet", args=[world.now.pk])
    )
    text = pdf_text(response.content)
    assert "黄团长" in text and "林副团长" not in text  # the reader's script: Simplified


def test_badges_embed_a_cjk_font_and_follow_the_order_of_precedence(world, client_of, tmp_path):
    client = client_of(world, "organiser_haidian")
    response = client.get(reverse("documents:badges", args=[world.exchange.pk]))
    assert response.status_code == 200
    fonts = pdf_fonts(response.content, tmp_path).splitlines()[2:]
    cjk = [line.split() for line in fonts if "Noto-Sans-CJK" in line]
    assert cjk != [] and all(parts[-5] == "yes" for parts in cjk)  # the emb column
    text = pdf_text(response.content)
    assert text.index("黄团长") < text.index("林副团长") < text.index("王主任")
    assert "团长" in text and "参访团" in text and "接待方" in text
    assert "台北市里长联谊会" in text or "臺北市里長聯誼會" in text or "台北市里長聯誼會" in text
    # The screenshot of a badge sheet (docs/screenshots/badges.png).
    pdf = tmp_path / "badges.pdf"
    pdf.write_bytes(response.content)
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed argv
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(SHOTS / "badges"),
        ],
        check=True,
    )
    assert (SHOTS / "badges.png").stat().st_size > 10_000


def test_badges_of_one_side_in_the_chosen_script(world, client_of):
    client = client_of(world, "organiser_haidian")
    response = client.get(
        reverse("documents:badges", args=[world.exchange.pk]) + "?side=host&script=zh-hant"
    )
    text = pdf_text(response.content)
    assert "王主任" in text and "接待方" in text and "黃團長" not in text
    assert (
        client.get(reverse("documents:badges", args=[world.exchange.pk]) + "?side=<b>").status_code
        == 404
    )


def test_badges_are_for_those_who_run_the_door(world, client_of):
    for key in ("viewer", "organiser_yanqing"):
        url = reverse("documents:badges", args=[world.exchange.pk])
        assert client_of(world, key).get(url).status_code == 403


def test_place_cards_print_each_name_twice_on_a_folded_sheet(world, client_of, tmp_path):
    response = client_of(world, "viewer").get(
        reverse("documents:place_cards", args=[world.exchange.pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == len(world.members)
    assert pages[0].count("黄团长") == 2  # the upright name and its upside-down copy
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.content)
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed argv
        [
            shutil.which("pdftoppm"),
            *("-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile"),
            str(pdf),
            str(SHOTS / "place-card"),
        ],
        check=True,
    )


def test_the_badge_qr_code_opens_the_members_check_in(world, client_of):
    svg = badges.qr_svg("https://example.org/attendance/c/x/")
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg


def test_the_check_in_codes_page_has_a_code_per_activity(world, client_of):
    client = client_of(world, "organiser_haidian")
    member = world.members[0]
    response = client.get(reverse("documents:check_in_codes", args=[member.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    # The badge's code and one per activity of the first group's member (4 activities).
    assert text.count('class="segno"') == 5
    assert "社区治理座谈" in text and "欢迎晚宴" in text
    assert " style=" not in text.split("<main")[1]
    assert (
        client_of(world, "viewer")
        .get(reverse("documents:check_in_codes", args=[member.pk]))
        .status_code
        == 403
    )


def test_a_printed_link_names_the_member_and_the_activity(world):
    token = links.make_token(world.members[0], world.now)
    assert re.fullmatch(r"/attendance/c/[A-Za-z0-9_\-:]+/", links.link_path(token))
