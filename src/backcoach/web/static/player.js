// The guided session player. The server holds the rules (steps, pain stops, doses); this
// script only plays steps, counts, speaks, and saves each exercise's outcome as it ends.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const TICK_MS = 200;
  const state = {
    session: null, steps: [], index: 0, doses: {}, pain: {}, stepStart: 0, pausedAt: null,
    counted: 0, voice: true, painBefore: null, endReason: null, endMessage: null, wakeLock: null,
  };

  async function api(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof data.detail === "string" ? data.detail : "Something went wrong. Please try again.";
      throw new Error(detail);
    }
    return data;
  }

  const current = () => state.steps[state.index];
  const storageKey = () => `backcoach-session-${state.session}`;

  function say(text) {
    if (!state.voice || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function announce(text) {
    $("announce").textContent = text; // milestones only: screen readers are not told every second
  }

  async function keepAwake() {
    try {
      if ("wakeLock" in navigator && document.visibilityState === "visible" && state.session) {
        state.wakeLock = await navigator.wakeLock.request("screen");
      }
    } catch (error) { /* the screen may still dim; nothing else depends on it */ }
  }

  function readPain(input, errorBox) {
    const raw = input.value.trim();
    if (raw === "") return null;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 10) {
      errorBox.textContent = "Please type a whole number from 0 to 10, or leave it empty.";
      errorBox.hidden = false;
      input.focus();
      throw new Error("bad pain");
    }
    errorBox.hidden = true;
    return value;
  }

  async function begin() {
    let painBefore;
    try { painBefore = readPain($("pain-before"), $("start-error")); } catch (e) { return; }
    state.voice = $("voice").checked;
    say("Let's start.");
    let data;
    try {
      data = await api("/api/v1/sessions", { resume: true });
    } catch (error) {
      $("start-error").textContent = error.message;
      $("start-error").hidden = false;
      return;
    }
    state.session = data.session_id;
    state.steps = data.steps;
    for (const e of data.exercises) state.doses[e.id] = e.dose;
    const saved = JSON.parse(localStorage.getItem(storageKey()) || "{}");
    state.painBefore = saved.painBefore ?? painBefore;
    localStorage.setItem(storageKey(), JSON.stringify({ ...saved, painBefore: state.painBefore }));
    const resumeAt = state.steps.findIndex((s) => s.kind === "position" && s.exercise_id === saved.exercise);
    state.index = resumeAt > 0 ? resumeAt : 0;
    $("start").hidden = true;
    if (!state.steps.length) return finishPlay("finished");
    $("player").hidden = false;
    $("hurts").hidden = false;
    keepAwake();
    if (data.resumed) announce("Welcome back. Carrying on where you were.");
    show();
    setInterval(tick, TICK_MS);
  }

  function show() {
    const step = current();
    state.stepStart = Date.now();
    state.counted = 0;
    const exercises = state.steps.filter((s) => s.kind === "position");
    const number = state.steps.slice(0, state.index + 1).filter((s) => s.kind === "position").length;
    $("ex-count").textContent = `Exercise ${Math.max(1, number)} of ${exercises.length}`;
    $("step-kind").textContent = step.kind.replace("_", " ");
    $("ex-name").textContent = step.exercise_name;
    $("cue").textContent = step.cue;
    $("details").replaceChildren(...step.details.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    $("sub").textContent = facts(step);
    $("next").textContent = step.kind === "position" ? "I'm ready" : "Next";
    const saved = JSON.parse(localStorage.getItem(storageKey()) || "{}");
    localStorage.setItem(storageKey(), JSON.stringify({ ...saved, exercise: step.exercise_id }));
    if (step.kind === "position") announce(`Next exercise: ${step.exercise_name}.`);
    if (step.kind === "switch_side") announce("Switch sides.");
    say(step.cue);
    render();
  }

  function facts(step) {
    const parts = [];
    if (step.side) parts.push(`${step.side} side`);
    if (step.sets > 1) parts.push(`set ${step.set_number} of ${step.sets}`);
    if (step.kind === "hold" && step.reps > 1) parts.push(`hold ${step.rep} of ${step.reps}`);
    if (step.breaths) parts.push(`${step.breaths} breath${step.breaths > 1 ? "s" : ""}`);
    if (step.kind === "reps") parts.push("tap the number to count yourself");
    return parts.join(" · ");
  }

  function elapsed() {
    const now = state.pausedAt ?? Date.now();
    return (now - state.stepStart) / 1000;
  }

  function render() {
    const step = current();
    if (!step) return;
    const seconds = elapsed();
    if (step.kind === "reps") {
      const auto = Math.min(step.reps, Math.floor(seconds / step.rep_seconds) + 1);
      $("big").textContent = `${Math.max(auto, state.counted)} / ${step.reps}`;
    } else if (step.timed) {
      $("big").textContent = String(Math.max(0, Math.ceil(step.seconds - seconds)));
    } else {
      $("big").textContent = "";
    }
    const done = state.steps.slice(0, state.index).reduce((sum, s) => sum + s.seconds, 0);
    const total = state.steps.reduce((sum, s) => sum + s.seconds, 0);
    $("progress").value = total ? Math.round((100 * (done + Math.min(seconds, step.seconds))) / total) : 0;
  }

  function tick() {
    const step = current();
    if (!step || state.pausedAt !== null || state.endReason) return;
    render();
    const over = elapsed() >= step.seconds;
    if ((step.timed && over) || (step.kind === "reps" && (over || state.counted >= step.reps))) next();
  }

  function exerciseEndsAfter(index) {
    const step = state.steps[index];
    const following = state.steps[index + 1];
    return !following || following.between || following.exercise_id !== step.exercise_id;
  }

  async function saveOutcome(exerciseId, status) {
    const body = { exercise_id: exerciseId, status, dose: state.doses[exerciseId], pain: state.pain[exerciseId] || null };
    try {
      await api(`/api/v1/sessions/${state.session}/outcomes`, body);
    } catch (error) {
      announce(`Could not save ${exerciseId}: ${error.message}`);
    }
  }

  function next() {
    const step = current();
    if (!step || state.endReason) return;
    const ended = exerciseEndsAfter(state.index) && !step.between;
    state.index += 1;
    if (ended) saveOutcome(step.exercise_id, "done");
    if (state.index >= state.steps.length) return finishPlay("finished");
    show();
  }

  function jumpPast(exerciseId) {
    let i = state.index;
    while (i < state.steps.length && (state.steps[i].exercise_id === exerciseId)) i += 1;
    state.index = i;
    if (state.index >= state.steps.length) return finishPlay("finished");
    show();
  }

  function skip() {
    const step = current();
    if (!step || state.endReason) return;
    const id = step.exercise_id;
    saveOutcome(id, state.pain[id] ? "stopped_for_pain" : "skipped");
    announce(`Skipped ${step.exercise_name}.`);
    jumpPast(id);
  }

  // This hurts ----------------------------------------------------------------------------

  function hurts() {
    if (!current() || state.endReason) return;
    state.pausedAt = Date.now();
    $("pain-form").reset();
    $("pain-form").hidden = false;
    $("pain-options").hidden = true;
    $("pain-error").hidden = true;
    $("pain-dialog").showModal();
    say("Stop. Tell me what it feels like.");
  }

  function resume() {
    if (state.pausedAt !== null) state.stepStart += Date.now() - state.pausedAt;
    state.pausedAt = null;
  }

  async function reportPain(event) {
    event.preventDefault();
    const form = new FormData($("pain-form"));
    const score = Number(form.get("score"));
    if (!form.get("kind") || !Number.isInteger(score) || score < 0 || score > 10) {
      $("pain-error").textContent = "Please choose what it feels like and give a number from 0 to 10.";
      $("pain-error").hidden = false;
      return;
    }
    const step = current();
    const pain = { kind: form.get("kind"), score, place: form.get("place") };
    let decision;
    try {
      decision = await api(`/api/v1/sessions/${state.session}/pain`, {
        exercise_id: step.exercise_id, dose: state.doses[step.exercise_id], pain, between: step.between,
      });
    } catch (error) {
      $("pain-error").textContent = error.message;
      $("pain-error").hidden = false;
      return;
    }
    state.pain[step.exercise_id] = pain;
    if (decision.action === "end_session") {
      $("pain-dialog").close();
      state.endMessage = decision.message;
      say(decision.message);
      return finishPlay("pain");
    }
    $("pain-form").hidden = true;
    $("pain-options").hidden = false;
    $("pain-message").textContent = decision.message;
    $("option-buttons").replaceChildren(...decision.options.map((option) => {
      const button = Object.assign(document.createElement("button"), { type: "button", className: "button", textContent: option.label });
      button.addEventListener("click", () => choose(option));
      return button;
    }));
    $("option-buttons").querySelector("button").focus();
  }

  async function choose(option) {
    const step = current();
    const id = step.exercise_id;
    let answer;
    try {
      answer = await api(`/api/v1/sessions/${state.session}/choice`, { exercise_id: id, dose: state.doses[id], option: option.kind });
    } catch (error) {
      $("pain-message").textContent = error.message;
      return;
    }
    $("pain-dialog").close();
    resume();
    if (option.kind === "skip") return skip();
    let end = state.index;
    while (end < state.steps.length && state.steps[end].exercise_id === id && !(end > state.index && state.steps[end].between)) end += 1;
    if (option.kind === "easier_exercise") {
      saveOutcome(id, "stopped_for_pain");
      state.doses[answer.exercise.id] = answer.exercise.dose;
      state.steps.splice(state.index, end - state.index, ...answer.steps);
    } else {
      state.doses[id] = answer.exercise.dose;
      const first = state.steps[state.index].kind === "position" ? state.index + 1 : state.index;
      state.steps.splice(first, end - first, ...answer.steps);
      state.index = first;
      announce("Carry on gently, with a smaller movement.");
    }
    show();
  }

  // The end -------------------------------------------------------------------------------

  function finishPlay(reason) {
    state.endReason = reason;
    $("player").hidden = true;
    $("hurts").hidden = true;
    $("checkin").hidden = false;
    if (state.endMessage) {
      $("end-message").textContent = state.endMessage;
      $("end-message").hidden = false;
    }
    announce(reason === "finished" ? "Session finished. Well done." : "Session stopped.");
    $("pain-after").focus();
  }

  async function saveCheckin() {
    let painAfter;
    try { painAfter = readPain($("pain-after"), $("checkin-error")); } catch (e) { return; }
    const difficulty = document.querySelector("input[name=difficulty]:checked")?.value ?? null;
    try {
      await api(`/api/v1/sessions/${state.session}/finish`, {
        end_reason: state.endReason, pain_before: state.painBefore, pain_after: painAfter, difficulty,
      });
    } catch (error) {
      $("checkin-error").textContent = error.message;
      $("checkin-error").hidden = false;
      return;
    }
    localStorage.removeItem(storageKey());
    $("checkin").hidden = true;
    $("saved").hidden = false;
    $("saved").querySelector("a").focus();
  }

  // Wiring --------------------------------------------------------------------------------

  $("begin").addEventListener("click", begin);
  $("next").addEventListener("click", next);
  $("skip").addEventListener("click", skip);
  $("hurts").addEventListener("click", hurts);
  $("big").addEventListener("click", () => { state.counted += 1; render(); });
  $("pain-form").addEventListener("submit", reportPain);
  $("pain-dialog").addEventListener("close", resume);
  $("save-checkin").addEventListener("click", saveCheckin);
  document.addEventListener("visibilitychange", keepAwake);
  document.addEventListener("keydown", (event) => {
    if ($("pain-dialog").open || $("player").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const onControl = event.target.closest && event.target.closest("button, input, select, a");
    const key = event.key.toLowerCase();
    if ((key === " " || key === "enter") && !onControl) { event.preventDefault(); next(); }
    else if (key === "s") skip();
    else if (key === "h") hurts();
    else if (key === "v") { state.voice = !state.voice; announce(state.voice ? "Voice on." : "Voice off."); }
  });
})();
