"""bpmnlint's two rules about the drawing (BPMN DI): every element that is drawn has a shape or an edge
(no-bpmndi), and shapes do not overlap or leave their pool or expanded sub-process
(no-overlapping-elements)."""
import math
import re

from lxml import etree

from app.workflow.lint_model import BPMNDI, DC

_JS_FLOAT = re.compile(r"[\s\ufeff]*([+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))")


def no_bpmndi(model):
    drawn = set()
    for diagram in model.children(model.root, "BPMNDiagram", BPMNDI):
        for plane in model.children(diagram, "BPMNPlane", BPMNDI):
            for shape in plane.iterchildren(etree.Element):
                element = model.ref(shape, "bpmnElement")
                if element is not None:
                    drawn.add(element.get("id"))
    for element in drawable(model):
        if element.get("id") not in drawn:
            yield element.get("id"), "Element is missing bpmndi"


def drawable(model):
    """The elements a diagram draws (all but data objects, which have no shape)."""
    return [one for one in _bpmn_elements(model, model.root_elements()) if model.type_of(one) != "DataObject"]


def _bpmn_elements(model, elements):
    """bpmnlint's getAllBpmnElements: flow elements (and those nested in them), participants, artifacts,
    the lanes of the first lane set (and nested ones), message flows."""
    found = []
    for element in elements:
        lane_sets = model.children(element, "laneSet") or model.children(element, "childLaneSet")
        lanes = model.children(lane_sets[0], "lane") if lane_sets else []
        flow_elements = model.flow_elements(element)
        found += flow_elements
        found += _bpmn_elements(model, [one for one in flow_elements if model.flow_elements(one)])
        found += model.children(element, "participant") + model.artifacts(element) + lanes
        found += _bpmn_elements(model, [lane for lane in lanes if model.children(lane, "childLaneSet")])
        found += model.children(element, "messageFlow")
    return found


def no_overlapping_elements(model):
    shapes = _shapes(model)
    overlapping, outside, parents = [], [], {}
    for collaboration in (one for one in model.root_elements() if model.is_(one, "Collaboration")):
        participants = model.children(collaboration, "participant")
        overlapping += _overlaps(model, participants, shapes)
        for participant in participants:
            process = model.ref(participant, "processRef")
            parents[process] = shapes.get(participant)
    for process in (one for one in model.root_elements() if model.is_(one, "Process")):
        _check_scope(model, process, shapes, _bounds(parents.get(process)), overlapping, outside)
    yield from ((one.get("id"), "Element overlaps with other element") for one in _unique(overlapping))
    yield from ((one.get("id"), "Element is outside of parent boundary") for one in _unique(outside))


def _check_scope(model, scope, shapes, parent_bounds, overlapping, outside):
    drawn = [element for element in model.flow_elements(scope) if element in shapes]
    overlapping += _overlaps(model, drawn, shapes)
    for element in drawn:
        # bpmnlint lets data stores sit outside, as older modelers drew them
        if model.type_of(element) == "DataStoreReference":
            continue
        if _outside(_bounds(shapes[element]), parent_bounds):
            outside.append(element)
    for sub_process in (one for one in model.flow_elements(scope) if model.is_(one, "SubProcess")):
        shape = shapes.get(sub_process)
        expanded = shape is not None and model.flag(shape, "isExpanded")
        _check_scope(model, sub_process, shapes, _bounds(shape) if expanded else None, overlapping, outside)


def _shapes(model):
    """{BPMN element: its shape or edge}; a later diagram's wins, as in bpmnlint's map."""
    shapes = {}
    for diagram in model.children(model.root, "BPMNDiagram", BPMNDI):
        for plane in model.children(diagram, "BPMNPlane", BPMNDI):
            for shape in plane.iterchildren(etree.Element):
                element = model.ref(shape, "bpmnElement")
                if element is not None:
                    shapes[element] = shape
    return shapes


def _bounds(shape):
    """(x, y, width, height) of a shape, None when any is missing (moddle's default x and y are the text
    "0", not a number, so they do not count)."""
    if shape is None:
        return None
    bounds = next(shape.iterchildren(f"{{{DC}}}Bounds"), None)
    if bounds is None or any(bounds.get(side) is None for side in ("x", "y", "width", "height")):
        return None
    return tuple(_parse_float(bounds.get(side)) for side in ("x", "y", "width", "height"))


def _parse_float(text):
    """JavaScript's parseFloat: the longest number at the start, NaN when there is none."""
    match = _JS_FLOAT.match(text)
    return float(match.group(1).replace("Infinity", "inf")) if match else math.nan


def _overlaps(model, elements, shapes):
    boxes = []
    for element in elements:
        bounds = _bounds(shapes.get(element))
        if bounds is None or math.isnan(bounds[0]) or math.isnan(bounds[0] + bounds[2]):
            continue
        x, y, width, height = bounds
        boxes.append((x, x + width, y, y + height, element))
    boxes.sort(key=lambda box: box[0])
    found = set()
    for i, (left, right, top, bottom, element) in enumerate(boxes):
        for other_left, other_right, other_top, other_bottom, other in boxes[i + 1:]:
            if other_left > right:
                break
            if not (right >= other_left and other_right >= left
                    and bottom >= other_top and other_bottom >= top):
                continue
            if model.ref(element, "attachedToRef") is other or model.ref(other, "attachedToRef") is element:
                continue
            found |= {element, other}
    return [element for element in elements if element in found]


def _outside(child, parent):
    if child is None or parent is None:
        return False
    x, y, width, height = child
    px, py, pwidth, pheight = parent
    inside = x >= px and y >= py and x + width <= px + pwidth and y + height <= py + pheight
    return not inside


def _unique(elements):
    return list(dict.fromkeys(elements))
