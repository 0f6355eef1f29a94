"""The PRE's contact card as a vCard 3.0 (RFC 2426), which phones and mail programs import."""


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 2425 §5.8.1), without cutting a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " "
        current += char
    out.append(current)
    return "\r\n".join(out)


def make_vcard(pre, site, url: str) -> str:
    org = ";".join(escape(part) for part in [site.commune_name, site.service_name] if part)
    street = ", ".join(pre.address_lines)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{escape(pre.contact_name)}",
        f"N:{escape(pre.contact_name)};;;;",
        f"ORG:{org}" if org else None,
        f"TITLE:{escape(pre.contact_role)}" if pre.contact_role else None,
        f"TEL;TYPE=WORK,VOICE:{pre.phone_uri.removeprefix('tel:')}" if pre.phone else None,
        f"EMAIL;TYPE=INTERNET:{pre.email}" if pre.email else None,
        f"ADR;TYPE=WORK:;;{escape(street)};{escape(pre.city)};;{escape(pre.postcode)};France",
        f"URL:{url}",
        f"NOTE:{escape('Horaires : ' + pre.opening_hours)}" if pre.opening_hours else None,
        "END:VCARD",
    ]
    return "\r\n".join(fold(line) for line in lines if line) + "\r\n"
