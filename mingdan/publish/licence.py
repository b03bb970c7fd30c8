"""The licence of a release's open data: chosen explicitly for the case, never assumed."""

from __future__ import annotations

from mingdan.store.case import Case

#: SPDX id -> (title, where its text is). Any other id needs [publish] license_url.
KNOWN = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 (public domain dedication)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}


class LicenceNeeded(ValueError):
    """No licence is chosen, or the one given is not usable; the message says what to do."""


def choices() -> str:
    """The known licences, one per line, for messages and help."""
    return "\n".join(f"  {spdx:<13} {title}" for spdx, (title, _) in KNOWN.items())


def resolve(case: Case, asked: str | None = None) -> dict:
    """The release's licence as {name, title, path}: the one asked for (then recorded in the case), else the case's.

    Raises LicenceNeeded when neither exists: publishing open data under terms nobody chose
    would decide for the people in it how it may be reused.
    """
    recorded = case.setting("publish", "license")
    wanted = (asked or recorded or "").strip()
    if not wanted:
        raise LicenceNeeded(
            "choose the licence of the open data before the first release: give --license ID (recorded in "
            f"{case.root / 'mingdan.toml'} under [publish] license for every later release), or write it there. "
            "Known licences:\n" + choices())
    url = case.setting("publish", "license_url")
    spdx = next((known for known in KNOWN if known.lower() == wanted.lower()), None)
    if spdx is None and not url:
        raise LicenceNeeded(f"licence {wanted!r} is not one of the known ones; give its web address as "
                            "[publish] license_url in mingdan.toml, or choose one of:\n" + choices())
    name = spdx or wanted
    if asked and name != recorded:
        case.set_setting("publish", "license", name)
    title, path = KNOWN.get(name, (name, url))
    return {"name": name, "title": title, "path": url if url and spdx is None else path}
