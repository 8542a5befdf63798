"""bpmnlint's "recommended" rules (bpmnlint 11.15, config/recommended.js) in Python (issue 16 item 4), so
publish refuses what the editor's linter marks as an error, with the same rule names, levels and element
ids; tests/unit/test_flow_lint.py compares the two on a diagram per rule.

bpmnlint reads the diagram with bpmn-moddle, whose `incoming`/`outgoing` of an element are only the
<incoming>/<outgoing> references the file holds (as bpmn-js writes them), never derived from the flows'
sourceRef/targetRef; the port reads them the same way, or its findings would differ from the editor's.
The rules about the drawing (no-bpmndi, no-overlapping-elements) are in lint_di.py.
"""
from dataclasses import dataclass

from app.workflow import lint_di
from app.workflow.lint_model import Model


@dataclass(frozen=True)
class Finding:
    rule: str
    element_id: str | None
    message: str  # bpmnlint's words
    level: str  # "error" refuses publish, "warn" is shown only


def findings(root):
    """Every finding of the recommended rules on the diagram `root` (an lxml element), rule by rule."""
    model = Model(root)
    found = []
    for rule, (level, check) in RULES.items():
        found += [Finding(rule, element_id, message, level) for element_id, message in check(model)]
    return found


def ad_hoc_sub_process(model):
    for node in model.of("AdHocSubProcess"):
        for element in model.flow_elements(node):
            if model.is_(element, "StartEvent"):
                yield element.get("id"), "A <Start Event> is not allowed in <Ad Hoc Sub Process>"
            if model.is_(element, "EndEvent"):
                yield element.get("id"), "An <End Event> is not allowed in <Ad Hoc Sub Process>"


def conditional_flows(model):
    for node in model.nodes:
        default, outgoing = model.ref(node, "default"), model.refs(node, "outgoing")
        if not (default is not None or any(model.has_condition(flow) for flow in outgoing)):
            continue
        for flow in outgoing:
            if not model.has_condition(flow) and flow is not default:
                yield flow.get("id"), "Sequence flow is missing condition"


def _scope_lacks(event_type, message):
    def check(model):
        for node in model.nodes:
            if not model.is_any(node, ("Process", "SubProcess")) or model.is_(node, "AdHocSubProcess"):
                continue
            if not any(model.is_(element, event_type) for element in model.flow_elements(node)):
                yield node.get("id"), _scope_word(model, node) + message
    return check


def _scope_word(model, node):
    return "Sub process" if model.is_(node, "SubProcess") else "Process"


def event_based_gateway(model):
    for node in model.of("EventBasedGateway"):
        outgoing = model.refs(node, "outgoing")
        if len(outgoing) < 2:
            yield node.get("id"), "An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>"
        for flow in outgoing:
            if model.has_condition(flow):
                yield (flow.get("id"),
                       "A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional")


def _start_events_of_sub_processes(model, triggered):
    for node in model.of("SubProcess"):
        if model.flag(node, "triggeredByEvent") == triggered:
            yield from (element for element in model.flow_elements(node) if model.is_(element, "StartEvent"))


def event_sub_process_typed_start_event(model):
    for event in _start_events_of_sub_processes(model, True):
        if not model.event_definitions(event):
            yield event.get("id"), "Start event is missing event definition"


def sub_process_blank_start_event(model):
    for event in _start_events_of_sub_processes(model, False):
        if model.event_definitions(event):
            yield event.get("id"), "Start event must be blank"


def fake_join(model):
    for node in model.nodes:
        if model.is_any(node, ("Activity", "Event")) and len(model.refs(node, "incoming")) > 1:
            yield node.get("id"), "Incoming flows do not join"


def label_required(model):
    for node in model.nodes:
        if model.is_any(node, ("ParallelGateway", "EventBasedGateway", "SubProcess")):
            continue
        if model.is_(node, "Gateway") and len(model.refs(node, "outgoing")) <= 1:
            continue  # a joining gateway
        if model.is_(node, "SequenceFlow") and not model.has_condition(node):
            continue
        if model.is_any(node, ("FlowNode", "SequenceFlow", "Participant", "Lane")) and not model.name(node):
            yield node.get("id"), "Element is missing label/name"


