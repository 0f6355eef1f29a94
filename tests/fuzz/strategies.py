"""Inputs nobody thought of: hostile text, numbers, dates, lists, odd names, management forms, random files."""

import io
import json

from hypothesis import strategies as st

# Any character but lone surrogates (they cannot be encoded in a URL or a form body).
CHARACTERS = st.characters(exclude_categories=("Cs",))
TRAPS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e12 rue\u202c",  # right-to-left override
    "\u200f\u200e\u200b\ufeff",
    "\r\n",
    "\t",
    "\ufffd",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "{{ request }}{% debug %}",
    "%s%d%n",
    "'; DROP TABLE microprojets_draft; --",
    "../../etc/passwd",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "0x1F",
    "12,5",
    "1 000,50",
    "+33 6 12 34 56 78",
    "12 bis",
    "12b",
    "12-14",
    "2027-02-30",
    "31/12/9999",
    "0000-00-00",
    "1970-01-01",
    "oui",
    "non",
    "nsp",
    "on",
    "true",
    "a@b",
    "x@y.z\r\nBcc: z@evil.example",
    "https://evil.example/login",
    "Avenue des Glycines",
    "rue des Capucines",
]


def big_text():
    """Up to 100 kB, made cheaply: a repeated random piece."""
    return st.builds(lambda piece, n: piece * n, st.text(CHARACTERS, min_size=1, max_size=8), st.integers(1, 100_000))


def numbers():
    return st.one_of(
        st.integers(-(10**20), 10**20).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: str(d).replace(".", ",")),
    )


def dates():
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
        st.tuples(st.integers(-5, 50), st.integers(-5, 20), st.integers(-100, 10000)).map(
            lambda t: f"{t[0]:02d}/{t[1]:02d}/{t[2]}"
        ),
    )


# Words of the site itself (street names, slugs…), set by the `site` fixture: random text alone almost never
# names a real street, and the deepest code runs only for one.
WORDS = []


def site_words():
    return st.deferred(lambda: st.sampled_from(WORDS) if WORDS else st.nothing())


def text_value():
    return st.one_of(
        st.sampled_from(TRAPS),
        site_words(),
        site_words(),
        st.tuples(st.sampled_from(TRAPS[14:30]), site_words()).map(" ".join),
        st.text(CHARACTERS, max_size=60),
        numbers(),
        dates(),
        big_text(),
    )


def field_value(offered=()):
    """One value for a field: what the page offers (a choice, a pre-filled value), or anything at all;
    sometimes a list, which the query string or the body repeats."""
    single = st.one_of(st.sampled_from(list(offered)), text_value()) if offered else text_value()
    return st.one_of(single, single, st.lists(single, min_size=2, max_size=4))


MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def management_value():
    return st.one_of(
        st.sampled_from(["abc", "-1", "0", "1", "6", "1000000", "", "1.5", "١٢", "9" * 30]), st.integers().map(str)
    )


def extra_names(names):
    """Names the page does not offer: `field[]` arrays, suffixes, random names."""
    derived = [f"{n}[]" for n in names] + [f"{n}[0]" for n in names] + [f"{n}.x" for n in names]
    return (
        st.one_of(st.sampled_from(derived), st.text(CHARACTERS, min_size=1, max_size=20))
        if names
        else (st.text(CHARACTERS, min_size=1, max_size=20))
    )


@st.composite
def form_data(draw, fields, base=None, checkboxes=()):
    """A body for a form: a filled-in form (`base`) or what the page offers, then a few fields changed, left
    out or repeated, and a few names the page does not have."""
    names = sorted(fields)
    start = draw(st.sampled_from([base or {}] * 3 + [{}]))
    data = {}
    for name in names:
        offered = [value for value in fields[name] if value]
        if len(set(offered)) > 1 and name not in checkboxes:
            # A choice (radio buttons, a select, the form's buttons « draft » / « recap »): any of them.
            data[name] = draw(st.sampled_from(sorted(set(offered) | ({start[name]} if name in start else set()))))
        elif name in start:
            data[name] = start[name]
        elif name not in checkboxes and fields[name]:
            data[name] = fields[name][0]
    for name in draw(st.sets(st.sampled_from(names), max_size=4)) if names else ():
        how = draw(st.sampled_from(["change", "change", "drop"]))
        if how == "drop":
            data.pop(name, None)
        elif name.endswith(MANAGEMENT):
            data[name] = draw(management_value())
        else:
            data[name] = draw(field_value(fields[name]))
    # Formsets' management forms: few among many fields, yet where the worst surprises hide.
    management = [name for name in names if name.endswith(MANAGEMENT)]
    for name in draw(st.sets(st.sampled_from(management), min_size=1, max_size=2)) if management else ():
        data[name] = draw(management_value())
    for name in draw(st.lists(extra_names(names), max_size=3)):
        data[name] = draw(field_value())
    return data


MAGIC = [b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"MZ", b"<html>", b"PK\x03\x04"]
EXTENSIONS = [".pdf", ".PDF", ".jpg", ".png", ".bat", ".hta", ".html", ".pdf.exe", "", ".", ".pdf\x00.exe"]


class RandomFile(io.BytesIO):
    """A file as the test client sends it, with any name at all (SimpleUploadedFile refuses some)."""

    def __init__(self, name, content, content_type):
        super().__init__(content)
        self.name, self.content_type = name, content_type

    def __repr__(self):
        return f"RandomFile({self.name!r}, {self.getvalue()[:40]!r}…, {self.content_type!r})"


@st.composite
def upload(draw):
    name = draw(st.text(CHARACTERS, max_size=300)) + draw(st.sampled_from(EXTENSIONS))
    content = draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=4096))
    content_type = draw(st.sampled_from(["application/pdf", "image/png", "text/html", "application/octet-stream"]))
    return RandomFile(name, content, content_type)


def files_for(names):
    """For each file input: nothing, one random file, or several under the same name."""
    return st.fixed_dictionaries(
        {}, optional={name: st.one_of(upload(), st.lists(upload(), min_size=2, max_size=3)) for name in names}
    )


def raw_body():
    """A body that is not a form as a browser sends it."""
    return st.one_of(
        st.tuples(
            st.just("application/json"),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(CHARACTERS, max_size=30),
                lambda children: (
                    st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
                ),
                max_leaves=10,
            ).map(json.dumps),
        ),
        st.tuples(st.just("text/plain"), st.text(CHARACTERS, max_size=200)),
        st.tuples(st.sampled_from(["multipart/form-data", "multipart/form-data; boundary="]), st.binary(max_size=300)),
        st.tuples(st.just("multipart/form-data; boundary=XyZ"), st.binary(max_size=300)),
        st.tuples(
            st.just("application/x-www-form-urlencoded"),
            st.sampled_from([b"a=%ZZ&b=%", b"title=%C3%28", b"\xff\xfe=\xff", b"&&&==&", b"a" * 5000 + b"=1"])
            | st.binary(max_size=200),
        ),
        st.tuples(
            st.just("application/xml"), st.just('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>')
        ),
    )
