"""Bar charts drawn on the server as SVG geometry: no JavaScript, and the same numbers go in a table."""

from dataclasses import dataclass, field

WIDTH = 600
BAR_MAX = 500
ROW_HEIGHT = 52
LABEL_MAX_CHARS = 52


@dataclass
class Bar:
    label: str
    value: int
    y_label: int
    y_bar: int
    width: int
    x_value: int


@dataclass
class BarChart:
    slug: str
    title: str
    label_heading: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""
    width: int = WIDTH

    @property
    def height(self):
        return max(1, len(self.bars)) * ROW_HEIGHT + 8

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)


def bar_chart(slug, title, label_heading, rows, note=""):
    """rows: [(label, value), …] in display order."""
    top = max((value for _label, value in rows), default=0)
    bars = []
    for i, (label, value) in enumerate(rows):
        width = round(BAR_MAX * value / top) if top else 0
        y = i * ROW_HEIGHT
        short = label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"
        bars.append(Bar(short, value, y_label=y + 18, y_bar=y + 26, width=width, x_value=width + 8))
    return BarChart(slug, title, label_heading, bars, note)
