"""Changed versions of the shipped flows, as an admin would draw them, for the migration tests and bench."""
from lxml import etree

from app.workflow import definitions

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
