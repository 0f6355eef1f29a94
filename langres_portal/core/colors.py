"""Colour arithmetic for the site's main colour: WCAG 2.x contrast ratio and a darker shade for hover states.

Source of the formulas: WCAG 2.2, definitions of « relative luminance » and « contrast ratio »
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance).
"""

import re

from django.core.exceptions import ValidationError

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
MIN_CONTRAST_WITH_WHITE = 4.5  # WCAG 1.4.3 (AA) for normal text: white text on the colour, the colour on white


def parse_hex(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def relative_luminance(value: str) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker(value: str, factor: float = 0.75) -> str:
    """The same hue, darker: used for hover and pressed states (contrast with white only grows)."""
    return "#" + "".join(f"{round(c * factor):02x}" for c in parse_hex(value))


def rgb_triplet(value: str) -> str:
    return ", ".join(str(c) for c in parse_hex(value))


def validate_main_color(value: str):
    """A colour written #rrggbb that white text can be read on, and that can be read on white (4.5:1)."""
    if not HEX_COLOR.match(value or ""):
        raise ValidationError(
            "Saisissez la couleur en hexadécimal, un # suivi de 6 chiffres ou lettres de a à f, par exemple #1b4f8a.",
            code="invalid",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            "Cette couleur n’est pas assez contrastée avec le blanc : %(ratio)s pour 1, il faut au moins 4,5 pour 1 "
            "(RGAA, critère 3.2). Choisissez une teinte plus foncée.",
            code="low_contrast",
            params={"ratio": f"{ratio:.2f}".replace(".", ",")},
        )
