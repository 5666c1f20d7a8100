"""CJK fonts for the PDF documents, and a check that they exist before anything renders.

WeasyPrint silently falls back to whatever font fontconfig offers when a family is missing;
for Chinese that means boxes of tofu in a certificate. We ask fontconfig first and refuse
with a clear message instead.
"""

from __future__ import annotations

import shutil
import subprocess  # noqa: S404 - fc-list is a fixed system tool, called without a shell
from functools import lru_cache

from django.conf import settings

from civicbridge.core import hans_hant

# Families from Debian's fonts-noto-cjk. Override with settings.CIVICBRIDGE_CJK_FONTS, a dict
# keyed "serif_hans", "sans_hant" etc. (only the keys you give are replaced).
DEFAULT_FONTS = {
    ("serif", hans_hant.HANS): "Noto Serif CJK SC",
    ("serif", hans_hant.HANT): "Noto Serif CJK TC",
    ("sans", hans_hant.HANS): "Noto Sans CJK SC",
    ("sans", hans_hant.HANT): "Noto Sans CJK TC",
}
# fontconfig language tags used to ask whether a family covers the script.
FC_LANG = {hans_hant.HANS: "zh-cn", hans_hant.HANT: "zh-tw"}


class CJKFontMissing(RuntimeError):
    """No installed font of the configured family covers Chinese in the wanted script."""


def font_family(style: str, which: str) -> str:
    configured = getattr(settings, "CIVICBRIDGE_CJK_FONTS", None) or {}
    return configured.get(f"{style}_{which}") or DEFAULT_FONTS[(style, which)]


@lru_cache(maxsize=32)
def _fc_list(family: str, lang: str) -> tuple[str, ...]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise CJKFontMissing(
            "fontconfig's fc-list was not found, so the CJK fonts cannot be checked. "
            "Install fontconfig and fonts-noto-cjk (apt-get install fontconfig fonts-noto-cjk)."
        )
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [fc_list, f":family={family}:lang={lang}", "file"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    return tuple(line.strip().rstrip(":") for line in result.stdout.splitlines() if line.strip())


def require_cjk_font(style: str, which: str) -> str:
    """The font family to use for ``style`` in script ``which``; raise if it is not installed."""
    family = font_family(style, which)
    lang = FC_LANG.get(which, "zh-cn")
    if not _fc_list(family, lang):
        raise CJKFontMissing(
            f"No installed font of family {family!r} covers Chinese ({lang}). "
            "Install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) or set "
            "CIVICBRIDGE_CJK_FONTS in the settings to a family listed by `fc-list :lang=zh`."
        )
    return family


def font_stack(style: str, which: str) -> str:
    """A CSS font-family value for ``style`` in ``which``, checked to exist."""
    family = require_cjk_font(style, which)
    return f"'{family}'"
