"""The one error type for mistakes a user can fix."""

from collections.abc import Callable


class ApplicationError(Exception):
    """A rule was broken. `message` is already translated; `field` names where, if anywhere.

    Forms turn it into a field error, the API into a 400 with the same message. `link` points
    at the record the message names (shown as a link where the page can). `after_refusal` is
    work that must outlive the refused write (an audit row of the attempt, a notice): the
    transaction around the write rolls back, so the boundary that turns the error into a
    response calls `settle()` once it is outside that transaction.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        link: str = "",
        after_refusal: Callable[[], None] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.link = link
        self._after_refusal = after_refusal

    def settle(self) -> None:
        """Run the refusal's follow-up once (a second call does nothing)."""
        follow_up, self._after_refusal = self._after_refusal, None
        if follow_up is not None:
            follow_up()

    def __str__(self) -> str:
        return str(self.message)


def full_clean_or_raise(
    instance, *, exclude: list[str] | None = None, validate_constraints: bool = True, validate_unique: bool = True
) -> None:
    """Run model validation and turn the first problem into an ApplicationError."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints, validate_unique=validate_unique)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
        else:
            field, messages = None, error.messages
        raise ApplicationError(" ".join(messages), field=None if field == "__all__" else field) from error
