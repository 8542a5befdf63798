"""Changed versions of the shipped flows, as an admin would draw them, for the migration tests and bench."""
from lxml import etree

from app.workflow import definitions, lint_di
from app.workflow.lint_model import Model

SHIPPED_HANDLING = (definitions.BPMN_DIR / "handling.bpmn").read_text(encoding="utf-8")
WORK_RENAMED = "ปฏิบัติงานตามที่ได้รับมอบหมาย"
# the manager's instruction step, its gateway and every flow into or out of them
INSTRUCT = ("instruct", "gw_instruct", "Flow_triage_manager", "Flow_instruct", "Flow_instruct_assign",
            "Flow_instruct_close", "Flow_instruct_forward")
SEND_BACK = ("Flow_sign_back",)


def without(xml, element_ids):
    """`xml` with the elements `element_ids` gone, with their shapes and every reference to them."""
    root = etree.fromstring(xml.encode("utf-8"))
    gone = set(element_ids)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        refers = etree.QName(element).localname in ("incoming", "outgoing", "flowNodeRef") and (
            (element.text or "").strip() in gone)
        if element.get("id") in gone or element.get("bpmnElement") in gone or refers:
            element.getparent().remove(element)
    return etree.tostring(root, encoding="unicode", xml_declaration=False)


def renamed_work(xml):
    return xml.replace('name="ปฏิบัติงาน"', f'name="{WORK_RENAMED}"')


def handling_v2():
    """The handling flow without the manager's instruction step and without send-back, its work step
    renamed."""
    return renamed_work(without(SHIPPED_HANDLING, INSTRUCT + SEND_BACK))



_DI = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI", "dc": "http://www.omg.org/spec/DD/20100524/DC",
       "di": "http://www.omg.org/spec/DD/20100524/DI"}
_MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def drawn(xml):
    """`xml` with a shape (an edge, for flows) for each element bpmnlint's no-bpmndi wants drawn that has
    none, in a row below the drawing, as a modeler saves every element it draws."""
    root = etree.fromstring(xml.encode("utf-8"))
    plane = root.find(f".//{{{_DI['bpmndi']}}}BPMNPlane")
    if plane is None:
        diagram = etree.SubElement(root, f"{{{_DI['bpmndi']}}}BPMNDiagram", id="drawn_diagram")
        owner = root.find(f"{{{_MODEL}}}collaboration")
        owner = owner if owner is not None else root.find(f"{{{_MODEL}}}process")
        plane = etree.SubElement(diagram, f"{{{_DI['bpmndi']}}}BPMNPlane", id="drawn_plane",
                                 bpmnElement=owner.get("id"))
    shown = {shape.get("bpmnElement") for shape in plane}
    missing = [element for element in lint_di.drawable(Model(root)) if element.get("id") not in shown]
    for n, element in enumerate(missing):
        x = 200 + 150 * n
        if etree.QName(element).localname in ("sequenceFlow", "messageFlow", "association"):
            edge = etree.SubElement(plane, f"{{{_DI['bpmndi']}}}BPMNEdge", id=f"{element.get('id')}_di",
                                    bpmnElement=element.get("id"))
            for at in (x, x + 100):
                etree.SubElement(edge, f"{{{_DI['di']}}}waypoint", x=str(at), y="2000")
            continue
        shape = etree.SubElement(plane, f"{{{_DI['bpmndi']}}}BPMNShape", id=f"{element.get('id')}_di",
                                 bpmnElement=element.get("id"))
        etree.SubElement(shape, f"{{{_DI['dc']}}}Bounds", x=str(x), y="2100", width="100", height="80")
    return etree.tostring(root, encoding="unicode", xml_declaration=False)
