"""Publishing a flow (issue 16): the checks a diagram passes at publish (well-formed, BPMN schema, allowed
elements, step kinds, the executable process, SpiffWorkflow's parse, every expression) for a generated
diagram of N user tasks in a chain, each followed by a gateway deciding on `decision`; p50/p95.

    .venv/bin/python -m tests.bench.flows [--tasks 50] [--runs 30]

No database: it times app.workflow.validation.check, what definitions.publish runs before storing.
"""
import argparse
import statistics
import time

from app.workflow import validation

KINDS = ("route", "work", "review")
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/'
        '20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:esaraban="https://e-saraban.local/bpmn/extensions" id="Definitions_bench" '
        'targetNamespace="https://e-saraban.local/bpmn">\n')


def diagram(tasks):
    """A chain start -> task 1 -> gateway 1 -> ... -> task N -> end; each gateway ends the flow on "close"."""
    lanes = {"route": "clerk", "work": "operator", "review": "manager"}
    nodes, flows, lane_refs = ['<bpmn:startEvent id="start"><bpmn:outgoing>f_start</bpmn:outgoing></bpmn:startEvent>',
                               '<bpmn:endEvent id="done"><bpmn:incoming>f_last</bpmn:incoming>'
                               + "".join(f"<bpmn:incoming>f_close_{n}</bpmn:incoming>" for n in range(1, tasks + 1))
                               + "</bpmn:endEvent>"], [], {lane: [] for lane in lanes.values()}
    flows.append('<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="task_1" />')
    for n in range(1, tasks + 1):
        kind = KINDS[n % len(KINDS)]
        lane_refs[lanes[kind]].append(f"task_{n}")
        incoming = "f_start" if n == 1 else f"f_next_{n - 1}"
        nodes.append(f'<bpmn:userTask id="task_{n}" esaraban:kind="{kind}" name="ขั้นตอนที่ {n}">'
                     f"<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>f_task_{n}</bpmn:outgoing>"
                     "</bpmn:userTask>")
        onward = f"f_next_{n}" if n < tasks else "f_last"
        nodes.append(f'<bpmn:exclusiveGateway id="gw_{n}"><bpmn:incoming>f_task_{n}</bpmn:incoming>'
                     f"<bpmn:outgoing>{onward}</bpmn:outgoing><bpmn:outgoing>f_close_{n}</bpmn:outgoing>"
                     "</bpmn:exclusiveGateway>")
        target = f"task_{n + 1}" if n < tasks else "done"
        flows.append(f'<bpmn:sequenceFlow id="f_task_{n}" sourceRef="task_{n}" targetRef="gw_{n}" />')
        flows.append(f'<bpmn:sequenceFlow id="{onward}" sourceRef="gw_{n}" targetRef="{target}">'
                     '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision != "close"'
                     "</bpmn:conditionExpression></bpmn:sequenceFlow>")
        flows.append(f'<bpmn:sequenceFlow id="f_close_{n}" sourceRef="gw_{n}" targetRef="done">'
                     '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "close"'
                     "</bpmn:conditionExpression></bpmn:sequenceFlow>")
    lanes_xml = "".join(f'<bpmn:lane id="lane_{lane}" name="{lane}">'
                        + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs) + "</bpmn:lane>"
                        for lane, refs in lane_refs.items())
    return (HEAD + '<bpmn:process id="bench" isExecutable="true"><bpmn:laneSet id="lanes">' + lanes_xml
            + "</bpmn:laneSet>" + "".join(nodes) + "".join(flows) + "</bpmn:process></bpmn:definitions>\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    xml = diagram(args.tasks)
    validation.check(xml)  # warm: the BPMN schema is loaded once per process
    samples = []
    for _ in range(args.runs):
        started = time.perf_counter()
        validation.check(xml)
        samples.append(time.perf_counter() - started)
    ordered = sorted(samples)
    p50, p95 = statistics.median(ordered) * 1000, ordered[max(0, round(len(ordered) * 0.95) - 1)] * 1000
    print(f"publish-time checks of a {args.tasks}-task diagram ({len(xml) // 1024} KB): "
          f"p50 {p50:.0f} ms   p95 {p95:.0f} ms   ({args.runs} runs)")


if __name__ == "__main__":
    main()
