"""What the workflow layer raises; callers never see SpiffWorkflow's own exceptions."""


class WorkflowError(Exception):
    """A step the flow does not allow now (no such ready task, a condition that cannot be decided...)."""


class InvalidDefinition(WorkflowError):
    """A diagram refused at publish; the message says why, and `element_id` names the diagram element it
    is about (None when it is about the whole file), so the editor can point at it; `rule` names the
    check that refused it when it is one of bpmnlint's rules or the dry run."""

    def __init__(self, message, element_id=None, *, rule=None):
        super().__init__(message)
        self.element_id = element_id
        self.rule = rule
