"""What the workflow layer raises; callers never see SpiffWorkflow's own exceptions."""


class WorkflowError(Exception):
    """A step the flow does not allow now (no such ready task, a condition that cannot be decided...)."""


class InvalidDefinition(WorkflowError):
    """A diagram refused at publish; the message says why."""
