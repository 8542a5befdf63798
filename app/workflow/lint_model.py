"""A diagram as bpmn-moddle shows it to bpmnlint's rules: BPMN elements with their types (a UserTask is a
Task, an Activity and a FlowNode), references resolved by exact id, booleans true only when "true"."""
from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
# bpmn-moddle's type hierarchy (resources/bpmn/json/bpmn.json), for the types the rules ask about
_SUPER = {
    "Process": ("FlowElementsContainer", "RootElement"), "Collaboration": ("RootElement",),
    "Choreography": ("Collaboration", "FlowElementsContainer"), "GlobalConversation": ("Collaboration",),
    "Message": ("RootElement",), "Error": ("RootElement",), "Signal": ("RootElement",),
    "Escalation": ("RootElement",), "FlowNode": ("FlowElement",), "SequenceFlow": ("FlowElement",),
    "DataObject": ("FlowElement",), "DataObjectReference": ("FlowElement",),
    "DataStoreReference": ("FlowElement",), "Activity": ("FlowNode",), "Event": ("FlowNode",),
    "Gateway": ("FlowNode",), "ChoreographyActivity": ("FlowNode",),
    "SubChoreography": ("ChoreographyActivity", "FlowElementsContainer"),
    "CallChoreography": ("ChoreographyActivity",), "ChoreographyTask": ("ChoreographyActivity",),
    "Task": ("Activity",), "SubProcess": ("Activity", "FlowElementsContainer"), "CallActivity": ("Activity",),
    "AdHocSubProcess": ("SubProcess",), "Transaction": ("SubProcess",),
    "CatchEvent": ("Event",), "ThrowEvent": ("Event",), "StartEvent": ("CatchEvent",),
    "IntermediateCatchEvent": ("CatchEvent",), "BoundaryEvent": ("CatchEvent",), "EndEvent": ("ThrowEvent",),
    "IntermediateThrowEvent": ("ThrowEvent",), "ImplicitThrowEvent": ("ThrowEvent",),
    "TextAnnotation": ("Artifact",), "Group": ("Artifact",), "Association": ("Artifact",),
    "EventDefinition": ("RootElement",),
    **{name: ("Task",) for name in ("ManualTask", "UserTask", "ServiceTask", "SendTask", "ReceiveTask",
                                    "ScriptTask", "BusinessRuleTask")},
    **{name: ("Gateway",) for name in ("EventBasedGateway", "ComplexGateway", "ExclusiveGateway",
                                       "InclusiveGateway", "ParallelGateway")},
    **{f"{name}EventDefinition": ("EventDefinition",) for name in (
        "Cancel", "Error", "Terminate", "Escalation", "Compensate", "Timer", "Link", "Message", "Conditional",
        "Signal")},
}
_MESSAGING = ("MessageFlow", "ReceiveTask", "SendTask")
_WITH_DEFAULT = ("ExclusiveGateway", "InclusiveGateway", "ComplexGateway", "Activity")
_JS_WHITESPACE = ("\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                  "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")  # what JavaScript's trim() removes


def _ancestors(type_name):
    found = {type_name}
    for parent in _SUPER.get(type_name, ()):
        found |= _ancestors(parent)
    return found


_TYPES = {name: frozenset(_ancestors(name)) for name in _SUPER}


class Model:
    def __init__(self, root):
        self.root = root
        self.by_id = {}
        self.nodes = []  # the BPMN elements in document order, as bpmnlint visits them
        self._types = {}
        self._walk(root)

    def _walk(self, element):
        if element.get("id") is not None:
            self.by_id.setdefault(element.get("id"), element)
        if etree.QName(element).namespace == BPMN:
            local = etree.QName(element).localname
            self._types[element] = local[:1].upper() + local[1:]
            self.nodes.append(element)
            if local == "extensionElements":
                return  # moddle keeps what is inside as generic elements no rule checks
        for child in element.iterchildren(etree.Element):
            self._walk(child)

    def type_of(self, element):
        return self._types.get(element)

    def is_(self, element, type_name):
        name = self._types.get(element)
        return name is not None and type_name in _TYPES.get(name, (name,))

    def is_any(self, element, type_names):
        return any(self.is_(element, one) for one in type_names)

    def of(self, type_name):
        return [node for node in self.nodes if self.is_(node, type_name)]

    def children(self, element, local_name, namespace=BPMN):
        return [child for child in element.iterchildren(f"{{{namespace}}}{local_name}")]

    def typed_children(self, element, type_name):
        return [child for child in element.iterchildren(etree.Element) if self.is_(child, type_name)]

    def flow_elements(self, element):
        if not self.is_(element, "FlowElementsContainer"):
            return []
        return self.typed_children(element, "FlowElement")

    def artifacts(self, element):
        return self.typed_children(element, "Artifact")

    def event_definitions(self, element):
        return self.typed_children(element, "EventDefinition") if self.is_(element, "Event") else []

    def link_definition(self, element):
        links = (one for one in self.event_definitions(element) if self.is_(one, "LinkEventDefinition"))
        return next(links, None)

    def root_elements(self):
        return self.typed_children(self.root, "RootElement")

    def ref(self, element, attribute):
        """The element an id attribute names (moddle resolves the exact text), or None."""
        if attribute == "default" and not self.is_any(element, _WITH_DEFAULT):
            return None  # moddle knows no `default` on other elements
        value = element.get(attribute)
        return self.by_id.get(value) if value is not None else None

    def refs(self, element, local_name):
        """The elements the <incoming>/<outgoing> (...) children name, those that resolve."""
        found = (self.by_id.get(child.text or "") for child in self.children(element, local_name))
        return [one for one in found if one is not None]

    def condition(self, flow):
        return next(iter(self.children(flow, "conditionExpression")), None)

    def has_condition(self, flow):
        return self.condition(flow) is not None

    @staticmethod
    def body(expression):
        return expression.xpath("string()") or "undefined"  # moddle's missing body, joined into a text

    def flag(self, element, attribute, default=False):
        value = element.get(attribute)
        return default if value is None else value == "true"

    @staticmethod
    def strip(text):
        return (text or "").strip(_JS_WHITESPACE)

    def name(self, element):
        return self.strip(element.get("name"))

    def find_parent(self, element, type_name):
        """bpmnlint's findParent: the closest enclosing element of the type, else the outermost one."""
        parent = element.getparent()
        while parent is not None:
            if self.is_(parent, type_name):
                return parent
            element, parent = parent, parent.getparent()
        return element

    def global_references(self):
        """{"Error"/"Escalation"/"Message"/"Signal": ids referenced} by the elements bpmnlint's global rule
        looks at: event definitions of events in processes, message flows, send and receive tasks."""
        found = {"Error": set(), "Escalation": set(), "Message": set(), "Signal": set()}
        todo = self.root_elements()
        while todo:
            element = todo.pop()
            todo += self.flow_elements(element)
            if self.is_(element, "Collaboration"):
                todo += self.children(element, "messageFlow")
            referencing = self.event_definitions(element)
            if self.is_any(element, _MESSAGING):
                referencing = [element]
            for one in referencing:
                for kind in found:
                    messaging = kind == "Message" and self.is_any(one, _MESSAGING)
                    if self.is_(one, f"{kind}EventDefinition") or messaging:
                        target = self.ref(one, f"{kind[0].lower()}{kind[1:]}Ref")
                        if target is not None:
                            found[kind].add(target.get("id"))
        return found
