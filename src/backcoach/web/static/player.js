// The guided session player. The server holds the rules (steps, pain stops, doses); this
// script only plays steps, counts, speaks, and saves each exercise's outcome as it ends.
// Time is measured with Date.now(), so a throttled or sleeping tab catches up when it wakes.
// Writes go through the outbox (outbox.js): with no network they wait on the phone and are sent,
// exactly once, when it comes back. The page carries today's steps for a start without network.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const outbox = window.backcoachOutbox;
  const TICK_MS = 200;
  const GET_SET_SECONDS = 5; // "Starting in 5": time to settle after getting into position
  const HALFWAY_FROM = 20; // holds and rests this long hear "halfway"
  const TEN_LEFT_FROM = 30; // and these hear "10 seconds left"
  const KIND_WORDS = {
    position: "Get ready", hold: "Hold", relax: "Relax", reps: "Repeats", rest: "Rest", switch_side: "Switch sides",
  };
  const plan = JSON.parse($("offline-plan")?.textContent ?? "null"); // today's session, for a start with no network
  const state = {
    session: null, steps: [], index: 0, stepStart: 0, pausedAt: null, paused: false, tapped: 0, lastRep: 0,
    doneBefore: 0, voice: true, chime: false, painBefore: null, endReason: null, endMessage: null, decision: null,
    timer: null, wakeLock: null, offline: false, shown: 0, getSet: null, autoStart: true, spoken: new Set(), results: [],
  };

  const current = () => state.steps[state.index];
  const sessionPath = () => `/api/v1/sessions/${state.offline ? `{${state.session}}` : state.session}`;

  // What this browser remembers about the session: how it ended, what was done, for a reload.
  const storageKey = () => `backcoach-session-${state.session}`;
  const remembered = () => JSON.parse(localStorage.getItem(storageKey()) || "{}");
  const remember = (values) => localStorage.setItem(storageKey(), JSON.stringify({ ...remembered(), ...values }));

  function say(text, queue = false) {
    if (!state.voice || !("speechSynthesis" in window) || !text) return;
    if (!queue) window.speechSynthesis.cancel(); // a new cue cuts the old one short
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  let audio = null;
  function chime() {
    if (!state.chime || !(window.AudioContext || window.webkitAudioContext)) return;
    audio ??= new (window.AudioContext || window.webkitAudioContext)();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 660;
    gain.gain.setValueAtTime(0.12, audio.currentTime); // soft, and gone in under a second
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.8);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.8);
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

  // The 0 to 10 buttons: one tap chooses, and the choice shows as pressed.
  function scaleValue(box) {
    return box.dataset.value === "" ? null : Number(box.dataset.value);
  }
  function wireScale(box, onChoose) {
    box.addEventListener("click", (event) => {
      const button = event.target.closest("[data-score]");
      if (!button) return;
      box.dataset.value = button.dataset.score;
      box.querySelectorAll("[data-score]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      onChoose?.(Number(button.dataset.score));
    });
  }

  // Start or carry on ------------------------------------------------------------------------

  async function startOnServer(painBefore) {
    try {
      // Not queued: with no network the player starts from the page's plan, and queues that start.
      return await outbox.send("/api/v1/sessions", { resume: true, pain_before: painBefore }, { queue: false });
    } catch (error) {
      showError($("start-error"), error.message);
      throw error;
    }
  }

  function startOffline(painBefore) {
    // No network: today's session as the server gave it with the page, gentle if pain is high.
    const high = plan.high_pain[String(painBefore)];
    const steps = high ? plan.gentle_steps : plan.steps;
    if (!steps.length) {
      showError($("start-error"), `Rest today. ${(high ?? []).join(" ")}`);
      return null;
    }
    const ref = `local-${outbox.newKey()}`;
    outbox.send("/api/v1/sessions", { resume: false, pain_before: painBefore }, { ref });
    return { session_id: ref, steps, done: [], pain_before: painBefore, advice: high ?? [], resumed: false, offline: true };
  }

  async function begin() {
    const painBefore = scaleValue($("pain-before"));
    const open = $("start").dataset.open === "yes"; // carrying on: the server kept the pain before
    if (painBefore === null && !open) {
      return showError($("start-error"), "Please tap how much it hurts now, from 0 (none) to 10 (worst).");
    }
    $("start-error").hidden = true;
    state.voice = $("voice").checked;
    state.chime = $("chime").checked;
    localStorage.setItem("backcoach-voice", state.voice ? "on" : "off");
    localStorage.setItem("backcoach-chime", state.chime ? "on" : "off");
    say("Let's start."); // said during the tap: some browsers only allow speech that a tap started
    $("begin").disabled = true;
    let data;
    try {
      data = await startOnServer(painBefore);
    } catch (error) {
      $("begin").disabled = false;
      return;
    }
    if (data === null) { // no network
      if (open || !plan) {
        $("begin").disabled = false;
        return showError($("start-error"), "You are offline. Connect to the internet to carry on the session you started.");
      }
      data = startOffline(painBefore);
      if (data === null) { $("begin").disabled = false; return; }
    }
    play(data, painBefore);
  }

  function play(data, painBefore) {
    state.session = data.session_id;
    state.offline = Boolean(data.offline);
    // The server leaves out exercises already saved, so the first step is where to carry on.
    state.steps = data.steps;
    state.doneBefore = data.done.length;
    const saved = remembered();
    state.results = saved.results ?? [];
    state.painBefore = data.pain_before ?? painBefore; // as the session was started, on any device
    localStorage.setItem("backcoach-open", String(state.session));
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
    keepAwake();
    show();
    if (data.resumed && state.doneBefore) {
      $("welcome-back").textContent = `Welcome back: ${$("ex-count").textContent.toLowerCase()}.`;
      $("welcome-back").hidden = false;
      announce($("welcome-back").textContent);
    }
    $("next").focus(); // the Start button is gone: keyboard users land on what goes on
    state.timer = setInterval(tick, TICK_MS);
    // A pain stop whose option was not chosen yet (on this device or another): choose it now.
    if (data.pending) {
      const at = state.steps.findIndex((s) => s.kind === "position" && s.exercise_id === data.pending_exercise);
      if (at >= 0) goTo(at);
      state.pausedAt = Date.now();
      $("pain-ask").hidden = true;
      $("pain-dialog").showModal();
      offerOptions(data.pending);
    }
  }

  // Showing a step ---------------------------------------------------------------------------

  // The figure moves in time with the step: one cycle per repeat, or per hold and release.
  function figureSource(step) {
    const cycle = step.kind === "reps" ? step.rep_seconds : step.kind === "hold" ? step.seconds + 4 : 4;
    return `/figures/${encodeURIComponent(step.exercise_id)}.svg?dur=${Math.max(1, cycle)}` + (step.side ? `&side=${step.side}` : "");
  }

  function showFigure(step) {
    const src = figureSource(step);
    const box = $("figure");
    if (box.dataset.src === src) return;
    box.dataset.src = src;
    const img = Object.assign(new Image(), { src, alt: `Picture of ${step.exercise_name}` });
    img.addEventListener("error", () => img.remove());
    box.replaceChildren(img);
  }

  function positionsUpTo(index) {
    return state.steps.slice(0, index + 1).filter((s) => s.kind === "position").length;
  }

  function show(afterGo = false) {
    const step = current();
    state.stepStart = Date.now();
    state.tapped = 0;
    state.lastRep = 0; // so that repeat 1 is counted out loud too
    state.spoken = new Set();
    clearGetSet();
    if (state.shown++) $("welcome-back").hidden = true; // "welcome back" is for the first step only
    const total = state.doneBefore + state.steps.filter((s) => s.kind === "position").length;
    // The rest between exercises belongs to the one just done; the next one shows as "Next up".
    const number = state.doneBefore + positionsUpTo(step.between ? state.index - 1 : state.index);
    const upNext = step.between ? step : null;
    $("player").dataset.kind = step.kind;
    $("player").dataset.seconds = step.seconds;
    $("ex-count").textContent = `Exercise ${Math.max(1, number)} of ${total}`;
    $("step-kind").textContent = KIND_WORDS[step.kind] ?? step.kind;
    $("ex-name").textContent = upNext ? "Rest" : step.exercise_name;
    $("next-up").textContent = upNext ? `Next up: ${step.exercise_name}` : "";
    $("next-up").hidden = !upNext;
    showFigure(step);
    const named = `${step.exercise_name}. `; // the heading already names the exercise
    $("cue").textContent = step.kind === "position" && step.cue.startsWith(named) ? step.cue.slice(named.length)
      : upNext ? "Rest and breathe." : step.cue;
    $("details").replaceChildren(...step.details.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
    $("how").hidden = !step.details.length;
    $("sub").textContent = facts(step);
    $("next").textContent = step.kind === "position" ? "I'm ready" : "Next";
    $("skip").textContent = upNext ? "Skip the rest" : "Skip exercise";
    $("big").hidden = !step.timed;
    $("count").hidden = step.kind !== "reps";
    if (step.kind === "position") announce(`Next exercise: ${step.exercise_name}.`);
    else if (step.kind === "switch_side") announce(`Switch sides. ${$("sub").textContent}.`);
    else if (step.kind === "rest") announce(upNext ? `Rest. Next up: ${step.exercise_name}.` : step.cue);
    // One line to get into position (the steps are on screen under "How to do it").
    if (step.kind === "position") say(step.cue, true);
    else if (step.kind === "switch_side") say(`Switch sides. ${$("sub").textContent}.`);
    else if (upNext) say(`Rest. Next up: ${step.exercise_name}.`);
    else if (step.kind !== "reps") say(step.cue, afterGo); // after "Go.", not cutting it short
    render();
  }

  function facts(step) {
    const parts = [];
    if (step.kind === "switch_side") {
      const following = state.steps[state.index + 1];
      if (following?.side) parts.push(`Now the ${following.side} side`);
    } else if (step.side) parts.push(`${step.side[0].toUpperCase()}${step.side.slice(1)} side`);
    if (step.sets > 1 && !step.between) parts.push(`Set ${step.set_number} of ${step.sets}`);
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

  function sayOnce(id, text) {
    if (state.spoken.has(id)) return;
    state.spoken.add(id);
    say(text);
  }

  function render() {
    const step = current();
    if (!step) return;
    const seconds = elapsed();
    if (step.kind === "reps") {
      const rep = Math.min(step.reps, repsDone(step) + 1); // the repeat being done now
      if (rep !== state.lastRep) {
        state.lastRep = rep;
        say(rep === 1 ? `${step.cue} 1` : String(rep), rep === 1);
      }
      $("count-now").textContent = rep;
      $("count-of").textContent = step.reps;
    } else if (step.timed) {
      const left = Math.max(0, Math.ceil(step.seconds - seconds));
      $("big").textContent = String(left);
      if (step.kind === "hold" || step.kind === "rest") {
        if (step.seconds >= HALFWAY_FROM && seconds >= step.seconds / 2 && left > 10) sayOnce("half", "Halfway.");
        if (step.seconds >= TEN_LEFT_FROM && left <= 10 && left > 0) sayOnce("ten", "10 seconds left.");
      }
    }
    const done = state.steps.slice(0, state.index).reduce((sum, s) => sum + s.seconds, 0);
    const total = state.steps.reduce((sum, s) => sum + s.seconds, 0);
    $("progress").value = total ? Math.round((100 * (done + Math.min(seconds, step.seconds))) / total) : 0;
  }

  function tick() {
    const step = current();
    if (!step || state.pausedAt !== null || state.endReason) return;
    if (state.getSet !== null) return tickGetSet();
    render();
    const over = elapsed() >= step.seconds;
    if (step.kind === "position") {
      if (state.autoStart && elapsed() >= Math.max(0, step.seconds - GET_SET_SECONDS)) startGetSet();
      return;
    }
    if (step.timed && over) {
      if (step.kind === "hold" || step.kind === "rest") chime();
      next();
    } else if (step.kind === "reps" && (over || repsDone(step) >= step.reps)) next();
  }

  // "Starting in 5": after getting into position, then the first hold or repeat begins.
  function startGetSet() {
    if (state.getSet !== null) return;
    state.getSet = Date.now();
    $("get-set").hidden = false;
    $("get-set-count").textContent = String(GET_SET_SECONDS);
    $("next").textContent = "Go now";
    $("skip").textContent = "Not yet";
    say("Ready.");
  }

  function tickGetSet() {
    const left = Math.max(0, Math.ceil(GET_SET_SECONDS - (Date.now() - state.getSet) / 1000));
    $("get-set-count").textContent = String(left);
    if (left === 0) {
      say("Go.");
      clearGetSet();
      goTo(state.index + 1, true);
    }
  }

  function clearGetSet() {
    state.getSet = null;
    $("get-set").hidden = true;
  }

  function cancelGetSet() {
    clearGetSet();
    state.autoStart = false; // wait for "I'm ready" now
    $("next").textContent = "I'm ready";
    $("skip").textContent = "Skip exercise";
    say("Take your time. Tap I'm ready when you are.");
  }

  function countRep() {
    const step = current();
    if (!step || step.kind !== "reps" || state.pausedAt !== null) return;
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
    state.results.push({ exercise_id: exerciseId, name: nameOf(exerciseId), status });
    remember({ results: state.results });
    const body = { exercise_id: exerciseId, status }; // the server holds the dose and any pain report
    try {
      await outbox.send(`${sessionPath()}/outcomes`, body);
    } catch (error) {
      announce(`Could not save ${nameOf(exerciseId)}: ${error.message}`);
    }
  }

  const nameOf = (id) => state.steps.find((s) => s.exercise_id === id)?.exercise_name ?? id;

  function goTo(index, fromGetSet = false) {
    state.index = index;
    state.autoStart = true;
    if (state.index >= state.steps.length) return finishPlay("finished");
    show(fromGetSet);
  }

  function next() {
    const step = current();
    if (!step || state.endReason || state.pausedAt !== null) return;
    if (step.kind === "position" && state.getSet === null) return startGetSet(); // "I'm ready": 5, 4, 3...
    if (state.getSet !== null) { clearGetSet(); say("Go."); return goTo(state.index + 1, true); }
    const following = state.steps[state.index + 1];
    const ended = !step.between && (!following || following.exercise_id !== step.exercise_id);
    if (ended) saveOutcome(step.exercise_id, "done");
    goTo(state.index + 1);
  }

  function skip() {
    const step = current();
    if (!step || state.endReason || state.pausedAt !== null) return;
    if (state.getSet !== null) return cancelGetSet();
    if (step.between) return goTo(state.index + 1); // skip the rest, not the exercise after it
    const id = step.exercise_id;
    saveOutcome(id, "skipped");
    goTo(span(id)[1]);
    if (!state.endReason) announce(`Skipped ${step.exercise_name}. ${$("announce").textContent}`);
  }

  // Pause and end early -------------------------------------------------------------------------

  function pause() {
    if (!current() || state.endReason) return;
    if (state.paused) {
      state.paused = false;
      resume();
      $("pause").textContent = "Pause";
      $("pause").setAttribute("aria-pressed", "false");
      $("paused-note").hidden = true;
      say("Carry on.");
      return;
    }
    state.paused = true;
    hold();
    $("pause").textContent = "Resume";
    $("pause").setAttribute("aria-pressed", "true");
    $("paused-note").hidden = false;
    say("Paused.");
  }

  function hold() {
    if (state.pausedAt === null) state.pausedAt = Date.now();
  }

  function resume() {
    if (state.paused) return; // still paused by the person: a closed dialog does not restart the clock
    if (state.pausedAt !== null) {
      const away = Date.now() - state.pausedAt;
      state.stepStart += away;
      if (state.getSet !== null) state.getSet += away;
    }
    state.pausedAt = null;
  }

  function askEnd() {
    if (!current() || state.endReason || $("end-dialog").open) return;
    hold();
    $("end-dialog").showModal();
  }

  // This hurts ------------------------------------------------------------------------------

  function hurts() {
    if (!current() || state.endReason || $("pain-dialog").open) return;
    hold();
    state.decision = null;
    state.pain = {};
    $("pain-ask").hidden = false;
    $("pain-score").hidden = true;
    $("pain-kind").hidden = false;
    $("pain-options").hidden = true;
    $("pain-error").hidden = true;
    $("pain-dialog").querySelectorAll("[aria-pressed]").forEach((b) => b.setAttribute("aria-pressed", "false"));
    $("pain-dialog").showModal();
    $("pain-kind").querySelector("button").focus();
    say("Stop. Tell me what it feels like.");
  }

  function chooseKind(button) {
    // Then how bad, with one more tap only if it goes into a leg (that changes what comes next).
    state.pain = { kind: button.dataset.kind, place: "not_asked" };
    $("pain-kind").hidden = true;
    $("pain-score").hidden = false;
    $("into-leg").setAttribute("aria-pressed", "false");
    $("pain-score").querySelector("[data-score]").focus();
  }

  function toggleLeg() {
    const now = $("into-leg").getAttribute("aria-pressed") !== "true";
    $("into-leg").setAttribute("aria-pressed", String(now));
    state.pain.place = now ? "legs" : "not_asked";
  }

  async function reportPain(score) {
    const step = current();
    const pain = { ...state.pain, score };
    $("pain-score").querySelectorAll("[data-score]").forEach((b) => { b.disabled = true; });
    let decision;
    try {
      decision = await outbox.send(`${sessionPath()}/pain`, { exercise_id: step.exercise_id, pain, between: step.between });
    } catch (error) {
      $("pain-score").querySelectorAll("[data-score]").forEach((b) => { b.disabled = false; });
      return showError($("pain-error"), error.message);
    }
    $("pain-score").querySelectorAll("[data-score]").forEach((b) => { b.disabled = false; });
    if (decision === null) { // offline: no easier options can be worked out, so stop, to be safe
      const severe = pain.kind !== "mild" || pain.place === "legs";
      decision = { action: "end_session", message: plan ? (severe ? `${plan.end_message} ${plan.offline_note}` : plan.offline_pain) : "" };
    }
    if (decision.action === "end_session") {
      state.endMessage = decision.message;
      state.results.push({ exercise_id: step.exercise_id, name: step.exercise_name, status: "stopped_for_pain" });
      finishPlay("pain");
      $("pain-dialog").close();
      say(decision.message);
      return;
    }
    offerOptions(decision);
  }

  function offerOptions(decision) {
    state.decision = decision;
    $("pain-ask").hidden = true;
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
      answer = await outbox.send(`${sessionPath()}/choice`, { option_id: option.id });
    } catch (error) {
      $("pain-message").textContent = error.message;
      buttons.forEach((button) => { button.disabled = false; });
      if (!$("pain-dialog").open) $("pain-dialog").showModal(); // closed without a choice: ask again
      return;
    }
    state.decision = null;
    $("pain-dialog").close();
    if (answer === null) { // the choice waits in the outbox; with no network, stop here to be safe
      state.endMessage = plan?.offline_pain ?? null;
      return finishPlay("pain");
    }
    resume();
    const [first, end] = span(id);
    if (!answer.exercise) { // skipped: the server saved it as stopped for pain
      state.results.push({ exercise_id: id, name: nameOf(id), status: "stopped_for_pain" });
      goTo(end);
      if (!state.endReason) announce(`Skipped ${current()?.exercise_name ?? ""}.`);
      return;
    }
    if (option.kind === "easier_exercise") { // the server saved the first one as stopped for pain
      state.results.push({ exercise_id: id, name: nameOf(id), status: "stopped_for_pain" });
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
    clearGetSet();
    state.wakeLock?.release?.().catch(() => {});
    remember({ endReason: reason, endMessage: state.endMessage, results: state.results });
    document.body.classList.remove("playing");
    $("start").hidden = true;
    $("player").hidden = true;
    $("checkin").hidden = false;
    if (state.endMessage) {
      $("end-message").textContent = state.endMessage;
      $("end-message").hidden = false;
    }
    if (reason === "pain") { // the flare-up plan is in the page: it shows with or without the network
      $("flare-plan").hidden = false;
      $("flare-plan").open = true;
    }
    const anyDone = state.doneBefore > 0 || state.results.some((r) => r.status === "done");
    const words = reason === "finished" && anyDone ? "Session finished. Well done." : reason === "finished" ? "Session over." : "Session stopped.";
    announce(words);
    if (reason !== "pain") say(words);
    $("checkin-title").focus(); // the heading, not the 0 button: a ring on 0 looks like an answer
  }

  async function saveCheckin() {
    const painAfter = scaleValue($("pain-after"));
    if (painAfter === null) {
      $("pain-after").querySelector("button").focus();
      return showError($("checkin-error"), "Please tap how much it hurts now, from 0 (none) to 10 (worst).");
    }
    const difficulty = document.querySelector("input[name=difficulty]:checked")?.value ?? null;
    $("save-checkin").disabled = true;
    let next;
    try {
      next = await outbox.send(`${sessionPath()}/finish`, {
        end_reason: state.endReason, pain_before: state.painBefore, pain_after: painAfter, difficulty,
      });
    } catch (error) {
      $("save-checkin").disabled = false;
      return showError($("checkin-error"), error.message);
    }
    localStorage.removeItem(storageKey());
    localStorage.removeItem("backcoach-open");
    $("checkin").hidden = true;
    if (next === null) return showSaved(null, painAfter); // offline: it goes when the network is back
    const advice = (next.advice || []).map((line) => Object.assign(document.createElement("li"), { textContent: line }));
    if (next.rescreen_needed) { // pain rose: the warning signs come before anything else
      $("rescreen-advice").replaceChildren(...advice);
      $("rescreen-message").textContent = next.rescreen_message;
      offerLesson($("rescreen"), next.summary?.lesson);
      $("rescreen").hidden = false;
      $("rescreen").querySelector("a").focus();
      say([...(next.advice || []), next.rescreen_message].join(" "));
      return;
    }
    if (advice.length) {
      $("after-advice").replaceChildren(...advice);
      $("after-advice").hidden = false;
      say(next.advice.join(" "));
    }
    if (next.review) showReview(next.review);
    showSaved(next.summary, painAfter);
  }

  const item = (text) => Object.assign(document.createElement("li"), { textContent: text });

  // A short lesson offered as the session ends: one a day at most, the flare-up plan when pain rose.
  function offerLesson(section, lesson) {
    const box = section.querySelector("[data-lesson-offer]");
    box.hidden = !lesson;
    if (!lesson) return;
    box.dataset.lesson = lesson.id;
    box.querySelector(".offer-words").textContent = lesson.words;
    box.querySelector(".offer-summary").textContent = lesson.summary;
    const link = box.querySelector(".offer-link");
    link.textContent = `Read: ${lesson.title}`;
    link.href = `/learn/${encodeURIComponent(lesson.id)}`;
  }

  function showSaved(summary, painAfter) {
    const done = summary ? summary.done : state.results.filter((r) => r.status === "done").map((r) => r.name);
    const skipped = summary ? summary.skipped : state.results.filter((r) => r.status === "skipped").map((r) => r.name);
    const stopped = summary ? summary.stopped_for_pain : state.results.filter((r) => r.status === "stopped_for_pain").map((r) => r.name);
    const lines = [];
    if (done.length) lines.push(`Done: ${done.join(", ")}.`);
    if (skipped.length) lines.push(`Skipped: ${skipped.join(", ")}.`);
    if (stopped.length) lines.push(`Stopped because it hurt: ${stopped.join(", ")}.`);
    if (summary?.minutes) lines.push(`About ${summary.minutes} minute${summary.minutes === 1 ? "" : "s"} of exercise.`);
    const before = summary ? summary.pain_before : state.painBefore;
    const after = summary ? summary.pain_after : painAfter;
    if (before !== null && before !== undefined && after !== null && after !== undefined) lines.push(`Pain: ${before} before, ${after} after.`);
    if (summary?.streak_days > 1) lines.push(`${summary.streak_days} days in a row. Keep it up.`);
    $("summary-lines").replaceChildren(...lines.map(item));
    $("week").replaceChildren(...(summary?.week ?? []).map((day) => {
      const li = item(`${day.weekday}: ${day.sessions ? "done" : "not done"}`);
      li.className = day.sessions ? "day done" : "day";
      return li;
    }));
    $("summary").hidden = !lines.length;
    offerLesson($("saved"), summary?.lesson);
    const anyDone = done.length > 0 || state.doneBefore > 0;
    $("saved-title").textContent = state.endReason === "finished" && anyDone && $("after-advice").hidden ? "Saved. Well done." : "Saved.";
    $("offline-note").hidden = summary !== null;
    $("saved").hidden = false;
    $("saved").querySelector("a").focus();
  }

  function showReview(review) {
    const lines = [...review.changes.filter((c) => c.action !== "hold").map((c) => c.line), ...review.advice];
    if (!lines.length) return;
    $("review-lines").replaceChildren(...lines.map(item));
    $("review-version").textContent = review.new_version ? `Your program has a new version (${review.new_version}).` : "";
    $("review").hidden = false;
  }

  // Wiring ----------------------------------------------------------------------------------

  outbox.onChange((waiting) => {
    if (waiting || $("saved").hidden || $("offline-note").hidden) return;
    $("offline-note").textContent = "You are back online: your session is saved.";
  });

  $("voice").checked = localStorage.getItem("backcoach-voice") !== "off";
  $("chime").checked = localStorage.getItem("backcoach-chime") === "on";
  wireScale($("pain-before"));
  wireScale($("pain-after"));
  wireScale($("pain-score"), reportPain);
  $("pain-kind").addEventListener("click", (event) => { const b = event.target.closest("[data-kind]"); if (b) chooseKind(b); });
  $("into-leg").addEventListener("click", toggleLeg);
  $("begin").addEventListener("click", begin);
  $("next").addEventListener("click", next);
  $("skip").addEventListener("click", skip);
  $("pause").addEventListener("click", pause);
  $("end").addEventListener("click", askEnd);
  $("end-yes").addEventListener("click", () => { $("end-dialog").close(); finishPlay("quit"); });
  $("end-no").addEventListener("click", () => $("end-dialog").close());
  $("end-dialog").addEventListener("close", () => { if (!state.endReason) resume(); });
  $("hurts").addEventListener("click", hurts);
  $("count").addEventListener("click", countRep);
  $("pain-back").addEventListener("click", () => $("pain-dialog").close());
  $("pain-dialog").addEventListener("close", painDialogClosed);
  $("save-checkin").addEventListener("click", saveCheckin);
  document.addEventListener("visibilitychange", keepAwake); // the browser drops the lock when hidden
  document.addEventListener("keydown", (event) => {
    if ($("pain-dialog").open || $("end-dialog").open || $("player").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const onControl = event.target.closest?.("button, input, select, a, summary");
    const key = event.key.toLowerCase();
    if ((key === " " || key === "enter") && !onControl) { event.preventDefault(); next(); }
    else if (key === "s") skip();
    else if (key === "p") pause();
    else if (key === "h") { event.preventDefault(); hurts(); }
    else if (key === "v") { state.voice = !state.voice; announce(state.voice ? "Voice on." : "Voice off."); }
  });
  // Today's pictures, fetched once through the service worker, which keeps them for a session with
  // no network. `backcoachOffline` settles when they are kept (or cannot be).
  window.backcoachOffline = (async () => {
    if (!plan || !("serviceWorker" in navigator)) return false;
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    const sources = [...new Set([...plan.steps, ...plan.gentle_steps].map(figureSource))];
    const kept = await Promise.all(sources.map((src) => fetch(src).then((r) => r.ok).catch(() => false)));
    return kept.every(Boolean);
  })();
  // Ended but not checked in, then reloaded: go straight back to the check-in.
  if ($("start").dataset.open === "yes" && localStorage.getItem("backcoach-open")) {
    const ended = JSON.parse(localStorage.getItem(`backcoach-session-${localStorage.getItem("backcoach-open")}`) || "{}");
    if (ended.endReason) begin();
  }
})();
