// What the flow editor's panel changes in the diagram (templates/workflow/editor.html), through bpmn-js's modeling
// commands so each change can be undone: step kinds, lanes, parallel review, conditions, timers, and the
// "add a step / a decision / a reminder" buttons that build a flow without drag and drop.
// Extension attributes live in the esaraban namespace (app/workflow/steps.py): kind and units on a user task,
// timer on a boundary timer event.
(function () {
  "use strict";

  const DAYS = /^\s*["']?P(\d+)D["']?\s*$/;
  const GAP = 50;

  function is(element, type) {
    const object = element && (element.businessObject || element);
    return Boolean(object && object.$instanceOf && object.$instanceOf(type));
  }

  function FlowEditorModel(modeler, texts) {
    const get = (name) => modeler.get(name);
    const modeling = get("modeling");
    const factory = get("elementFactory");
    const registry = get("elementRegistry");
    const moddle = get("moddle");

    function expression(body) {
      return moddle.create("bpmn:FormalExpression", {body: body});
    }

    function center(element) {
      return {x: element.x + element.width / 2, y: element.y + element.height / 2};
    }

    function lanes() {
      return registry.filter((element) => is(element, "bpmn:Lane"));
    }

    // The innermost lane the element's centre lies in.
    function laneOf(element) {
      const point = center(element);
      const around = lanes().filter((lane) => point.x >= lane.x && point.x <= lane.x + lane.width
        && point.y >= lane.y && point.y <= lane.y + lane.height);
      around.sort((a, b) => a.width * a.height - b.width * b.height);
      return around[0] || null;
    }

    function laneNamed(role) {
      return lanes().find((lane) => (lane.businessObject.name || "").trim() === role) || null;
    }

    function moveToLane(element, role) {
      const lane = laneNamed(role);
      if (!lane || element.host) return;
      const delta = {x: 0, y: Math.round(center(lane).y - center(element).y)};
      modeling.moveElements([element], delta, element.parent);
    }

    // Move everything right of `start` further right by `dx`, widening the pool and lanes it crosses.
    function makeSpace(start, dx) {
      const spaceTool = get("spaceTool");
      const adjustments = spaceTool.calculateAdjustments(registry.getAll(), "x", dx, start);
      modeling.createSpace(adjustments.movingShapes, adjustments.resizingShapes, {x: dx, y: 0}, "e", start);
    }

    // A new shape after `source`: on the flow it had to the next element when it had one, else appended.
    function insertAfter(source, attrs) {
      const shape = factory.createShape(attrs);
      const flows = source.outgoing.filter((connection) => is(connection, "bpmn:SequenceFlow"));
      if (flows.length !== 1 || is(source, "bpmn:Gateway")) {
        return get("autoPlace").append(source, shape);
      }
      const flow = flows[0];
      makeSpace(source.x + source.width + 5, shape.width + GAP);
      const position = {x: source.x + source.width + GAP + shape.width / 2, y: center(source).y};
      const created = modeling.createShape(shape, position, source.parent);
      modeling.reconnectStart(flow, created, {x: created.x + created.width, y: center(created).y});
      modeling.layoutConnection(flow);
      modeling.connect(source, created);
      return created;
    }

    function addStep(source) {
      const step = insertAfter(source, {type: "bpmn:UserTask"});
      modeling.updateLabel(step, texts.newStep);
      return step;
    }

    // `position` (a centre), moved right until a shape of `size` there overlaps no other (lanes and pools
    // aside), with room for its label.
    function freeSpot(position, size) {
      const taken = registry.filter((element) => !element.waypoints && element.parent && element.type !== "label"
        && !is(element, "bpmn:Lane") && !is(element, "bpmn:Participant"));
      const clash = (x) => taken.some((element) => x - size < element.x + element.width + 20
        && x + size > element.x - 20 && position.y - size < element.y + element.height + 20
        && position.y + size + 20 > element.y - 20);
      let x = position.x;
      while (clash(x) && x < position.x + 2000) x += 60;
      return {x: x, y: position.y};
    }

    // A new end event below and right of `source`, inside the lane of `anchor` (made taller when it has
    // no room), so a reminder's or a second way's end is not drawn in another role's lane.
    function endBelow(source, anchor, name) {
      const y = anchor.y + anchor.height + 45;
      const lane = laneOf(anchor);
      if (lane && lane.y + lane.height < y + 45) {
        modeling.resizeLane(lane, {x: lane.x, y: lane.y, width: lane.width, height: y + 45 - lane.y});
      }
      const position = freeSpot({x: Math.round(center(source).x + 90), y: Math.round(y)}, 36);
      const end = modeling.appendShape(source, {type: "bpmn:EndEvent"}, position, source.host ? source.host.parent
        : source.parent);
      modeling.updateLabel(end, name);
      return end;
    }

    // An exclusive gateway after the step, its old way on and a second way to a new end event.
    function addDecision(step) {
      const gateway = insertAfter(step, {type: "bpmn:ExclusiveGateway"});
      modeling.updateLabel(gateway, texts.newDecision);
      endBelow(gateway, gateway, texts.newEnd);
      return gateway;
    }

    // A non-interrupting timer on the step's edge, leading to an end event of its own.
    function addTimer(step, days) {
      const shape = factory.createShape({type: "bpmn:BoundaryEvent", eventDefinitionType: "bpmn:TimerEventDefinition"});
      shape.businessObject.cancelActivity = false;
      const taken = (step.attachers || []).length;
      const x = Math.max(step.x + 18, step.x + step.width - 20 - 40 * taken);
      const timer = modeling.createShape(shape, {x: x, y: step.y + step.height}, step, {attach: true});
      setTimer(timer, {kind: "remind", days: days});
      endBelow(timer, step, texts.reminded);
      return timer;
    }

    function timerDefinition(event) {
      return (event.businessObject.eventDefinitions || []).find((one) => is(one, "bpmn:TimerEventDefinition"));
    }

    function timerOf(event) {
      const definition = timerDefinition(event);
      const duration = definition && definition.timeDuration ? definition.timeDuration.body || "" : "";
      const days = DAYS.exec(duration);
      return {kind: event.businessObject.get("esaraban:timer") || "", days: days ? Number(days[1]) : null,
        raw: duration, interrupting: event.businessObject.cancelActivity !== false};
    }

    function timerName(kind, days) {
      return (kind === "escalate" ? texts.escalateName : texts.remindName).replace("%(days)s", String(days));
    }

    // Change what is given of {kind, days, interrupting}; a name the editor gave follows the new values.
    function setTimer(event, change) {
      const before = timerOf(event);
      const after = {...before, ...change};
      const definition = timerDefinition(event);
      if (definition && change.days) {
        modeling.updateModdleProperties(event, definition, {timeDuration: expression(`"P${change.days}D"`)});
      }
      const properties = {"esaraban:timer": after.kind || undefined};
      if (change.interrupting !== undefined) properties.cancelActivity = change.interrupting;
      modeling.updateProperties(event, properties);
      const name = event.businessObject.name || "";
      if (!name || (before.days && name === timerName(before.kind, before.days))) {
        if (after.days) modeling.updateLabel(event, timerName(after.kind, after.days));
      }
    }

    function conditionOf(flow) {
      const condition = flow.businessObject.conditionExpression;
      return condition ? (condition.body || "").trim() : "";
    }

    function setCondition(flow, body) {
      modeling.updateProperties(flow, {conditionExpression: body ? expression(body) : undefined});
    }

    function isDefault(flow) {
      const source = flow.source && flow.source.businessObject;
      return Boolean(source && source.default === flow.businessObject);
    }

    function setDefault(flow, on) {
      if (on && conditionOf(flow)) setCondition(flow, "");
      modeling.updateProperties(flow.source, {default: on ? flow.businessObject : undefined});
    }

    // The decisions the flows out of `gateway` may test: those of the kinds of the steps that lead into it.
    function stepsBefore(gateway) {
      return gateway.incoming.map((flow) => flow.source).filter((source) => is(source, "bpmn:UserTask"));
    }

    function parallelOf(step) {
      const loop = step.businessObject.loopCharacteristics;
      const units = (step.businessObject.get("esaraban:units") || "").split(/\s+/).filter(Boolean);
      return {on: Boolean(loop && is(loop, "bpmn:MultiInstanceLoopCharacteristics")), units: units};
    }

    function setParallel(step, on) {
      if (on) {
        const loop = moddle.create("bpmn:MultiInstanceLoopCharacteristics", {isSequential: false});
        modeling.updateProperties(step, {loopCharacteristics: loop});
        setUnits(step, parallelOf(step).units);
      } else {
        modeling.updateProperties(step, {loopCharacteristics: undefined, "esaraban:units": undefined});
      }
    }

    // The units, and as many instances as units, so the diagram runs as drawn.
    function setUnits(step, codes) {
      modeling.updateProperties(step, {"esaraban:units": codes.length ? codes.join(" ") : undefined});
      const loop = step.businessObject.loopCharacteristics;
      if (loop) {
        modeling.updateModdleProperties(step, loop,
          {loopCardinality: codes.length ? expression(String(codes.length)) : undefined});
      }
    }

    return {is, laneOf, laneNamed, moveToLane, addStep, addDecision, addTimer, timerOf, setTimer, conditionOf,
      setCondition, isDefault, setDefault, stepsBefore, parallelOf, setParallel, setUnits,
      setName: (element, name) => modeling.updateLabel(element, name),
      setProperty: (element, name, value) => modeling.updateProperties(element, {[name]: value || undefined})};
  }

  window.FlowEditorModel = FlowEditorModel;
})();
