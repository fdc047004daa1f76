"""The one error every strong type's `parse` raises."""


class ParseError(ValueError):
    """A value broke its type's rule.

    The message is the reason, written for the person who sent the value ("must be at most 254
    characters"). It does not name the field: the app layer knows which field the value came from
    and attaches that name, so the same type can check a user's name and a product's name.
    """
