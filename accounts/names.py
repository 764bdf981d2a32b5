"""How staff accounts are printed."""


def display_name(user) -> str:
    """A colleague as people know them: the real name, the login name only when none is on file."""
    return user.get_full_name() or user.get_username()
