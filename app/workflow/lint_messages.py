"""bpmnlint's messages in the user's language: the English text is bpmnlint's own (the msgid), so the
parity test can compare it and a reader can look the rule up."""
import re

from app.core.messages import lazy_gettext as _l

_FIXED = {message: translated for message, translated in (
    ("A <Start Event> is not allowed in <Ad Hoc Sub Process>",
     _l("A <Start Event> is not allowed in <Ad Hoc Sub Process>")),
    ("An <End Event> is not allowed in <Ad Hoc Sub Process>",
     _l("An <End Event> is not allowed in <Ad Hoc Sub Process>")),
    ("Sequence flow is missing condition", _l("Sequence flow is missing condition")),
    ("Process is missing end event", _l("Process is missing end event")),
    ("Sub process is missing end event", _l("Sub process is missing end event")),
    ("Process is missing start event", _l("Process is missing start event")),
    ("Sub process is missing start event", _l("Sub process is missing start event")),
    ("An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>",
     _l("An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>")),
    ("A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional",
     _l("A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional")),
    ("Start event is missing event definition", _l("Start event is missing event definition")),
    ("Start event must be blank", _l("Start event must be blank")),
    ("Incoming flows do not join", _l("Incoming flows do not join")),
    ("Element is missing name", _l("Element is missing name")),
    ("Element is unused", _l("Element is unused")),
    ("Element name is not unique", _l("Element name is not unique")),
    ("Element is missing label/name", _l("Element is missing label/name")),
    ("Link event is missing link name", _l("Link event is missing link name")),
    ("Element is missing bpmndi", _l("Element is missing bpmndi")),
    ("Element type <bpmn:ComplexGateway> is discouraged",
     _l("Element type <bpmn:ComplexGateway> is discouraged")),
    ("Element type <bpmn:InclusiveGateway> is discouraged",
     _l("Element type <bpmn:InclusiveGateway> is discouraged")),
    ("Element is not connected", _l("Element is not connected")),
    ("SequenceFlow is a duplicate", _l("SequenceFlow is a duplicate")),
    ("Duplicate outgoing sequence flows", _l("Duplicate outgoing sequence flows")),
    ("Duplicate incoming sequence flows", _l("Duplicate incoming sequence flows")),
    ("Gateway forks and joins", _l("Gateway forks and joins")),
    ("Flow splits implicitly", _l("Flow splits implicitly")),
    ("Element is an implicit end", _l("Element is an implicit end")),
    ("Element is an implicit start", _l("Element is an implicit start")),
    ("Element overlaps with other element", _l("Element overlaps with other element")),
    ("Element is outside of parent boundary", _l("Element is outside of parent boundary")),
    ("Process has multiple blank start events", _l("Process has multiple blank start events")),
    ("Sub process has multiple blank start events", _l("Sub process has multiple blank start events")),
    ("Event has multiple event definitions", _l("Event has multiple event definitions")),
    ("Gateway is superfluous. It only has one source and target.",
     _l("Gateway is superfluous. It only has one source and target.")),
    ("Sequence flow has superfluous label", _l("Sequence flow has superfluous label")),
    ("Termination is superfluous.", _l("Termination is superfluous.")),
)}
_LINKS = (
    (re.compile(r"Link catch event with link name <(.*)> missing in scope$", re.S),
     lambda name: _l("Link catch event with link name <%(name)s> missing in scope", name=name)),
    (re.compile(r"Link throw event with link name <(.*)> missing in scope$", re.S),
     lambda name: _l("Link throw event with link name <%(name)s> missing in scope", name=name)),
    (re.compile(r"Duplicate link catch event with link name <(.*)> in scope$", re.S),
     lambda name: _l("Duplicate link catch event with link name <%(name)s> in scope", name=name)),
)


def explain(finding):
    """The finding's message, translated when shown (its English words when there is no translation)."""
    if finding.message in _FIXED:
        return _FIXED[finding.message]
    for pattern, translated in _LINKS:
        match = pattern.match(finding.message)
        if match:
            return translated(match.group(1))
    return finding.message


def refusal(finding, others):
    """Why publish refuses the diagram, naming the element and the rule."""
    if others:
        return _l("%(element)s: %(problem)s (bpmnlint rule %(rule)s; %(others)d more problems)",
                  element=finding.element_id or "", problem=explain(finding), rule=finding.rule,
                  others=others)
    return _l("%(element)s: %(problem)s (bpmnlint rule %(rule)s)", element=finding.element_id or "",
              problem=explain(finding), rule=finding.rule)
