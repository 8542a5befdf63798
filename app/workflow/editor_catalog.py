"""What the flow editor's panel offers (issue 16 item 3), in the admin's language: the step kinds and the
decisions each completes with, the roles lanes are named after, the variables conditions may test and
their values, the kinds of timer, and the units a parallel review can go to. The page hands it to
static/js/flow-editor.js as JSON; the checks at publish (validation.py) stay the rule."""
from sqlalchemy import select

from app.core.messages import lazy_gettext as _l
from app.documents.labels import SECRECY_LABELS, SPEED_LABELS
from app.documents.models import DocumentType
from app.extensions import db
from app.org import queries as org_queries
from app.org.labels import ROLE_LABELS
from app.workflow import diff, validation
from app.workflow.steps import KINDS

DECISION_LABELS = {
    "register": _l("register"), "return": _l("return to the sender"), "assign": _l("assign"),
    "to_manager": _l("propose to the manager"), "forward": _l("forward"), "close": _l("close"),
    "propose": _l("propose for signature"), "done": _l("done"), "sign": _l("sign"),
    "endorse": _l("endorse and pass up"), "send_back": _l("send back for revision"),
    "resubmit": _l("propose again"), "withdraw": _l("withdraw"), "cosign": _l("co-sign"),
    "decline": _l("decline to co-sign"),
}
VARIABLE_LABELS = {
    "decision": _l("the step's decision"), "speed": _l("speed"), "secrecy": _l("secrecy"),
    "document_type": _l("document type"), "due_date": _l("due date"),
}
TIMER_LABELS = {"remind": _l("Remind whoever holds the step"), "escalate": _l("Tell the unit's manager")}


def catalog(locale="th"):
    """Everything the panel lists, as plain JSON-ready values."""
    return {
        "kinds": [{"value": kind.value, "label": str(spec.label),
                   "decisions": [_option(decision, DECISION_LABELS.get(decision, decision))
                                 for decision in spec.decisions]} for kind, spec in KINDS.items()],
        "roles": [_option(role, ROLE_LABELS.get(role, role)) for role in sorted(validation.LANES)],
        "variables": _variables(locale),
        "timers": [_option(value, label) for value, label in TIMER_LABELS.items()],
        "units": [{"value": unit.code, "label": "— " * depth + unit.name(locale),
                   "search": " ".join(filter(None, (unit.name_th, unit.name_en, unit.code)))}
                  for unit, depth in org_queries.unit_tree(False)],
        "types": {name: str(label) for name, label in diff.TYPE_LABELS.items()},
    }


def _variables(locale):
    types = db.session.scalars(select(DocumentType).where(DocumentType.is_active.is_(True))
                               .order_by(DocumentType.sort_order, DocumentType.id)).all()
    values = {
        "decision": None,  # the decisions of the step before the gateway
        "speed": [_option(code, label) for code, label in SPEED_LABELS.items()],
        "secrecy": [_option(code, label) for code, label in SECRECY_LABELS.items()],
        "document_type": [_option(row.code, row.name(locale)) for row in types],
        "due_date": "date",
    }
    return [{"value": name, "label": str(VARIABLE_LABELS[name]), "values": values[name]}
            for name in VARIABLE_LABELS if name in validation.KNOWN_VARIABLES]


def _option(value, label):
    return {"value": value, "label": str(label)}


def element_label(xml_root, element_id):
    """How the check's list names an element: its kind of element and its name, e.g. ขั้นตอน «ลงนาม»."""
    if not element_id:
        return ""
    found = xml_root.xpath("//*[@id=$id]", id=element_id)
    if not found:
        return element_id
    element = found[0]
    localname = element.tag.rsplit("}", 1)[-1]
    name = " ".join((element.get("name") or "").split())
    kind = str(diff.TYPE_LABELS.get(localname, localname))
    return f"{kind} «{name}»" if name else f"{kind} {element_id}"


