// The guided session player. The server holds the rules (steps, pain stops, doses); this
// script only plays steps, counts, speaks, and saves each exercise's outcome as it ends.
// Time is measured with Date.now(), so a throttled or sleeping tab catches up when it wakes.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const TICK_MS = 200;
  const KIND_WORDS = {
    position: "Get ready", hold: "Hold", relax: "Relax", reps: "Repeats", rest: "Rest", switch_side: "Switch sides",
  };
  const state = {
    session: null, steps: [], index: 0, stepStart: 0, pausedAt: null, tapped: 0, lastRep: 0,
    doneBefore: 0, voice: true, painBefore: null, endReason: null, endMessage: null, decision: null, timer: null,
    wakeLock: null,
  };

  async function api(path, body, keepalive = false) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive, // an outcome sent just before a reload still arrives
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(typeof data.detail === "string" ? data.detail : "Something went wrong. Please try again.");
    }
    return data;
  }

  const current = () => state.steps[state.index];

  // What this browser remembers about the session: pain before, pain reports, and how it ended.
  const storageKey = () => `backcoach-session-${state.session}`;
  const remembered = () => JSON.parse(localStorage.getItem(storageKey()) || "{}");
  const remember = (values) => localStorage.setItem(storageKey(), JSON.stringify({ ...remembered(), ...values }));

  function say(text, queue = false) {
    if (!state.voice || !("speechSynthesis" in window)) return;
    if (!queue) window.speechSynthesis.cancel(); // a new cue cuts the old one short
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function announce(text) {
    $("announce").textContent = text; // milestones only: screen readers are not told every second
  }

  async function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || !state.session || state.endReason) return;
    try {
      state.wakeLock = await navigator.wakeLock.request("screen");
    } catch (error) { /* the screen may still dim; nothing else depends on it */ }
  }

  function showError(box, message) {
    box.textContent = message;
    box.hidden = false;
  }

  function readPain(input, errorBox) {
    const raw = input.value.trim();
    if (raw === "") return null;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 10) {
      showError(errorBox, "Please type a whole number from 0 to 10, or leave it empty.");
      input.focus();
      throw new Error("bad pain");
    }
    errorBox.hidden = true;
    return value;
  }

  // Start or carry on ------------------------------------------------------------------------

  async function begin() {
    let painBefore;
    try { painBefore = readPain($("pain-before"), $("start-error")); } catch (e) { return; }
    const open = $("start").dataset.open === "yes"; // carrying on: the server kept the pain before
    if (painBefore === null && !open) {
      return showError($("start-error"), "Please say how much it hurts now, from 0 (none) to 10 (worst).");
    }
    state.voice = $("voice").checked;
    localStorage.setItem("backcoach-voice", state.voice ? "on" : "off");
    say("Let's start."); // said during the tap: some browsers only allow speech that a tap started
    $("begin").disabled = true;
    let data;
    try {
      data = await api("/api/v1/sessions", { resume: true, pain_before: painBefore });
    } catch (error) {
      $("begin").disabled = false;
      return showError($("start-error"), error.message);
    }
    state.session = data.session_id;
    // The server leaves out exercises already saved, so the first step is where to carry on.
    state.steps = data.steps;
    state.doneBefore = data.done.length;
    const saved = remembered();
    state.painBefore = data.pain_before ?? painBefore; // as the session was started, on any device
    $("start").hidden = true;
    if (data.stopped_for_pain) { // the server knows a pain stop ended it, whatever this browser remembers
      state.endMessage = data.message;
      return finishPlay("pain");
    }
    if (saved.endReason) { // it ended (a pain stop, say) before the check-in was saved
      state.endMessage = saved.endMessage ?? null;
      return finishPlay(saved.endReason);
    }
    if (!state.steps.length) return finishPlay("finished");
    document.body.classList.add("playing");
    $("player").hidden = false;
    $("today-advice").textContent = (data.advice || []).join(" ");
    $("today-advice").hidden = !(data.advice || []).length;
    $("hurts").hidden = false;
    keepAwake();
    show();
    if (data.resumed && state.doneBefore) announce(`Welcome back. ${$("announce").textContent}`);
    $("next").focus(); // the Start button is gone: keyboard users land on what goes on
    state.timer = setInterval(tick, TICK_MS);
    // A pain stop whose option was not chosen yet (on this device or another): choose it now.
    if (data.pending) {
      const at = state.steps.findIndex((s) => s.kind === "position" && s.exercise_id === data.pending_exercise);
      if (at >= 0) goTo(at);
      state.pausedAt = Date.now();
      $("pain-form").hidden = true;
      $("pain-dialog").showModal();
      offerOptions(data.pending);
    }
  }

  // Showing a step ---------------------------------------------------------------------------

  // The figure moves in time with the step: one cycle per repeat, or per hold and release.
  function showFigure(step) {
    const cycle = step.kind === "reps" ? step.rep_seconds : step.kind === "hold" ? step.seconds + 4 : 4;
    const src = `/figures/${encodeURIComponent(step.exercise_id)}.svg?dur=${Math.max(1, cycle)}` +
      (step.side ? `&side=${step.side}` : "");
    const box = $("figure");
    if (box.dataset.src === src) return;
    box.dataset.src = src;
    const img = Object.assign(new Image(), { src, alt: `Picture of ${step.exercise_name}` });
    img.addEventListener("error", () => img.remove());
    box.replaceChildren(img);
  }

  function show() {
    const step = current();
    state.stepStart = Date.now();
    state.tapped = 0;
    state.lastRep = 1;
    const total = state.doneBefore + state.steps.filter((s) => s.kind === "position").length;
    const number = state.doneBefore + state.steps.slice(0, state.index + 1).filter((s) => s.kind === "position").length;
    $("player").dataset.kind = step.kind;
    $("player").dataset.seconds = step.seconds;
    $("ex-count").textContent = `Exercise ${Math.max(1, number)} of ${total}`;
    $("step-kind").textContent = KIND_WORDS[step.kind] ?? step.kind;
    $("ex-name").textContent = step.exercise_name;
    showFigure(step);
    const named = `${step.exercise_name}. `; // the heading already names the exercise
    $("cue").textContent = step.kind === "position" && step.cue.startsWith(named) ? step.cue.slice(named.length) : step.cue;
    $("details").replaceChildren(...step.details.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    $("sub").textContent = facts(step);
    $("next").textContent = step.kind === "position" ? "I'm ready" : "Next";
    $("big").hidden = !step.timed;
    $("count").hidden = step.kind !== "reps";
    if (step.kind === "position") announce(`Next exercise: ${step.exercise_name}.`);
    else if (step.kind === "switch_side") announce("Switch sides.");
    else if (step.kind === "rest") announce(step.cue);
    // Lying on the floor, the person hears how to get into position, not just its name.
    if (step.kind === "position") say([`${step.exercise_name}.`, ...step.details].join(" "), true);
    else say(step.cue);
    render();
  }

  function facts(step) {
    const parts = [];
    if (step.side) parts.push(`${step.side[0].toUpperCase()}${step.side.slice(1)} side`);
    if (step.sets > 1) parts.push(`Set ${step.set_number} of ${step.sets}`);
    if (step.kind === "hold" && step.reps > 1) parts.push(`Hold ${step.rep} of ${step.reps}`);
    if (step.kind === "hold" && step.breaths) parts.push(`${step.breaths} slow breath${step.breaths > 1 ? "s" : ""}`);
    if (step.kind === "reps") parts.push("Tap the number after each one, or follow the count");
    return parts.join(" · ");
  }

  function elapsed() {
    return ((state.pausedAt ?? Date.now()) - state.stepStart) / 1000;
  }

  function repsDone(step) {
    return Math.min(step.reps, Math.max(state.tapped, Math.floor(elapsed() / step.rep_seconds)));
  }

  function render() {
    const step = current();
    if (!step) return;
    const seconds = elapsed();
    if (step.kind === "reps") {
      const rep = Math.min(step.reps, repsDone(step) + 1); // the repeat being done now
      if (rep !== state.lastRep) {
        state.lastRep = rep;
        say(String(rep));
      }
      $("count-now").textContent = rep;
      $("count-of").textContent = step.reps;
    } else if (step.timed) {
      $("big").textContent = String(Math.max(0, Math.ceil(step.seconds - seconds)));
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
    if ((step.timed && over) || (step.kind === "reps" && (over || repsDone(step) >= step.reps))) next();
  }

  function countRep() {
    const step = current();
    if (!step || step.kind !== "reps") return;
    state.tapped = repsDone(step) + 1;
    render();
    if (state.tapped >= step.reps) next();
  }

  // Moving on ------------------------------------------------------------------------------

  function span(exerciseId) {
    // [its position step, one past its last step]. The rest before it carries its id but comes first.
    const first = state.steps.findIndex((s) => s.kind === "position" && s.exercise_id === exerciseId);
    let end = first + 1;
    while (end < state.steps.length && state.steps[end].exercise_id === exerciseId) end += 1;
    return [first, end];
  }

  async function saveOutcome(exerciseId, status) {
    const body = { exercise_id: exerciseId, status }; // the server holds the dose and any pain report
    try {
      await api(`/api/v1/sessions/${state.session}/outcomes`, body, true);
    } catch (error) {
      announce(`Could not save ${exerciseId}: ${error.message}`);
    }
  }

  function goTo(index) {
    state.index = index;
    if (state.index >= state.steps.length) return finishPlay("finished");
    show();
  }

  function next() {
    const step = current();
    if (!step || state.endReason || state.pausedAt !== null) return;
    const following = state.steps[state.index + 1];
    const ended = !step.between && (!following || following.exercise_id !== step.exercise_id);
    if (ended) saveOutcome(step.exercise_id, "done");
    goTo(state.index + 1);
  }

  function skip() {
    const step = current();
    if (!step || state.endReason) return;
    const id = step.exercise_id;
    saveOutcome(id, "skipped");
    goTo(span(id)[1]);
    if (!state.endReason) announce(`Skipped ${step.exercise_name}. ${$("announce").textContent}`);
  }

  // This hurts ------------------------------------------------------------------------------

  function hurts() {
    if (!current() || state.endReason || $("pain-dialog").open) return;
    state.pausedAt = Date.now();
    state.decision = null;
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
    if (!form.get("kind") || form.get("score") === "" || !Number.isInteger(score) || score < 0 || score > 10) {
      return showError($("pain-error"), "Please choose what it feels like and give a number from 0 to 10.");
    }
    const step = current();
    const pain = { kind: form.get("kind"), score, place: form.get("place") };
    let decision;
    try {
      decision = await api(`/api/v1/sessions/${state.session}/pain`, {
        exercise_id: step.exercise_id, pain, between: step.between,
      });
    } catch (error) {
      return showError($("pain-error"), error.message);
    }
    if (decision.action === "end_session") {
      state.endMessage = decision.message;
      finishPlay("pain");
      $("pain-dialog").close();
      say(decision.message);
      return;
    }
    offerOptions(decision);
  }

  function offerOptions(decision) {
    state.decision = decision;
    $("pain-form").hidden = true;
    $("pain-options").hidden = false;
    $("pain-message").textContent = decision.message;
    say(decision.message);
    $("option-buttons").replaceChildren(...decision.options.map((option) => {
      const button = Object.assign(document.createElement("button"), {
        type: "button", className: option.kind === "skip" ? "button secondary" : "button", textContent: option.label,
      });
      button.addEventListener("click", () => choose(option));
      return button;
    }));
    $("option-buttons").querySelector("button").focus();
  }

  async function choose(option) {
    const id = current().exercise_id;
    const buttons = [...$("option-buttons").querySelectorAll("button")];
    buttons.forEach((button) => { button.disabled = true; }); // one tap, one choice
    let answer;
    try {
      answer = await api(`/api/v1/sessions/${state.session}/choice`, { option_id: option.id });
    } catch (error) {
      $("pain-message").textContent = error.message;
      buttons.forEach((button) => { button.disabled = false; });
      if (!$("pain-dialog").open) $("pain-dialog").showModal(); // closed without a choice: ask again
      return;
    }
    state.decision = null;
    $("pain-dialog").close();
    resume();
    const [first, end] = span(id);
    if (!answer.exercise) { // skipped: the server saved it as stopped for pain
      goTo(end);
      if (!state.endReason) announce(`Skipped ${current()?.exercise_name ?? ""}.`);
      return;
    }
    if (option.kind === "easier_exercise") { // the server saved the first one as stopped for pain
      state.steps.splice(first, end - first, ...answer.steps); // its own position step first
      announce(`Switching to ${answer.exercise.name}.`);
      return goTo(Math.min(state.index, first));
    }
    state.steps.splice(first + 1, end - first - 1, ...answer.steps); // already in position
    announce("Carry on with fewer or shorter repeats.");
    goTo(state.index > first ? first + 1 : state.index);
  }

  function painDialogClosed() {
    if (state.decision && !state.endReason) {
      // Closed without choosing after discomfort: never carry on at the same dose, so skip it
      // (the server keeps the choice waiting until then; a failed skip opens the options again).
      const skipOption = state.decision.options.find((o) => o.kind === "skip");
      if (skipOption) return choose(skipOption);
    }
    resume();
  }

  // The end ------------------------------------------------------------------------------

  function finishPlay(reason) {
    state.endReason = reason;
    clearInterval(state.timer);
    state.wakeLock?.release?.().catch(() => {});
    remember({ endReason: reason, endMessage: state.endMessage });
    document.body.classList.remove("playing");
    $("start").hidden = true;
    $("player").hidden = true;
    $("hurts").hidden = true;
    $("checkin").hidden = false;
    if (state.endMessage) {
      $("end-message").textContent = state.endMessage;
      $("end-message").hidden = false;
    }
    announce(reason === "finished" ? "Session finished. Well done." : "Session stopped.");
    if (reason === "finished") say("Session finished. Well done.");
    $("pain-after").focus();
  }

  async function saveCheckin() {
    let painAfter;
    try { painAfter = readPain($("pain-after"), $("checkin-error")); } catch (e) { return; }
    const difficulty = document.querySelector("input[name=difficulty]:checked")?.value ?? null;
    let next;
    try {
      next = await api(`/api/v1/sessions/${state.session}/finish`, {
        end_reason: state.endReason, pain_before: state.painBefore, pain_after: painAfter, difficulty,
      });
    } catch (error) {
      return showError($("checkin-error"), error.message);
    }
    localStorage.removeItem(storageKey());
    $("checkin").hidden = true;
    const advice = (next.advice || []).map((line) => Object.assign(document.createElement("li"), { textContent: line }));
    if (next.rescreen_needed) { // pain rose: the warning signs come before anything else
      $("rescreen-advice").replaceChildren(...advice);
      $("rescreen-message").textContent = next.rescreen_message;
      $("rescreen").hidden = false;
      $("rescreen").querySelector("a").focus();
      say([...(next.advice || []), next.rescreen_message].join(" "));
      return;
    }
    if (advice.length) {
      $("after-advice").replaceChildren(...advice);
      $("after-advice").hidden = false;
      $("saved-title").textContent = "Saved.";
      say(next.advice.join(" "));
    }
    if (next.review) showReview(next.review);
    $("saved").hidden = false;
    $("saved").querySelector("a").focus();
  }

  function showReview(review) {
    const lines = [...review.changes.filter((c) => c.action !== "hold").map((c) => c.line), ...review.advice];
    if (!lines.length) return;
    $("review-lines").replaceChildren(...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    $("review-version").textContent = review.new_version ? `Your program has a new version (${review.new_version}).` : "";
    $("review").hidden = false;
  }

  // Wiring ----------------------------------------------------------------------------------

  $("voice").checked = localStorage.getItem("backcoach-voice") !== "off";
  $("begin").addEventListener("click", begin);
  $("next").addEventListener("click", next);
  $("skip").addEventListener("click", skip);
  $("hurts").addEventListener("click", hurts);
  $("count").addEventListener("click", countRep);
  $("pain-form").addEventListener("submit", reportPain);
  $("pain-back").addEventListener("click", () => $("pain-dialog").close());
  $("pain-dialog").addEventListener("close", painDialogClosed);
  $("save-checkin").addEventListener("click", saveCheckin);
  document.addEventListener("visibilitychange", keepAwake); // the browser drops the lock when hidden
  document.addEventListener("keydown", (event) => {
    if ($("pain-dialog").open || $("player").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const onControl = event.target.closest?.("button, input, select, a, summary");
    const key = event.key.toLowerCase();
    if ((key === " " || key === "enter") && !onControl) { event.preventDefault(); next(); }
    else if (key === "s") skip();
    else if (key === "h") { event.preventDefault(); hurts(); }
    else if (key === "v") { state.voice = !state.voice; announce(state.voice ? "Voice on." : "Voice off."); }
  });
})();
