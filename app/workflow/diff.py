"""What changed between two versions of a flow (issue 16 item 5), in the terms an admin drew it: steps,
gateways, events, lanes and the flows between them, compared by element id (bpmn-js and every modeler keep
ids when an element is edited or moved).

Each element's meaning is what the engine acts on (its type, name, step kind, lane, condition, timer,
parallel units, messages, where a flow starts and ends); its layout is where the diagram draws it. An
element whose meaning is the same but which is drawn elsewhere is `moved`, so an admin can tell a tidied
diagram from a changed flow. The compare page (admin_views.compare_flow) colours the elements of both
versions by these changes.
"""
from dataclasses import dataclass, field

from lxml import etree

from app.core.messages import lazy_gettext as _l
from app.workflow import validation
from app.org.labels import ROLE_LABELS
from app.workflow.steps import KIND_NAMESPACE, KINDS, StepKind

_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
_DC = "http://www.omg.org/spec/DD/20100524/DC"
_DI = "http://www.omg.org/spec/DD/20100524/DI"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# Children of a process that are not elements of the flow, or are read as part of another element.
_NOT_COMPARED = frozenset({"laneSet", "documentation", "extensionElements", "dataObject", "textAnnotation",
                           "association", "ioSpecification", "property"})

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"

FIELD_LABELS = {
    "type": _l("Element type"),
    "name": _l("Name"),
    "kind": _l("Step kind"),
    "lane": _l("Lane (role)"),
    "source": _l("Leads from"),
    "target": _l("Leads to"),
    "condition": _l("Condition"),
    "default": _l("Default flow"),
    "attached_to": _l("Attached to"),
    "interrupting": _l("Stops the task"),
    "events": _l("Event"),
    "timer": _l("Timer"),
    "duration": _l("Waits for"),
    "parallel": _l("Parallel review"),
    "units": _l("Reviewing units"),
    "message": _l("Message"),
}

TYPE_LABELS = {
    "userTask": _l("Step"),
    "task": _l("Task"),
    "manualTask": _l("Manual task"),
    "receiveTask": _l("Receive task"),
    "sendTask": _l("Send task"),
    "subProcess": _l("Sub-process"),
    "callActivity": _l("Call activity"),
    "startEvent": _l("Start event"),
    "endEvent": _l("End event"),
    "intermediateCatchEvent": _l("Intermediate event"),
    "intermediateThrowEvent": _l("Intermediate event"),
    "boundaryEvent": _l("Boundary event"),
    "exclusiveGateway": _l("Exclusive gateway"),
    "parallelGateway": _l("Parallel gateway"),
    "inclusiveGateway": _l("Inclusive gateway"),
    "eventBasedGateway": _l("Event-based gateway"),
    "sequenceFlow": _l("Sequence flow"),
    "lane": _l("Lane"),
}


VALUE_LABELS = {
    "interrupting": {"yes": _l("yes"), "no": _l("no, the task stays open")},
    "parallel": {"parallel": _l("one task per unit, at the same time"), "sequential": _l("one unit after another")},
    "timer": {"remind": _l("remind whoever holds the task"), "escalate": _l("tell the unit's manager")},
}


@dataclass(frozen=True)
class Change:
    """One element that differs: `fields` lists (field, before, after) for a changed element."""

    element_id: str
    change: str
    element_type: str
    name: str
    fields: tuple = field(default=())

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.element_type, self.element_type)


def compare(old_xml, new_xml):
    """The changes from `old_xml` to `new_xml`: removed, then changed, added and moved, each in the order
    the element appears in its diagram."""
    old_elements, old_layout = _read(old_xml)
    new_elements, new_layout = _read(new_xml)
    changes = [Change(element_id, REMOVED, meaning["type"], _title(meaning))
               for element_id, meaning in old_elements.items() if element_id not in new_elements]
    for element_id, meaning in new_elements.items():
        before = old_elements.get(element_id)
        if before is None:
            changes.append(Change(element_id, ADDED, meaning["type"], _title(meaning)))
            continue
        fields = tuple((name, before.get(name, ""), meaning.get(name, ""))
                       for name in FIELD_LABELS if before.get(name, "") != meaning.get(name, ""))
        if fields:
            changes.append(Change(element_id, CHANGED, meaning["type"], _title(meaning), fields))
        elif old_layout.get(element_id) != new_layout.get(element_id):
            changes.append(Change(element_id, MOVED, meaning["type"], _title(meaning)))
    return changes


def _title(meaning):
    """How the list names an element: its name, or for an unnamed flow where it leads from and to."""
    if meaning.get("name") or meaning["type"] != "sequenceFlow":
        return meaning.get("name", "")
    return f"{meaning['source']} → {meaning['target']}"