def link_event(model):
    for container in model.of("FlowElementsContainer"):
        links = [one for one in model.flow_elements(container) if model.link_definition(one) is not None]
        groups = {}
        for link in links:
            name = model.link_definition(link).get("name")
            if not name:
                yield link.get("id"), "Link event is missing link name"
            groups.setdefault(name or "_", []).append(link)  # min-dash's groupBy puts the unnamed under "_"
        for name, events in groups.items():
            if len(events) == 1:
                side = "catch" if model.is_(events[0], "ThrowEvent") else "throw"
                yield events[0].get("id"), f"Link {side} event with link name <{name}> missing in scope"
                continue
            catches = [event for event in events if model.is_(event, "CatchEvent")]
            if len(catches) > 1:
                yield from ((event.get("id"), f"Duplicate link catch event with link name <{name}> in scope")
                            for event in catches)
            elif not catches:
                yield from ((event.get("id"), f"Link catch event with link name <{name}> missing in scope")
                            for event in events)


def _discouraged(type_name):
    def check(model):
        for node in model.of(type_name):
            yield node.get("id"), f"Element type <bpmn:{type_name}> is discouraged"
    return check


def no_disconnected(model):
    for node in model.nodes:
        if not model.is_any(node, ("Task", "Gateway", "SubProcess", "Event")):
            continue
        if model.flag(node, "triggeredByEvent"):
            continue
        if _compensation_boundary(model, node) or model.flag(node, "isForCompensation"):
            continue
        if model.is_(node.getparent(), "AdHocSubProcess"):
            continue
        if not model.refs(node, "incoming") and not model.refs(node, "outgoing"):
            yield node.get("id"), "Element is not connected"


def _compensation_boundary(model, node):
    definitions = model.event_definitions(node)
    return (model.is_(node, "BoundaryEvent") and len(definitions) == 1
            and model.is_(definitions[0], "CompensateEventDefinition"))


def no_duplicate_sequence_flows(model):
    seen, reported = set(), set()
    for flow in model.of("SequenceFlow"):
        source, target = model.ref(flow, "sourceRef"), model.ref(flow, "targetRef")
        condition = model.condition(flow)
        key = ((source if source is not None else flow).get("id"),
               (target if target is not None else flow).get("id"),
               "" if condition is None else model.body(condition))
        if key not in seen:
            seen.add(key)
            continue
        yield flow.get("id"), "SequenceFlow is a duplicate"
        for end, message in ((source, "Duplicate outgoing sequence flows"),
                             (target, "Duplicate incoming sequence flows")):
            if (message, end.get("id")) not in reported:
                reported.add((message, end.get("id")))
                yield end.get("id"), message


def no_gateway_join_fork(model):
    for node in model.of("Gateway"):
        if len(model.refs(node, "incoming")) > 1 and len(model.refs(node, "outgoing")) > 1:
            yield node.get("id"), "Gateway forks and joins"


def no_implicit_split(model):
    for node in model.nodes:
        if not model.is_any(node, ("Activity", "Event")):
            continue
        default = model.ref(node, "default")
        unconditional = [flow for flow in model.refs(node, "outgoing")
                         if not model.has_condition(flow) and flow is not default]
        if len(unconditional) > 1:
            yield node.get("id"), "Flow splits implicitly"


def _only(model, node, definition_type):
    definitions = model.event_definitions(node)
    return bool(definitions) and all(model.is_(one, definition_type) for one in definitions)


def _implicit(model, node, direction):
    if model.is_(node, "Activity") and model.flag(node, "isForCompensation"):
        return False
    if model.is_(node.getparent(), "AdHocSubProcess"):
        return False
    if model.is_(node, "SubProcess") and model.flag(node, "triggeredByEvent"):
        return False
    if direction == "outgoing":
        if model.is_(node, "IntermediateThrowEvent") and _only(model, node, "LinkEventDefinition"):
            return False
        if model.is_(node, "EndEvent"):
            return False
        if (model.is_(node, "BoundaryEvent") and _only(model, node, "CompensateEventDefinition")
                and _has_compensation_activity(model, node)):
            return False
    else:
        if model.is_(node, "IntermediateCatchEvent") and _only(model, node, "LinkEventDefinition"):
            return False
        if model.is_any(node, ("StartEvent", "BoundaryEvent")):
            return False
    return not model.refs(node, direction)


def _has_compensation_activity(model, node):
    process = model.find_parent(node, "Process")
    return any(model.is_(element, "Association") and (model.ref(element, "sourceRef") is node)
               for element in model.artifacts(process))


def _implicit_rule(direction, message):
    def check(model):
        for node in model.nodes:
            if model.is_any(node, ("Event", "Activity", "Gateway")) and _implicit(model, node, direction):
                yield node.get("id"), message
    return check


