"""Rules LINE documents and enforces that its OpenAPI files leave out.

The generated-SDK schemas mark almost every property optional, yet the Messaging API reference requires,
for example, a Flex `text` component's `text` and a URI action's `uri`, and LINE answers 400 without them.
A fake that let such bodies through would let the app ship notifications that LINE refuses, so these few
rules are added on top of the OpenAPI schemas, each naming the reference section it comes from
(https://developers.line.biz/en/reference/messaging-api/).
"""

URI_SCHEMES = r"^(https?|line|tel):"

MESSAGING_RULES = {
    # #f-text: `text` is required unless the text is built from `contents` (spans).
    "FlexText": {"if": {"not": {"required": ["contents"]}}, "then": {"required": ["text"]}},
    # #span: a span's `text` is required.
    "FlexSpan": {"required": ["text"]},
    # #uri-action: `uri` is required, at most 1000 characters, scheme http, https, line or tel.
    "URIAction": {"required": ["uri"],
                  "properties": {"uri": {"type": "string", "maxLength": 1000, "pattern": URI_SCHEMES}}},
    # #text-message: at most 5000 characters, and not empty.
    "TextMessage": {"properties": {"text": {"minLength": 1, "maxLength": 5000}}},
    # #flex-message: the alternative text shown in notifications and chat lists must not be empty.
    "FlexMessage": {"properties": {"altText": {"minLength": 1}}},
}

DOCUMENT_RULES = {"messaging-api": MESSAGING_RULES, "webhook": {}}


def apply(document, schemas):
    """Add the document's extra rules to its JSON Schemas, each as one more `allOf` part."""
    for name, rule in DOCUMENT_RULES[document].items():
        schemas[name].setdefault("allOf", []).append(rule)
