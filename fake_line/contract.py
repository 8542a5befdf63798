"""Check JSON bodies against LINE's own schemas, so a body the fake accepts is one LINE would accept.

Used by the fake server on every push and reply it receives and on every webhook it sends, and usable
directly by the app's tests (`check_push_request(body)`). Problems are reported the way LINE reports them:
a property path such as `messages[0].contents.body.contents[1].text` and a short reason.
"""
import functools
from dataclasses import dataclass

from jsonschema import Draft202012Validator

from fake_line import schemas


@dataclass(frozen=True)
class Problem:
    property: str
    message: str

    def as_dict(self):
        return {"message": self.message, "property": self.property}


class ContractError(ValueError):
    """A body that does not match LINE's schema; `problems` lists every mismatch found."""

    def __init__(self, schema_name, problems):
        self.schema_name = schema_name
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{schema_name}: {first.property or '(body)'}: {first.message}{more}")

    def as_dict(self):
        return {"schema": self.schema_name, "problems": [problem.as_dict() for problem in self.problems]}


@functools.cache
def _validator(document, schema_name):
    return Draft202012Validator(schemas.root_schema(document, schema_name))


def _path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error):
    """LINE-style property and reason for one validation error."""
    parts, value, kind = list(error.absolute_path), error.instance, error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return Problem(_path(parts + [missing]), "must be specified")
    reasons = {
        "enum": lambda: f"must be one of: {', '.join(map(str, error.validator_value))} (got {value!r})",
        "const": lambda: f"must be {error.validator_value!r}",
        "type": lambda: f"must be of type {error.validator_value}",
        "maxItems": lambda: f"must have at most {error.validator_value} items (has {len(value)})",
        "minItems": lambda: f"must have at least {error.validator_value} item(s) (has {len(value)})",
        "maxLength": lambda: f"must be at most {error.validator_value} characters (has {len(value)})",
        "minLength": lambda: f"must be at least {error.validator_value} character(s)",
        "pattern": lambda: f"must match {error.validator_value} (got {value!r})",
    }
    reason = reasons[kind]() if kind in reasons else error.message
    return Problem(_path(parts), reason[:300])


def check(document, schema_name, body):
    """Raise ContractError unless `body` matches the component schema `schema_name` of `document`."""
    errors = sorted(_validator(document, schema_name).iter_errors(body), key=lambda e: list(map(str, e.path)))
    problems = list(dict.fromkeys(_problem(error) for error in errors))
    if problems:
        raise ContractError(schema_name, problems)


def check_push_request(body):
    check("messaging-api", "PushMessageRequest", body)


def check_reply_request(body):
    check("messaging-api", "ReplyMessageRequest", body)


def check_message(message):
    """One message object (text, flex, ...), as the app builds it before putting it in a request."""
    check("messaging-api", "Message", message)


def check_webhook_body(body):
    check("webhook", "CallbackRequest", body)
