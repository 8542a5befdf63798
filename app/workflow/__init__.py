"""Document flows as BPMN diagrams run by SpiffWorkflow; the only package that imports it.

definitions: publish/current/spec_for (versions keyed by sha256, parsed once per process)
engine:      start/complete/send_message/waiting_for_message/ready_task_names/outcome/refresh_timers
errors:      WorkflowError, InvalidDefinition
expressions: the safe expression language (simpleeval) used for every condition; scripts are refused
"""
