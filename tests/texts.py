"""Read a page's text as staff wrote it: without the glossary's marks (core.glossary) around explained words."""

import re

GLOSSARY_MARK = re.compile(r'<a class="glossary-term" href="[^"]*">(.*?)</a>', re.S)
ABBR = re.compile(r"</?abbr[^>]*>")


def unmarked(html) -> str:
    """The HTML of a response (or a string) with each glossary link replaced by the word it explains."""
    if hasattr(html, "content"):
        html = html.content.decode()
    return GLOSSARY_MARK.sub(lambda m: ABBR.sub("", m.group(1)), html)
