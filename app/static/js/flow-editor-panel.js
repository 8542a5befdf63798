// The flow editor's properties panel (templates/workflow/editor.html): plain DOM for the element chosen in the
// diagram, with what our flows use: its name; for a step its kind, its lane (role), parallel review by units
// and buttons that add the next step, a decision or a reminder; for a flow out of a gateway a condition on the
// variables steps set; for a timer on a step's edge what it does and after how many days. Texts and lists come
// from the server (app/workflow/editor_catalog.py); changes go through FlowEditorModel, so they can be undone.
(function () {
  "use strict";

  const CONDITION = /^\s*([a-z_]+)\s*(==|!=|<=|>=|<|>)\s*["']([^"']*)["']\s*$/;
  const OPERATORS = ["==", "!=", "<", "<=", ">", ">="];

  function node(tag, options, ...children) {
    const element = document.createElement(tag);
    Object.entries(options || {}).forEach(([name, value]) => {
      if (value === undefined || value === null) return;
      if (name === "text") element.textContent = value;
      else if (name === "testid") element.dataset.testid = value;
      else if (name in element) element[name] = value;
      else if (value !== false) element.setAttribute(name, value === true ? "" : value);
    });
    element.append(...children.filter(Boolean));
    return element;
  }

  function typeName(element) {
    const local = element.businessObject.$type.split(":")[1];
    return local.charAt(0).toLowerCase() + local.slice(1);
  }

  function FlowEditorPanel(container, modeler, model, config) {
    const T = config.texts;
    const registry = modeler.get("elementRegistry");
    const selection = modeler.get("selection");
    const eventBus = modeler.get("eventBus");
    const decisionLabels = Object.fromEntries(config.kinds.flatMap((kind) => kind.decisions)
      .map((decision) => [decision.value, decision.label]));
    let current = null;
    let busy = false;
    let fieldCount = 0;

    eventBus.on("selection.changed", (event) => show(event.newSelection.length === 1 ? event.newSelection[0] : null));
    eventBus.on("elements.changed", (event) => {
      if (!busy && current && event.elements.some((element) => element.id === current.id)) show(current);
    });

    // Run modeling changes without redrawing the panel under the admin's fingers; redraw after if asked.
    function change(work, redraw) {
      busy = true;
      try {
        work();
      } finally {
        busy = false;
      }
      if (redraw) show(current);
    }

    function field(label, control, help, testid) {
      const id = `flow-panel-field-${++fieldCount}`;
      control.id = id;
      if (testid) control.dataset.testid = testid;
      const isCheck = control.type === "checkbox";
      const wrapper = node("div", {className: isCheck ? "form-check mb-2" : "mb-2"});
      const labelNode = node("label", {className: isCheck ? "form-check-label" : "form-label small mb-0", htmlFor: id,
        text: label});
      if (isCheck) wrapper.append(control, labelNode);
      else wrapper.append(labelNode, control);
      if (help) wrapper.append(node("div", {className: "form-text mt-0", text: help}));
      return wrapper;
    }

    function select(options, value, onChange) {
      const control = node("select", {className: "form-select form-select-sm"});
      options.forEach((option) => control.append(node("option", {value: option.value, text: option.label,
        disabled: option.disabled})));
      control.value = value;
      control.addEventListener("change", () => onChange(control.value));
      return control;
    }

    function input(type, value, onChange, extra) {
      const control = node("input", {type: type, className: type === "checkbox" ? "form-check-input"
        : "form-control form-control-sm", ...(extra || {})});
      if (type === "checkbox") control.checked = Boolean(value);
      else control.value = value;
      control.addEventListener("change", () => onChange(type === "checkbox" ? control.checked : control.value));
      return control;
    }

    function action(label, testid, work) {
      const button = node("button", {type: "button", className: "btn btn-sm btn-outline-primary", text: label,
        testid: testid});
      button.addEventListener("click", () => {
        const created = work();
        if (!created) return;
        selection.select(created);
        modeler.get("canvas").scrollToElement(created, {top: 80, bottom: 80, left: 120, right: 80});
      });
      return button;
    }

    function show(element) {
      const target = element && element.labelTarget ? element.labelTarget : element;
      current = target && registry.get(target.id) && target.parent ? target : null;
      container.replaceChildren();
      container.dataset.elementId = current ? current.id : "";
      if (!current) {
        container.append(node("p", {className: "small text-muted mb-0", text: T.nothingSelected}));
        return;
      }
      const type = typeName(current);
      container.append(node("h2", {className: "h6 mb-0", text: config.types[type] || type}),
        node("div", {className: "small text-muted mb-2"}, node("code", {text: current.id})));
      if (!model.is(current, "bpmn:Lane")) {
        container.append(field(T.name, input("text", current.businessObject.name || "",
          (value) => change(() => model.setName(current, value.trim()))), null, "panel-name"));
      }
      if (model.is(current, "bpmn:UserTask")) showStep();
      else if (model.is(current, "bpmn:Lane")) showLane();
      else if (model.is(current, "bpmn:SequenceFlow")) showFlow();
      else if (model.is(current, "bpmn:BoundaryEvent")) showBoundary();
      else if (model.is(current, "bpmn:Gateway")) showGateway();
      else if (model.is(current, "bpmn:StartEvent") || model.is(current, "bpmn:Task")) {
        container.append(actions([action(T.addStep, "panel-add-step", () => model.addStep(current))]));
      }
    }

    function actions(buttons) {
      return node("div", {className: "d-flex flex-wrap gap-2 mt-3"}, ...buttons);
    }

    function showStep() {
      const step = current;
      const kind = step.businessObject.get("esaraban:kind") || "";
      const options = [{value: "", label: T.kindNone}, ...config.kinds];
      if (kind && !config.kinds.some((one) => one.value === kind)) options.push({value: kind, label: kind});
      const spec = config.kinds.find((one) => one.value === kind);
      const help = spec ? `${T.decisionsOf} ${spec.decisions.map((one) => one.label).join(", ")}` : T.kindHelp;
      container.append(field(T.kind, select(options, kind,
        (value) => change(() => model.setProperty(step, "esaraban:kind", value), true)), help, "panel-kind"));
      showStepLane(step);
      showParallel(step);
      container.append(actions([
        action(T.addStep, "panel-add-step", () => model.addStep(step)),
        action(T.addDecision, "panel-add-decision", () => model.addDecision(step)),
        action(T.addTimer, "panel-add-timer", () => model.addTimer(step, 2)),
      ]));
    }

    function showStepLane(step) {
      const lane = model.laneOf(step);
      const role = lane ? (lane.businessObject.name || "").trim() : "";
      const options = config.roles.map((one) => ({value: one.value, disabled: !model.laneNamed(one.value),
        label: model.laneNamed(one.value) ? one.label : `${one.label} ${T.laneMissing}`}));
      if (!config.roles.some((one) => one.value === role)) options.unshift({value: role, label: role || T.laneNone});
      container.append(field(T.lane, select(options, role,
        (value) => change(() => model.moveToLane(step, value), true)), options.length > 1 ? T.laneHelp : T.noLanes,
      "panel-lane"));
    }

    function showParallel(step) {
      const parallel = model.parallelOf(step);
      container.append(field(T.parallel, input("checkbox", parallel.on,
        (on) => change(() => model.setParallel(step, on), true)), T.parallelHelp, "panel-parallel"));
      if (!parallel.on) return;
      const units = node("select", {multiple: true, className: "form-select form-select-sm"});
      Object.assign(units.dataset, {pickerFilter: T.unitsFilter, pickerHint: T.unitsHint, pickerNone: T.unitsNone,
        pickerRemove: T.unitsRemove});
      config.units.forEach((unit) => {
        const option = node("option", {value: unit.value, text: unit.label});
        option.dataset.search = unit.search;
        option.selected = parallel.units.includes(unit.value);
        units.append(option);
      });
      const wrapper = field(T.units, units, null, "panel-units");
      container.append(wrapper);
      const sync = () => change(() => model.setUnits(step, [...units.selectedOptions].map((option) => option.value)));
      units.addEventListener("change", sync);
      // the picker's chips deselect without a change event: read the select again after their click
      wrapper.addEventListener("click", (event) => {
        if (event.target.closest(".unit-picker-chip button")) setTimeout(sync, 0);
      });
      if (window.makeUnitPicker) window.makeUnitPicker(units);
    }

    function showLane() {
      const lane = current;
      const role = (lane.businessObject.name || "").trim();
      const options = [...config.roles];
      if (!options.some((one) => one.value === role)) options.unshift({value: role, label: role || T.laneNone});
      container.append(field(T.role, select(options, role, (value) => change(() => model.setName(lane, value), true)),
        T.roleHelp, "panel-role"));
    }

    function showGateway() {
      const gateway = current;
      const list = node("div", {className: "list-group list-group-flush small", testid: "panel-outgoing"});
      gateway.outgoing.filter((flow) => model.is(flow, "bpmn:SequenceFlow")).forEach((flow) => {
        const condition = model.conditionOf(flow) || (model.isDefault(flow) ? T.defaultFlow : T.noCondition);
        const label = flow.businessObject.name || (flow.target && flow.target.businessObject.name) || flow.id;
        const button = node("button", {type: "button", className: "list-group-item list-group-item-action px-1"},
          node("span", {text: `→ ${label}`}), node("br"), node("code", {className: "small", text: condition}));
        button.dataset.elementId = flow.id;
        button.addEventListener("click", () => selection.select(flow));
        list.append(button);
      });
      container.append(node("div", {className: "small fw-semibold mt-2", text: T.outgoing}), list,
        node("div", {className: "form-text", text: T.gatewayHelp}),
        actions([action(T.addStep, "panel-add-step", () => model.addStep(gateway))]));
    }

    function showFlow() {
      const flow = current;
      if (!flow.source || !model.is(flow.source, "bpmn:Gateway")) {
        container.append(node("p", {className: "small text-muted", text: T.conditionOnlyGateway}));
        return;
      }
      const body = model.conditionOf(flow);
      const parsed = CONDITION.exec(body);
      const variable = parsed ? parsed[1] : (body ? "custom" : "");
      const options = [{value: "", label: T.conditionNone}, ...config.variables];
      if (variable === "custom" || (parsed && !config.variables.some((one) => one.value === variable))) {
        options.push({value: variable, label: T.conditionCustom});
      }
      const spec = config.variables.find((one) => one.value === variable);
      container.append(field(T.conditionVariable, select(options, variable, (value) => {
        const chosen = config.variables.find((one) => one.value === value);
        const values = chosen ? valuesOf(chosen, flow) : [];
        setCondition(flow, chosen ? value : "", "==", values.length ? values[0].value : "");
      }), null, "panel-condition-variable"));
      if (spec) {
        const operator = parsed ? parsed[2] : "==";
        const value = parsed ? parsed[3] : "";
        const operators = (spec.values === "date" ? OPERATORS : OPERATORS.slice(0, 2))
          .map((one) => ({value: one, label: T.operators[one]}));
        container.append(field(T.conditionOperator, select(operators, operator,
          (chosen) => setCondition(flow, variable, chosen, value)), null, "panel-condition-operator"));
        const values = valuesOf(spec, flow);
        const control = spec.values === "date"
          ? input("date", value, (chosen) => setCondition(flow, variable, operator, chosen))
          : select(values.some((one) => one.value === value) ? values : [{value: value, label: value}, ...values],
            value, (chosen) => setCondition(flow, variable, operator, chosen));
        container.append(field(T.conditionValue, control, null, "panel-condition-value"));
      }
      container.append(field(T.conditionExpression, input("text", body,
        (typed) => change(() => model.setCondition(flow, typed.trim()), true), {spellcheck: false,
          autocapitalize: "none"}), T.conditionHelp, "panel-condition-expression"));
      container.append(field(T.defaultFlowToggle, input("checkbox", model.isDefault(flow),
        (on) => change(() => model.setDefault(flow, on), true)), null, "panel-default-flow"));
    }

    // The values a condition on `variable` may compare with; a decision's are those of the steps before.
    function valuesOf(variable, flow) {
      if (variable.values !== null) return Array.isArray(variable.values) ? variable.values : [];
      const kinds = model.stepsBefore(flow.source).map((step) => step.businessObject.get("esaraban:kind"));
      const known = config.kinds.filter((kind) => kinds.includes(kind.value));
      const decisions = (known.length ? known : config.kinds).flatMap((kind) => kind.decisions);
      return decisions.filter((one, index) => decisions.findIndex((other) => other.value === one.value) === index);
    }

    function setCondition(flow, variable, operator, value) {
      change(() => {
        model.setCondition(flow, variable && value !== "" ? `${variable} ${operator} "${value}"` : "");
        const name = flow.businessObject.name || "";
        if (variable === "decision" && operator === "==" && (!name || Object.values(decisionLabels).includes(name))) {
          model.setName(flow, decisionLabels[value] || name);
        }
      }, true);
    }

    function showBoundary() {
      const event = current;
      const timer = model.timerOf(event);
      if (!(event.businessObject.eventDefinitions || []).some((one) => model.is(one, "bpmn:TimerEventDefinition"))) {
        container.append(node("p", {className: "small text-muted", text: T.boundaryOther}));
        return;
      }
      const kinds = [{value: "", label: T.timerNone}, ...config.timers];
      container.append(field(T.timerKind, select(kinds, timer.kind,
        (value) => change(() => model.setTimer(event, {kind: value}), true)), null, "panel-timer-kind"));
      container.append(field(T.timerDays, input("number", timer.days || "", (value) => {
        const days = Math.round(Number(value));
        if (days >= 1) change(() => model.setTimer(event, {days: days}), true);
      }, {min: 1, max: 365, inputmode: "numeric"}), timer.days ? null : timer.raw && `${T.timerRaw} ${timer.raw}`,
      "panel-timer-days"));
      container.append(field(T.timerInterrupting, input("checkbox", timer.interrupting,
        (on) => change(() => model.setTimer(event, {interrupting: on}), true)), T.timerInterruptingHelp,
      "panel-timer-interrupting"));
    }

    show(null);
    return {show: show};
  }

  window.FlowEditorPanel = FlowEditorPanel;
})();
