"""What a diagram must satisfy to be published: valid BPMN 2.0, one executable process, no scripts of any
kind, every expression in our expression language, and human tasks in lanes named after a role, each naming
a step kind the product knows (app/workflow/steps.py)."""
import ast
from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
from SpiffWorkflow.exceptions import SpiffWorkflowException

from app.org.models import Role
from app.workflow import lint, lint_messages, steps
from app.workflow.errors import InvalidDefinition
from app.workflow.expressions import FUNCTIONS, ExpressionError, parse

MAX_XML_BYTES = 2_000_000
LANES = frozenset({Role.CLERK.value, Role.OPERATOR.value, Role.MANAGER.value})
# Elements that run code in some engine; SpiffWorkflow's plain parser would ignore the extensions, but an
# admin who drew them expects them to run, so they are refused rather than silently skipped.
FORBIDDEN = frozenset({"serviceTask", "businessRuleTask", "executionListener", "taskListener"})
_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


@lru_cache(maxsize=1)
def _validator():
    return BpmnValidator()


def read_xml(xml):
    """The element tree of `xml`, parsed without entities, DTDs or network access."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(data) > MAX_XML_BYTES:
        raise InvalidDefinition(f"the diagram is larger than {MAX_XML_BYTES} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidDefinition(f"not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise InvalidDefinition("a DOCTYPE is not allowed in a diagram")
    return root


def parse_spec(root, process_id):
    """(spec, subprocess specs) of `process_id` in the diagram."""
    parser = BpmnParser()
    try:
        parser.add_bpmn_xml(root)
        return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
    except Exception as error:  # the parser fails in many ways on odd diagrams; all mean "cannot run"
        raise InvalidDefinition(f"the diagram cannot be run: {error}") from None


def check(xml):
    """Validate `xml` for publishing; returns (process_id, (spec, subprocess specs))."""
    root = read_xml(xml)
    try:
        _validator().validate(root)
    except SpiffWorkflowException as error:
        raise InvalidDefinition(f"not valid BPMN 2.0: {error}") from None
    _check_elements(root)
    try:
        steps.steps_of(root)
    except steps.UnknownKind as error:
        raise InvalidDefinition(str(error), error.task_id) from None
    process_id = _executable_process(root)
    _check_paths(root.xpath("//bpmn:process[@id=$id]", namespaces=_NS, id=process_id)[0])
    spec, subprocess_specs = parse_spec(root, process_id)
    for one in (spec, *subprocess_specs.values()):
        _check_spec(one)
    _refuse_lint_errors(root)
    return process_id, (spec, subprocess_specs)


def _refuse_lint_errors(root):
    errors = [finding for finding in lint.findings(root) if finding.level == "error"]
    if errors:
        raise InvalidDefinition(lint_messages.refusal(errors[0], len(errors) - 1), errors[0].element_id,
                                rule=errors[0].rule)


def findings(xml):
    """What the editor's "Check" shows: every bpmnlint finding (errors and warnings) and, first, what else
    would refuse the diagram at publish; each a dict {rule, element_id, message, level}, the message in
    the user's language. Our own checks are rule "e-saraban"."""
    try:
        root = read_xml(xml)
    except InvalidDefinition as error:
        return [_finding("e-saraban", error.element_id, str(error), "error")]
    found = [_finding(one.rule, one.element_id, str(lint_messages.explain(one)), one.level)
             for one in lint.findings(root)]
    try:
        check(xml)
    except InvalidDefinition as error:
        if error.rule not in lint.RULES:
            found.insert(0, _finding(error.rule or "e-saraban", error.element_id, str(error), "error"))
    return found


def _finding(rule, element_id, message, level):
    return {"rule": rule, "element_id": element_id, "message": message, "level": level}