def display_value(field_name, value):
    """`value` of `field_name` as the compare page shows it: step kinds and roles by their names."""
    if not value:
        return "—"
    if field_name == "kind" and value in StepKind._value2member_map_:
        return f"{KINDS[StepKind(value)].label} ({value})"
    if field_name == "lane" and value in ROLE_LABELS:
        return f"{ROLE_LABELS[value]} ({value})"
    if field_name == "type":
        return TYPE_LABELS.get(value, value)
    return VALUE_LABELS.get(field_name, {}).get(value, value)


def markers(changes):
    """{element id: change} for colouring the diagrams."""
    return {change.element_id: change.change for change in changes}


def _read(xml):
    """({element id: meaning}, {element id: layout}) of the diagram's executable process."""
    root = validation.read_xml(xml)
    processes = root.findall(f"{{{_BPMN}}}process")
    process = next((one for one in processes if one.get("isExecutable") in ("true", "1")),
                   processes[0] if processes else None)
    elements = {}
    if process is not None:
        lanes = {}
        for lane in process.iter(f"{{{_BPMN}}}lane"):
            elements[lane.get("id")] = {"type": "lane", "name": _name(lane)}
            for ref in lane.iterfind(f"{{{_BPMN}}}flowNodeRef"):
                lanes[(ref.text or "").strip()] = _name(lane) or lane.get("id")
        names = {child.get("id"): _name(child) or child.get("id") for child in process.iter(etree.Element)
                 if child.get("id")}
        for child in process.iter(etree.Element):
            localname = etree.QName(child).localname
            if not child.get("id") or localname in _NOT_COMPARED or localname == "lane":
                continue
            if child.getparent() is not process and etree.QName(child.getparent()).localname != "subProcess":
                continue
            elements[child.get("id")] = _meaning(child, localname, lanes, names)
    return elements, _layout(root)


def _meaning(element, localname, lanes, names):
    meaning = {"type": localname, "name": _name(element)}
    if element.get("id") in lanes:
        meaning["lane"] = lanes[element.get("id")]
    kind = element.get(f"{{{KIND_NAMESPACE}}}kind")
    if kind:
        meaning["kind"] = kind
    units = element.get(f"{{{KIND_NAMESPACE}}}units")
    if units:
        meaning["units"] = " ".join(sorted(units.split()))
    timer = element.get(f"{{{KIND_NAMESPACE}}}timer")
    if timer:
        meaning["timer"] = timer
    if localname == "sequenceFlow":
        meaning["source"] = names.get(element.get("sourceRef"), element.get("sourceRef") or "")
        meaning["target"] = names.get(element.get("targetRef"), element.get("targetRef") or "")
        condition = element.find(f"{{{_BPMN}}}conditionExpression")
        if condition is not None:
            meaning["condition"] = " ".join((condition.text or "").split())
    if element.get("default"):
        meaning["default"] = names.get(element.get("default"), element.get("default"))
    if localname == "boundaryEvent":
        meaning["attached_to"] = names.get(element.get("attachedToRef"), element.get("attachedToRef") or "")
        meaning["interrupting"] = "no" if element.get("cancelActivity") in ("false", "0") else "yes"
    loop = element.find(f"{{{_BPMN}}}multiInstanceLoopCharacteristics")
    if loop is not None:
        meaning["parallel"] = "sequential" if loop.get("isSequential") in ("true", "1") else "parallel"
    definitions = [child for child in element if isinstance(child.tag, str)
                   and etree.QName(child).localname.endswith("EventDefinition")]
    if definitions:
        meaning["events"] = " ".join(sorted(etree.QName(child).localname for child in definitions))
    for definition in definitions:
        for expression in definition:
            if isinstance(expression.tag, str) and etree.QName(expression).localname.startswith("time"):
                meaning["duration"] = " ".join((expression.text or "").split())
        if definition.get("messageRef"):
            meaning["message"] = _message_name(element, definition.get("messageRef"))
    return meaning


def _message_name(element, message_id):
    root = element.getroottree().getroot()
    for message in root.iterfind(f"{{{_BPMN}}}message"):
        if message.get("id") == message_id:
            return message.get("name") or message_id
    return message_id


def _name(element):
    return " ".join((element.get("name") or "").split())


def _layout(root):
    """{element id: its shape's bounds or its edge's waypoints} from the diagram's first plane."""
    layout = {}
    for shape in root.iter(f"{{{_BPMNDI}}}BPMNShape"):
        bounds = shape.find(f"{{{_DC}}}Bounds")
        if bounds is not None:
            layout[shape.get("bpmnElement")] = tuple(round(float(bounds.get(name, 0)))
                                                     for name in ("x", "y", "width", "height"))
    for edge in root.iter(f"{{{_BPMNDI}}}BPMNEdge"):
        layout[edge.get("bpmnElement")] = tuple((round(float(point.get("x", 0))), round(float(point.get("y", 0))))
                                                for point in edge.iterfind(f"{{{_DI}}}waypoint"))
    return layout
