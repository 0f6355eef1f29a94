"""Bar charts drawn on the server, without JavaScript: labels and values are HTML text, so they keep the page's
font size on a phone; each bar is a small SVG rectangle whose width is a percentage (no inline style under
the CSP). The same numbers go in a table, the chart's text alternative."""

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    value: int
    percent: str  # width of the bar, "0.0"–"100.0": a string, so that no locale turns the point into a comma


@dataclass
class BarChart:
    slug: str
    title: str
    label_heading: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)


def bar_chart(slug, title, label_heading, rows, note=""):
    """rows: [(label, value), …] in display order."""
    top = max((value for _label, value in rows), default=0)
    bars = []
    for label, value in rows:
        percent = 100 * value / top if top and value > 0 else 0
        # The smallest non-zero value still shows a visible bar.
        bars.append(Bar(str(label), value, f"{max(percent, 1.0) if value > 0 else 0:.1f}"))
    return BarChart(slug, title, label_heading, bars, note)