def single_blank_start_event(model):
    for node in model.of("FlowElementsContainer"):
        blank = [element for element in model.flow_elements(node)
                 if model.is_(element, "StartEvent") and not model.event_definitions(element)]
        if len(blank) > 1:
            yield node.get("id"), _scope_word(model, node) + " has multiple blank start events"


def single_event_definition(model):
    for node in model.of("Event"):
        if len(model.event_definitions(node)) > 1:
            yield node.get("id"), "Event has multiple event definitions"


def superfluous_gateway(model):
    for node in model.of("Gateway"):
        if len(model.refs(node, "incoming")) == 1 and len(model.refs(node, "outgoing")) == 1:
            yield node.get("id"), "Gateway is superfluous. It only has one source and target."


def superfluous_label(model):
    for flow in model.of("SequenceFlow"):
        if not model.name(flow) or model.has_condition(flow):
            continue
        source = model.ref(flow, "sourceRef")
        if source is not None and (model.ref(source, "default") is flow or (
                model.is_any(source, ("ExclusiveGateway", "InclusiveGateway"))
                and len(model.refs(source, "outgoing")) > 1)):
            continue
        yield flow.get("id"), "Sequence flow has superfluous label"


def superfluous_termination(model):
    for node in model.nodes:
        if not model.is_any(node, ("Process", "SubProcess")):
            continue
        ends = [element for element in model.flow_elements(node)
                if model.is_(element, "FlowNode") and not model.refs(element, "outgoing")]
        terminating = [end for end in ends if _terminate_end(model, end)]
        if len(terminating) == 1 and all(_terminate_end(model, end) or _interrupting_event_sub(model, end)
                                         for end in ends):
            yield terminating[0].get("id"), "Termination is superfluous."


def _terminate_end(model, element):
    return model.is_(element, "EndEvent") and any(
        model.is_(one, "TerminateEventDefinition") for one in model.event_definitions(element))


def _interrupting_event_sub(model, element):
    return model.is_(element, "SubProcess") and model.flag(element, "triggeredByEvent") and any(
        model.is_(one, "StartEvent") and model.flag(one, "isInterrupting", default=True)
        for one in model.flow_elements(element))


def global_elements(model):
    roots = [element for element in model.root_elements()
             if model.is_any(element, ("Error", "Escalation", "Message", "Signal"))]
    referenced = model.global_references()
    for element in roots:
        name = element.get("name")
        if name is not None and not model.strip(name):
            yield element.get("id"), "Element is missing name"
        if element.get("id") not in referenced.get(model.type_of(element), ()):
            yield element.get("id"), "Element is unused"
        if sum(1 for other in roots if model.type_of(other) == model.type_of(element)
               and other.get("name") == name) != 1:
            yield element.get("id"), "Element name is not unique"


RULES = {
    "ad-hoc-sub-process": ("error", ad_hoc_sub_process),
    "conditional-flows": ("error", conditional_flows),
    "end-event-required": ("error", _scope_lacks("EndEvent", " is missing end event")),
    "event-based-gateway": ("error", event_based_gateway),
    "event-sub-process-typed-start-event": ("error", event_sub_process_typed_start_event),
    "fake-join": ("warn", fake_join),
    "global": ("warn", global_elements),
    "label-required": ("error", label_required),
    "link-event": ("error", link_event),
    "no-bpmndi": ("error", lint_di.no_bpmndi),
    "no-complex-gateway": ("error", _discouraged("ComplexGateway")),
    "no-disconnected": ("error", no_disconnected),
    "no-duplicate-sequence-flows": ("error", no_duplicate_sequence_flows),
    "no-gateway-join-fork": ("error", no_gateway_join_fork),
    "no-implicit-split": ("error", no_implicit_split),
    "no-implicit-end": ("error", _implicit_rule("outgoing", "Element is an implicit end")),
    "no-implicit-start": ("error", _implicit_rule("incoming", "Element is an implicit start")),
    "no-inclusive-gateway": ("warn", _discouraged("InclusiveGateway")),
    "no-overlapping-elements": ("warn", lint_di.no_overlapping_elements),
    "single-blank-start-event": ("error", single_blank_start_event),
    "single-event-definition": ("error", single_event_definition),
    "start-event-required": ("error", _scope_lacks("StartEvent", " is missing start event")),
    "sub-process-blank-start-event": ("error", sub_process_blank_start_event),
    "superfluous-gateway": ("warn", superfluous_gateway),
    "superfluous-label": ("warn", superfluous_label),
    "superfluous-termination": ("warn", superfluous_termination),
}
