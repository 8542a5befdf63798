"""The kinds of human step the product knows how to show and complete (issue 16 item 1).

A user task in a diagram names its kind in an extension attribute, `esaraban:kind="review"` (namespace
KIND_NAMESPACE), and the lane (role) that takes it. The services find and complete the open step of a
kind, whatever the diagram calls the task, and the decisions a step offers are those the diagram's flows
out of it test (`decision == "sign"` on the flows of the gateway after it): a diagram with no send-back
path after a review offers no send-back.

Each kind's form, permission rule, notifications and audit entry live with the service that completes it
(app/handling, app/routing); this module only says what the kinds are and reads them from a diagram.
"""
import re
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from app.core.messages import lazy_gettext as _l

KIND_NAMESPACE = "https://e-saraban.local/bpmn/extensions"
KIND_ATTRIBUTE = f"{{{KIND_NAMESPACE}}}kind"
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_DECISION_TEST = re.compile(r"""\bdecision\s*==\s*["']([a-z_]+)["']""")


class StepKind(StrEnum):
    REGISTER = "register"  # ลงรับหรือตีกลับ: a delivery arrives at the unit (flow 1)
    ROUTE = "route"        # the clerk routes it in the unit: assign, to the manager, forward, close
    INSTRUCT = "instruct"  # the manager's instruction (เกษียนหนังสือ) and assignment
    WORK = "work"          # the operator works on it: progress, propose for signature, finished
    REVIEW = "review"      # a manager considers it: sign, endorse up the chain, send back
    REVISE = "revise"      # the proposer after a send-back: propose again or withdraw
    FINISH = "finish"      # the clerk after the work: close, forward or assign again
    COSIGN = "cosign"      # a co-signer of a signed letter: co-sign or decline (send back)


@dataclass(frozen=True)
class KindSpec:
    label: object
    decisions: tuple  # every decision a step of this kind may complete with


KINDS = {
    StepKind.REGISTER: KindSpec(_l("Register or return"), ("register", "return")),
    StepKind.ROUTE: KindSpec(_l("Route within the unit"), ("assign", "to_manager", "forward", "close")),
    StepKind.INSTRUCT: KindSpec(_l("Give instructions"), ("assign", "forward", "close")),
    StepKind.WORK: KindSpec(_l("Do the work"), ("propose", "done")),
    StepKind.REVIEW: KindSpec(_l("Consider for signature"), ("sign", "endorse", "send_back")),
    StepKind.REVISE: KindSpec(_l("Revise as remarked"), ("resubmit", "withdraw")),
    StepKind.FINISH: KindSpec(_l("Close or forward"), ("close", "forward", "assign")),
    StepKind.COSIGN: KindSpec(_l("Co-sign"), ("cosign", "decline")),
}

# The kinds of the tasks of the diagrams shipped before tasks named their kind: versions published then
# still run (a running instance keeps its version), so their steps are known by these ids.
SHIPPED_TASK_KINDS = {
    "review_delivery": StepKind.REGISTER, "triage": StepKind.ROUTE, "instruct": StepKind.INSTRUCT,
    "work": StepKind.WORK, "sign_off": StepKind.REVIEW, "revise": StepKind.REVISE, "finish": StepKind.FINISH,
    "cosign": StepKind.COSIGN,
}


@dataclass(frozen=True)
class Step:
    """A user task of a diagram as the product runs it."""
    task_id: str
    kind: StepKind
    decisions: frozenset  # what its outgoing flows test; all of the kind's when they test none


class UnknownKind(ValueError):
    """A user task without a kind, or with one the product does not know."""

    def __init__(self, task_id, kind):
        super().__init__(f"{task_id}: a user task must name its step kind (esaraban:kind, one of "
                         f"{', '.join(kind.value for kind in StepKind)}), found {kind!r}")
        self.task_id = task_id


def steps_of(root, *, legacy=False):
    """{task id: Step} of every user task in the diagram `root` (an lxml element). `legacy` accepts a
    shipped task without the attribute (versions published before kinds were named)."""
    flows = {flow.get("id"): flow for flow in root.iter(f"{{{_BPMN}}}sequenceFlow")}
    by_id = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str)}
    steps = {}
    for task in root.iter(f"{{{_BPMN}}}userTask"):
        task_id = task.get("id")
        value = task.get(KIND_ATTRIBUTE) or (SHIPPED_TASK_KINDS.get(task_id) if legacy else None)
        try:
            kind = StepKind(value)
        except ValueError:
            raise UnknownKind(task_id, value) from None
        tested = _decisions_after(task, flows, by_id)
        allowed = set(KINDS[kind].decisions)
        steps[task_id] = Step(task_id, kind, frozenset(tested & allowed) if tested else frozenset(allowed))
    return steps


def _decisions_after(task, flows, by_id):
    """The decisions the flows out of `task` test, directly or on the gateway it leads to."""
    tested = set()
    for outgoing in task.iterfind(f"{{{_BPMN}}}outgoing"):
        flow = flows.get((outgoing.text or "").strip())
        if flow is None:
            continue
        tested |= _tested(flow)
        target = by_id.get(flow.get("targetRef"))
        if target is not None and etree.QName(target).localname.endswith("Gateway"):
            for leaving in target.iterfind(f"{{{_BPMN}}}outgoing"):
                gateway_flow = flows.get((leaving.text or "").strip())
                if gateway_flow is not None:
                    tested |= _tested(gateway_flow)
    return tested


def _tested(flow):
    condition = flow.find(f"{{{_BPMN}}}conditionExpression")
    return set(_DECISION_TEST.findall(condition.text or "")) if condition is not None else set()