def _check_paths(process):
    """No dead ends: every element of the process is reached from its start and leads to an end (a
    boundary event is reached when the task it is attached to is)."""
    nodes, onward = {}, {}
    for element in process:
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "textAnnotation",
                    "association", "documentation", "extensionElements"):
            continue
        nodes[element.get("id")] = name
        onward.setdefault(element.get("id"), set())
        if name == "boundaryEvent":
            onward.setdefault(element.get("attachedToRef"), set()).add(element.get("id"))
    for flow in process.iterfind("bpmn:sequenceFlow", _NS):
        onward.setdefault(flow.get("sourceRef"), set()).add(flow.get("targetRef"))
    starts = [node for node, name in nodes.items() if name == "startEvent"]
    ends = {node for node, name in nodes.items() if name == "endEvent"}
    reached = _closure(starts, onward)
    back = {}
    for source, targets in onward.items():
        for target in targets:
            back.setdefault(target, set()).add(source)
    finishing = _closure(ends, back)
    for node in nodes:
        if node not in reached:
            raise InvalidDefinition(f"{node}: nothing leads to this {nodes[node]} from the start", node)
        if node not in finishing:
            raise InvalidDefinition(f"{node}: a dead end, no path from this {nodes[node]} reaches an end event",
                                    node)


def _closure(starts, edges):
    seen, todo = set(starts), list(starts)
    while todo:
        for following in edges.get(todo.pop(), ()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _check_elements(root):
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        if "script" in name.lower() or name in FORBIDDEN:
            raise InvalidDefinition(f"{name} elements are not allowed (line {element.sourceline})",
                                    _nearest_id(element))


def _nearest_id(element):
    """The id of `element` or of the closest enclosing element that has one."""
    while element is not None and not element.get("id"):
        element = element.getparent()
    return element.get("id") if element is not None else None


def _executable_process(root):
    processes = root.xpath("//bpmn:process[@isExecutable='true' or @isExecutable='1']", namespaces=_NS)
    if len(processes) != 1:
        raise InvalidDefinition("the diagram must have exactly one executable process")
    return processes[0].get("id")


# What a condition may read: the data the services give every flow at its start (app/handling,
# app/routing) and what each step's completion adds (its decision; the outgoing flow's co-signers left).
KNOWN_VARIABLES = frozenset({"decision", "speed", "secrecy", "document_type", "document_id", "due_date",
                             "cosigners_left"})


def _check_spec(spec):
    for expression, where, element_id in _expressions(spec):
        try:
            tree = parse(expression)
        except ExpressionError as error:
            raise InvalidDefinition(f"{where}: {error}", element_id) from None
        unknown = sorted({node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
                         - KNOWN_VARIABLES - set(FUNCTIONS))
        if unknown:
            raise InvalidDefinition(f"{where}: the condition reads {', '.join(unknown)}, which no step sets "
                                    f"(known: {', '.join(sorted(KNOWN_VARIABLES))})", element_id)
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, ScriptEngineTask):
            raise InvalidDefinition(f"{task_spec.name}: tasks that run scripts are not allowed",
                                    task_spec.bpmn_id)
        if task_spec.manual and task_spec.lane not in LANES:
            raise InvalidDefinition(f"{task_spec.name}: a human task must be in a lane named "
                                    f"{', '.join(sorted(LANES))} (found {task_spec.lane!r})", task_spec.bpmn_id)


def _expressions(spec):
    """Every expression SpiffWorkflow may evaluate for this spec: (expression, where it comes from, the id
    of the element that holds it)."""
    if getattr(spec, "completion_condition", None):
        yield spec.completion_condition, spec.name, spec.name
    for task_spec in spec.task_specs.values():
        for condition, target in getattr(task_spec, "cond_task_specs", []):
            if condition is not None:
                yield condition.args[0], f"{task_spec.name} → {target}", task_spec.bpmn_id
        for attribute in ("condition", "cardinality"):
            if isinstance(getattr(task_spec, attribute, None), str):
                yield getattr(task_spec, attribute), task_spec.name, task_spec.bpmn_id
        for expression, where in _event_expressions(getattr(task_spec, "event_definition", None), task_spec.name):
            yield expression, where, task_spec.bpmn_id


def _event_expressions(definition, where):
    if definition is None:
        return
    if isinstance(getattr(definition, "expression", None), str):
        yield definition.expression, where
    for prop in getattr(definition, "correlation_properties", []):
        yield prop.retrieval_expression, where
    for inner in getattr(definition, "event_definitions", []):
        yield from _event_expressions(inner, where)
