/* Quiz player: scores a quiz form in the browser and gives feedback.
 * Used by the static site and by SCORM packages (scorm.js drives it through window.CourseQuiz).
 * What differs between question kinds (reading, grading by Moodle's rules, the right answer)
 * is in kinds.js, loaded before this file; this file runs the attempt. */
(function () {
  "use strict";

  var KINDS = window.CourseKinds;

  function createQuiz(form, data) {
    var S = data.strings;
    var FULL = data.fullMarks; // a fraction at or above this is full marks
    var sections = Array.prototype.slice.call(form.querySelectorAll("section.question"));
    var resultBox = form.querySelector(".result");
    var timerBox = form.querySelector(".timer");
    var submitButton = form.querySelector('[data-action="submit"]');

    var state = null; // see newState()
    var options = {};
    var lastResult = null;
    var timer = null;

    function fmt(text, values) {
      return text.replace(/\{(\w+)\}/g, function (m, key) {
        return values[key] !== undefined ? values[key] : m;
      });
    }

    function shuffled(list) {
      var out = list.slice();
      for (var i = out.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    }

    function range(n) {
      var out = [];
      for (var i = 0; i < n; i++) out.push(i);
      return out;
    }

    function graded(index) {
      return data.questions[index].points > 0 && data.questions[index].kind !== "description";
    }

    // ------------------------------------------------------------------ attempt state

    // The questions of an attempt, in the quiz's order: every question, or a random draw of
    // the graded ones (data.draw of them), or a stratified draw (data.pools: so many from each
    // pool); questions that are not graded are always shown.
    function drawQuestions() {
      var all = range(data.questions.length);
      var picked = null;
      if (data.pools && data.pools.length) {
        picked = [];
        data.pools.forEach(function (pool) {
          picked = picked.concat(shuffled(pool.questions).slice(0, pool.count));
        });
      } else {
        var pool = all.filter(graded);
        if (data.draw && data.draw < pool.length) picked = shuffled(pool).slice(0, data.draw);
      }
      if (picked === null) return all;
      return all.filter(function (i) {
        return !graded(i) || picked.indexOf(i) >= 0;
      });
    }

    // The order of the answers (or items) of each chosen question that shuffles them.
    function permutations(chosen) {
      var perms = {};
      chosen.forEach(function (i) {
        var q = data.questions[i];
        var kind = KINDS[q.kind];
        var shuffle = q.shuffle === null || q.shuffle === undefined ? data.shuffle : q.shuffle;
        if (kind.mustShuffle) {
          var n = kind.count(q);
          var p = range(n);
          for (var tries = 0; tries < 10 && n > 1 && p.join() === range(n).join(); tries++) {
            p = shuffled(range(n));
          }
          perms[i] = p;
        } else if (kind.shuffles && shuffle) {
          perms[i] = shuffled(range(kind.count(q)));
        }
      });
      return perms;
    }

    function newState(attempt) {
      var chosen = drawQuestions();
      return {
        v: 1,
        a: attempt,
        o: chosen,
        p: permutations(chosen),
        r: {},
        c: [],
        h: {},
        l: {},
        s: false,
        t: 0,
      };
    }

    // ------------------------------------------------------------------ reading and setting answers

    function inputs(section) {
      return Array.prototype.slice.call(section.querySelectorAll("input, select, textarea"));
    }

    function readResponse(index) {
      return KINDS[data.questions[index].kind].read(sections[index]);
    }

    function setResponse(index, value) {
      if (value === undefined || value === null) return;
      KINDS[data.questions[index].kind].write(sections[index], value);
    }

    function answered(index, response) {
      return KINDS[data.questions[index].kind].answered(response);
    }

    // ------------------------------------------------------------------ scoring

    // Returns {fraction, feedback: [html], answered}; fraction null for essays.
    function grade(index, response) {
      var q = data.questions[index];
      var kind = KINDS[q.kind];
      if (!kind.grade) return { fraction: null, feedback: [], answered: answered(index, response) };
      var graded = kind.grade(q, response);
      var fraction = Math.max(0, Math.min(1, graded.fraction));
      if (fraction >= FULL) fraction = 1;
      return { fraction: fraction, feedback: graded.feedback, answered: answered(index, response) };
    }

    function rightAnswer(index) {
      var q = data.questions[index];
      return KINDS[q.kind].right(q, { true: S_true, false: S_false });
    }
    var S_true = (form.querySelector('input[value="true"] + span') || {}).textContent || "true";
    var S_false = (form.querySelector('input[value="false"] + span') || {}).textContent || "false";

    // ------------------------------------------------------------------ showing feedback

    // Attempts left after the current one; Infinity when unlimited.
    function attemptsLeft() {
      return data.attempts ? Math.max(0, data.attempts - state.a) : Infinity;
    }

    // Whether the right answers may be shown for a submitted attempt (show_answers): always,
    // never, after an attempt that passed, or after the last allowed attempt (with unlimited
    // attempts: after an attempt that passed). "feedback: never" shows the score only.
    function answersShown(result) {
      if (data.feedback === "never" || !result) return false;
      var when = data.showAnswers || "after_last_attempt";
      if (when === "always") return true;
      if (when === "never") return false;
      if (when === "after_pass" || !data.attempts) return result.passed;
      return attemptsLeft() <= 0;
    }

    function showFeedback(index, graded, final) {
      var q = data.questions[index];
      var box = sections[index].querySelector(".feedback");
      if (!box) return;
      if (data.feedback === "never") {
        box.innerHTML = "";
        return;
      }
      var html = [];
      var cls;
      if (graded.fraction === null) {
        cls = "partial";
        html.push("<p><strong>" + S.essay_saved + "</strong></p>");
      } else {
        cls =
          graded.fraction >= FULL ? "correct" : graded.fraction > 0 ? "partial" : "incorrect";
        html.push("<p><strong>" + S[cls] + "</strong></p>");
      }
      graded.feedback.forEach(function (f) {
        html.push('<div class="answer-feedback">' + f + "</div>");
      });
      if (graded.fraction !== null && q.feedback[cls]) {
        html.push('<div class="answer-feedback">' + q.feedback[cls] + "</div>");
      }
      if (final && graded.fraction !== null && cls !== "correct" && answersShown(lastResult)) {
        var right = rightAnswer(index);
        if (right) html.push("<p>" + escapeHtml(fmt(S.right_answer, { answer: right })) + "</p>");
      }
      if (q.feedback.general) html.push('<div class="general">' + q.feedback.general + "</div>");
      box.className = "feedback " + cls;
      box.innerHTML = html.join("");
    }

    function escapeHtml(text) {
      return String(text).replace(/[&<>"]/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
      });
    }

    function lock(index, locked) {
      var section = sections[index];
      inputs(section).forEach(function (el) {
        el.disabled = locked;
      });
      section.querySelectorAll("button").forEach(function (el) {
        el.disabled = locked;
      });
    }

    function showHints(index, count) {
      var q = data.questions[index];
      var box = sections[index].querySelector(".hints");
      if (!box) return;
      var html = "";
      for (var i = 0; i < count && i < q.hints.length; i++) {
        html +=
          '<div class="hint" role="note"><strong>' +
          escapeHtml(fmt(S.hint_n, { n: i + 1 })) +
          ":</strong> " +
          q.hints[i] +
          "</div>";
      }
      box.innerHTML = html;
      var button = sections[index].querySelector('[data-action="hint"]');
      if (button && count >= q.hints.length) button.disabled = true;
    }

    // ------------------------------------------------------------------ layout of an attempt

    function layout() {
      var number = 0;
      sections.forEach(function (section, index) {
        var shown = state.o.indexOf(index) >= 0;
        section.hidden = !shown;
        var num = section.querySelector(".qnum");
        if (shown && num) num.textContent = String(++number);
        var perm = state.p[index];
        var kind = KINDS[data.questions[index].kind];
        if (perm && kind.arrange) kind.arrange(section, perm);
      });
    }

    function resetForm() {
      sections.forEach(function (section, index) {
        inputs(section).forEach(function (el) {
          if (el.type === "radio" || el.type === "checkbox") el.checked = false;
          else if (el.tagName === "SELECT") el.value = "";
          else el.value = el.defaultValue;
        });
        lock(index, false);
        var fb = section.querySelector(".feedback");
        if (fb) {
          fb.innerHTML = "";
          fb.className = "feedback";
        }
        var hints = section.querySelector(".hints");
        if (hints) hints.innerHTML = "";
      });
      resultBox.innerHTML = "";
      if (submitButton) submitButton.disabled = false;
    }

    // ------------------------------------------------------------------ result

    function computeResult() {
      var score = 0;
      var max = 0;
      var questions = [];
      var now = Date.now();
      state.o.forEach(function (index) {
        var q = data.questions[index];
        if (q.kind === "description") return;
        var response = readResponse(index);
        var g = grade(index, response);
        if (g.fraction !== null) {
          score += g.fraction * q.points;
          max += q.points;
        }
        questions.push({
          index: index,
          id: q.id,
          kind: q.kind,
          points: q.points,
          fraction: g.fraction,
          score: g.fraction === null ? null : g.fraction * q.points,
          answered: g.answered,
          response: response,
          latency: Math.max(0, (state.l[index] || now) - (startedAt || now)),
          data: q,
        });
      });
      score = Math.round(score * 100) / 100;
      var percent = max ? Math.round((score / max) * 10000) / 100 : 0;
      return {
        attempt: state.a,
        score: score,
        max: max,
        percent: percent,
        passed: percent >= data.passPercentage,
        passPercentage: data.passPercentage,
        questions: questions,
        unanswered: questions.filter(function (x) {
          return !x.answered;
        }).length,
      };
    }

    function showResult(result, note) {
      var lines = [];
      if (note) lines.push("<p>" + escapeHtml(note) + "</p>");
      lines.push("<h2>" + escapeHtml(S.your_result) + "</h2>");
      lines.push(
        "<p>" +
          escapeHtml(
            fmt(S.score, {
              score: String(result.score),
              max: String(result.max),
              percent: String(result.percent),
            }),
          ) +
          "</p>",
      );
      var passText = String(result.passPercentage);
      lines.push(
        '<p class="' +
          (result.passed ? "passed" : "failed") +
          '"><strong>' +
          escapeHtml(fmt(result.passed ? S.passed : S.failed, { pass: passText })) +
          "</strong></p>",
      );
      var left = attemptsLeft();
      if (!options.review && !options.noRetry && left > 0) {
        lines.push(
          '<p><button type="button" data-action="retry">' + escapeHtml(S.retry) + "</button></p>",
        );
      } else if (data.attempts && left <= 0) {
        lines.push("<p>" + escapeHtml(fmt(S.no_attempts, { n: data.attempts })) + "</p>");
      }
      resultBox.innerHTML = lines.join("");
    }

    function submit(note) {
      if (state.s) return lastResult;
      stopTimer();
      var result = computeResult();
      state.s = true;
      state.res = { p: result.percent, ok: result.passed };
      lastResult = result;
      finishView(result, note);
      emit("quiz:submit", result);
      return result;
    }

    function finishView(result, note) {
      state.o.forEach(function (index) {
        lock(index, true);
        if (data.questions[index].kind !== "description") {
          showFeedback(index, grade(index, readResponse(index)), true);
        }
      });
      if (submitButton) submitButton.disabled = true;
      showResult(result, note);
      resultBox.setAttribute("tabindex", "-1");
      if (!options.silent) resultBox.focus();
    }

    function emit(name, detail) {
      form.dispatchEvent(new CustomEvent(name, { detail: detail, bubbles: true }));
    }

    // ------------------------------------------------------------------ timer

    var startedAt = null;

    function startTimer() {
      if (!data.timeLimit || state.s) return;
      var limit = data.timeLimit * 60;
      var begin = Date.now() - state.t * 1000;
      timerBox.hidden = false;
      function tick() {
        var used = Math.floor((Date.now() - begin) / 1000);
        state.t = used;
        var left = Math.max(0, limit - used);
        var mm = Math.floor(left / 60);
        var ss = left % 60;
        timerBox.textContent = fmt(S.time_left, { time: mm + ":" + (ss < 10 ? "0" : "") + ss });
        if (left <= 0) {
          submit(S.time_up);
        }
      }
      tick();
      timer = setInterval(tick, 1000);
    }

    function stopTimer() {
      if (timer) clearInterval(timer);
      timer = null;
      if (timerBox) timerBox.hidden = true;
    }

    // ------------------------------------------------------------------ events

    // Screen readers hear where an ordering item went (a polite live region of the form).
    var announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    form.appendChild(announcer);

    function announceMove(li) {
      var items = Array.prototype.slice.call(li.parentNode.children);
      var text = fmt(S.moved, {
        item: (li.querySelector(".order-text") || li).textContent.trim(),
        n: items.indexOf(li) + 1,
        m: items.length,
      });
      // the same words again (a move past the end) still change the region, so they are said
      announcer.textContent = announcer.textContent === text ? text + "\u00a0" : text;
    }

    function sectionIndex(el) {
      var section = el.closest("section.question");
      return section ? sections.indexOf(section) : -1;
    }

    function changed(el) {
      var index = sectionIndex(el);
      if (index < 0 || state.s) return;
      state.r[index] = readResponse(index);
      state.l[index] = Date.now();
      emit("quiz:change", null);
    }

    form.addEventListener("change", function (ev) {
      changed(ev.target);
    });
    form.addEventListener("input", function (ev) {
      if (ev.target.tagName === "TEXTAREA" || ev.target.type === "text") changed(ev.target);
    });

    form.addEventListener("click", function (ev) {
      var button = ev.target.closest("button[data-action]");
      if (!button || button.disabled) return;
      var action = button.getAttribute("data-action");
      var index = sectionIndex(button);
      if (action === "check") {
        ev.preventDefault();
        var response = readResponse(index);
        state.r[index] = response;
        if (state.c.indexOf(index) < 0) state.c.push(index);
        lock(index, true);
        showFeedback(index, grade(index, response), false);
        emit("quiz:change", null);
      } else if (action === "hint") {
        ev.preventDefault();
        state.h[index] = (state.h[index] || 0) + 1;
        showHints(index, state.h[index]);
        emit("quiz:change", null);
      } else if (action === "up" || action === "down") {
        ev.preventDefault();
        var li = button.closest("li");
        var list = li.parentNode;
        if (action === "up" && li.previousElementSibling) {
          list.insertBefore(li, li.previousElementSibling);
        } else if (action === "down" && li.nextElementSibling) {
          list.insertBefore(li.nextElementSibling, li);
        }
        button.focus();
        announceMove(li);
        changed(button);
      } else if (action === "retry") {
        ev.preventDefault();
        start(newState(state.a + 1));
        emit("quiz:change", null);
        var first = form.querySelector(
          "section.question:not([hidden]) input, section.question:not([hidden]) select, section.question:not([hidden]) textarea",
        );
        if (first) first.focus();
      }
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      submit(null);
    });

    // ------------------------------------------------------------------ start

    function start(fresh) {
      state = fresh;
      resetForm();
      layout();
      startedAt = Date.now();
      if (data.feedback !== "immediate") {
        form.querySelectorAll('[data-action="check"]').forEach(function (b) {
          b.hidden = true;
        });
      }
      Object.keys(state.r).forEach(function (k) {
        setResponse(Number(k), state.r[k]);
      });
      state.c.forEach(function (index) {
        lock(index, true);
        showFeedback(index, grade(index, readResponse(index)), false);
      });
      Object.keys(state.h).forEach(function (k) {
        showHints(Number(k), state.h[k]);
      });
      if (state.s) {
        lastResult = computeResult();
        finishView(lastResult, options.review ? S.review : null);
      } else if (options.review) {
        state.o.forEach(function (index) {
          lock(index, true);
        });
        if (submitButton) submitButton.disabled = true;
      } else {
        startTimer();
      }
    }

    // A saved state that matches this quiz's questions.
    function fits(saved) {
      var n = data.questions.length;
      var ok = function (i) {
        return Number(i) >= 0 && Number(i) < n;
      };
      return (
        Array.isArray(saved.o) &&
        saved.o.every(ok) &&
        Object.keys(saved.r).every(ok) &&
        typeof saved.a === "number" &&
        saved.a >= 1
      );
    }

    var api = {
      data: data,
      form: form,
      /** Start the quiz: {state, review, noRetry, silent}. */
      init: function (opts) {
        options = opts || {};
        var saved = options.state;
        if (saved && saved.v === 1) {
          // a state saved by the SCORM runtime keeps only what is worth keeping
          saved.r = saved.r || {};
          saved.c = saved.c || [];
          saved.h = saved.h || {};
          saved.l = saved.l || {};
          // the questions drawn before; their answers in a new order if that was dropped
          saved.o = saved.o || drawQuestions();
          saved.p = saved.p || permutations(saved.o);
        }
        if (saved && saved.v === 1 && fits(saved)) {
          try {
            start(saved);
            return api;
          } catch (e) {
            // a state this quiz cannot show (its questions changed): the same attempt anew
            saved = { a: saved.a };
          }
        }
        var attempt = saved && typeof saved.a === "number" && saved.a >= 1 ? saved.a : 1;
        start(newState(attempt));
        return api;
      },
      state: function () {
        return state;
      },
      result: function () {
        return lastResult;
      },
      submit: function () {
        return submit(null);
      },
      computeResult: function () {
        return computeResult();
      },
      rightAnswer: rightAnswer,
      grade: grade,
    };
    return api;
  }

  // Every quiz form on the page: data-quiz names the JSON block that describes it.
  var quizzes = [];
  document.querySelectorAll("form[data-quiz]").forEach(function (form) {
    // only the tool's own data block: a JSON script directly in the page, never an element
    // of the same id inside the content
    var id = form.getAttribute("data-quiz");
    var node = null;
    document.querySelectorAll('script[type="application/json"]').forEach(function (el) {
      if (el.id === id && !node) node = el;
    });
    if (!node) return;
    var quiz = createQuiz(form, JSON.parse(node.textContent));
    quizzes.push(quiz);
    if (!form.hasAttribute("data-deferred")) keepInBrowser(quiz);
  });
  window.CourseQuizzes = quizzes;

  // The static site has no LMS: the attempt (and so the attempts used) is kept in the
  // browser's storage, so the quiz's policy holds when the page is opened again. A SCORM
  // package defers its quizzes to scorm.js, which keeps them in cmi.suspend_data.
  function keepInBrowser(quiz) {
    var key = "course-quiz:" + location.pathname + ":" + quiz.data.id;
    var store = null;
    try {
      store = window.localStorage;
    } catch (e) {
      store = null; // storage refused (privacy settings): the quiz works, and forgets
    }
    var saved = null;
    try {
      saved = store ? JSON.parse(store.getItem(key) || "null") : null;
    } catch (e) {
      saved = null;
    }
    function save() {
      if (!store) return;
      var state = JSON.parse(JSON.stringify(quiz.state()));
      delete state.l; // latency clocks: meaningless in another visit
      try {
        store.setItem(key, JSON.stringify(state));
      } catch (e) {
        store = null;
      }
    }
    quiz.form.addEventListener("quiz:change", save);
    quiz.form.addEventListener("quiz:submit", save);
    quiz.init({ state: saved && saved.v === 1 ? saved : null, silent: !!saved });
  }
})();
