"""Password rules beyond Django's: a password is read as a person would read it before it is judged.

Each check sees the password folded: NFKC (full-width ｐａｓｓ is pass), casefolded, and with
look-alike letters of other scripts read as the Latin letters they imitate (Unicode's confusables,
UTS #39: Cyrillic а, Greek ο, IPA ɗ), accents removed. So a password that is a common one, or
holds the user name, in other letters is refused like the plain one; and a password that is one
piece repeated (passwordpassword) is refused, since it is no harder to guess than the piece.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from mingdan.names.lookalike import skeleton


def _fold(text: str) -> str:
    return "".join(ch for ch in skeleton(text) if ch.isalnum())


#: Digits and signs written for letters (p4ssw0rd): a password is also read with them as letters.
_LEET = [str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a",
                        "$": "s", "!": "i", "|": "l"}), str.maketrans({"1": "i", "0": "o", "3": "e", "4": "a"})]


def _forms_of_password(password: str) -> set[str]:
    """The password folded, with digits read as letters, and without its digits."""
    read = skeleton(password)
    forms = {_fold(password), *(_fold(read.translate(table)) for table in _LEET)}
    forms.add("".join(ch for ch in _fold(password) if not ch.isdigit()))
    return {form for form in forms if form}


def _forms_of_name(name: str) -> set[str]:
    """The user name folded, reversed, without its digits (viewer9 is viewer), and short of one letter (ladmin is
    admin: an outside tester's "admin-kettle-2024" passed for ladmin, rt44), each of three letters or more (four
    for a letter left out)."""
    folded = _fold(name)
    bare = "".join(ch for ch in folded if not ch.isdigit())
    short = {bare[:at] + bare[at + 1:] for at in range(len(bare))} if len(bare) >= 5 else set()
    return {form for form in (folded, folded[::-1], bare, bare[::-1], *short) if len(form) >= 3}


def repeated(text: str) -> bool:
    """True when the text is one piece written twice or more (passwordpassword, abcabcabcabc)."""
    length = len(text)
    return any(length % size == 0 and text == text[:size] * (length // size) for size in range(1, length // 2 + 1))


class NotLikeUserName:
    """A password validator: refuses a password of spaces alone, or one that contains the user name (also reversed,
    without its digits, written with digits for letters or with look-alike letters) or is close to it."""

    def validate(self, password: str, user=None) -> None:
        from django.core.exceptions import ValidationError

        if not password.strip():
            raise ValidationError("The password cannot be only spaces.", code="password_blank")
        names = _forms_of_name(getattr(user, "username", "") or "")
        passwords = _forms_of_password(password)
        for name in names:
            for folded in passwords:
                if name in folded or folded in name or SequenceMatcher(a=folded, b=name).ratio() >= 0.6:
                    raise ValidationError("The password is too close to the user name.",
                                          code="password_like_username")

    def get_help_text(self) -> str:
        return "Your password cannot contain your user name or be close to it."


class NotCommonOrRepeated:
    """A password validator: refuses a common password in any letters (full-width, look-alikes, accents), and a
    password that is one piece repeated."""

    def validate(self, password: str, user=None) -> None:
        from django.contrib.auth.password_validation import CommonPasswordValidator
        from django.core.exceptions import ValidationError

        read = skeleton(password).strip()
        CommonPasswordValidator().validate(read)
        if repeated(read) or repeated(_fold(password)):
            raise ValidationError("The password cannot be one piece repeated.", code="password_repeated")

    def get_help_text(self) -> str:
        return "Your password cannot be a common password, in any letters, or one piece repeated."