TEXTS = {
    "nothingSelected": _l("Choose a step, a flow, a gateway, a timer or a lane in the diagram to change it here."),
    "name": _l("Name"),
    "kind": _l("Step kind"),
    "kindNone": _l("— choose the kind of step —"),
    "kindHelp": _l("What the step is: the product shows and completes it by its kind."),
    "decisionsOf": _l("Decisions this step can end with:"),
    "lane": _l("Who takes it (lane)"),
    "laneHelp": _l("The step moves into that role's lane."),
    "laneMissing": _l("(no such lane in the diagram)"),
    "laneNone": _l("— not in a role lane —"),
    "noLanes": _l("The diagram has no role lanes: add lanes named clerk, operator or manager."),
    "laneNotRole": _l("not a role: name it clerk, operator or manager"),
    "role": _l("Role of the lane"),
    "roleHelp": _l("Steps in this lane go to the holders of this role in the document's unit."),
    "parallel": _l("Parallel review by units"),
    "parallelHelp": _l("One task per unit, at the same time; the flow goes on when all have finished."),
    "units": _l("Reviewing units"),
    "unitsFilter": _l("Type to find a unit"),
    "unitsHint": _l("Tick each unit that reviews."),
    "unitsNone": _l("No unit matches."),
    "unitsRemove": _l("Remove"),
    "addStep": _l("Add the next step"),
    "addDecision": _l("Add a decision after this step"),
    "addTimer": _l("Add a reminder timer"),
    "newStep": _l("New step"),
    "newDecision": _l("Decision"),
    "newEnd": _l("End"),
    "reminded": _l("Reminded"),
    "remindName": _l("Remind after %(days)s days"),
    "escalateName": _l("Tell the manager after %(days)s days"),
    "outgoing": _l("Ways out of this gateway"),
    "gatewayHelp": _l("Choose a way to set its condition. Each way tests the decision of the step before, or "
                      "the document's speed, secrecy, type or due date."),
    "noCondition": _l("no condition"),
    "defaultFlow": _l("the default way"),
    "conditionOnlyGateway": _l("Conditions are set on the ways out of a gateway. Add a decision after the step "
                               "to branch."),
    "conditionVariable": _l("Goes this way when"),
    "conditionNone": _l("— always (no condition) —"),
    "conditionCustom": _l("(a condition written by hand)"),
    "conditionOperator": _l("is"),
    "conditionValue": _l("The value"),
    "conditionExpression": _l("Condition"),
    "conditionHelp": _l("Written in the safe expression language, for example decision == \"sign\"."),
    "defaultFlowToggle": _l("The default way (when no other condition holds)"),
    "operators": {"==": _l("equal to"), "!=": _l("not equal to"), "<": _l("before"), "<=": _l("on or before"),
                  ">": _l("after"), ">=": _l("on or after")},
    "boundaryOther": _l("An event on the step's edge (a recall or return message); only its name is edited here."),
    "timerKind": _l("When the time is up"),
    "timerNone": _l("— choose —"),
    "timerDays": _l("After (days)"),
    "timerRaw": _l("The diagram gives the time as"),
    "timerInterrupting": _l("Stop the step when the time is up"),
    "timerInterruptingHelp": _l("Leave unticked for a reminder: the step stays open."),
    "unsaved": _l("The diagram has changes that are not saved."),
    "offline": _l("The server could not be reached; nothing was saved. Try again."),
    "failed": _l("Something went wrong on our side. Nothing was saved. Please try again."),
    "publishing": _l("Saving and checking the diagram…"),
    "confirmImport": _l("Importing a file replaces the diagram and its unsaved changes. Go on?"),
    "confirmDiscard": _l("Discard the draft? The published versions stay as they are."),
    "loadError": _l("The diagram could not be drawn in this browser."),
}


def texts():
    return {name: ({key: str(value) for key, value in text.items()} if isinstance(text, dict) else str(text))
            for name, text in TEXTS.items()}
