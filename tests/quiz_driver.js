/* Answers every visible question of a quiz form, right or wrong, the way a learner would:
 * clicking choices, typing, choosing from lists, moving items with their buttons.
 * Run inside the page with "right" | "wrong" | "some" (every other question, right), or with
 * {mode, keys}: keys gives, per question id, the texts to type for a right answer (a list, one
 * per typed field: a short or numerical answer, each blank of a cloze; null for a drop-down).
 * The page holds no answer in clear, so what to click or choose is found by asking the quiz's
 * own grader (quiz.grade) about each option; what to type must come from keys (see
 * browser_support.typed_answers). */
(arg) => {
  const mode = typeof arg === "string" ? arg : arg.mode;
  const keys = (typeof arg === "string" ? null : arg.keys) || {};
  const done = [];
  const fraction = (quiz, index, response) => quiz.grade(index, response).fraction || 0;
  const range = (n) => Array.from({ length: n }, (_, i) => i);
  const typedKey = (q) => {
    if (keys[q.id]) return keys[q.id];
    throw new Error(`quiz_driver: no typed answer given for ${q.id}`);
  };
  window.CourseQuizzes.forEach((quiz) => {
    const sections = quiz.form.querySelectorAll("section.question");
    sections.forEach((section, index) => {
      if (section.hidden || section.closest("[hidden]")) return;
      const q = quiz.data.questions[index];
      if (q.kind === "description") return;
      if (mode === "some" && index % 2 === 1) return;
      const right = mode !== "wrong";
      const click = (el) => el.click();
      const type = (el, text) => {
        el.focus();
        el.value = text;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      };
      const choose = (el, value) => {
        el.value = String(value);
        el.dispatchEvent(new Event("change", { bubbles: true }));
      };
      const values = (select) =>
        Array.from(select.options, (o) => o.value).filter((v) => v !== "").map(Number);
      switch (q.kind) {
        case "single":
        case "multiple": {
          const inputs = Array.from(section.querySelectorAll("input"));
          const single = q.kind === "single";
          const worth = inputs.map((el) => {
            const v = Number(el.value);
            return fraction(quiz, index, single ? v : [v]);
          });
          if (single) {
            const best = worth.indexOf(Math.max(...worth));
            const worst = worth.indexOf(Math.min(...worth));
            click(inputs[right ? best : worst]);
          } else {
            inputs.forEach((el, i) => {
              if (right ? worth[i] > 0 : worth[i] <= 0) click(el);
            });
          }
          break;
        }
        case "truefalse": {
          const answer = fraction(quiz, index, true) >= 1;
          click(section.querySelector(`input[value="${right ? answer : !answer}"]`));
          break;
        }
        case "short": {
          const text = right ? typedKey(q)[0] : "zzz";
          type(section.querySelector("input[type=text]"), text);
          break;
        }
        case "numerical": {
          const text = right ? typedKey(q)[0] : "99999";
          type(section.querySelector("input[type=text]"), text);
          break;
        }
        case "matching": {
          const selects = Array.from(section.querySelectorAll("select"));
          selects.forEach((el, i) => {
            const options = values(el);
            const fits = options.find((v) => {
              const response = selects.map((_, j) => (j === i ? v : null));
              return fraction(quiz, index, response) > 0;
            });
            const wrong = options[(options.indexOf(fits) + 1) % options.length];
            choose(el, right ? fits : wrong);
          });
          break;
        }
        case "ordering": {
          // the right place of each item, asked one item and one place at a time
          const items = Array.from(section.querySelectorAll(".order-list li"), (li) =>
            Number(li.getAttribute("data-item")),
          );
          const n = items.length;
          const order = new Array(n);
          items.forEach((item) => {
            const place = range(n).find((p) => {
              const response = range(n).map((j) => (j === p ? item : null));
              return fraction(quiz, index, response) > 0;
            });
            order[place] = item;
          });
          const want = right ? order : order.slice().reverse();
          // move each item up with its button until the list is in that order
          for (let pos = 0; pos < want.length; pos++) {
            const li = section.querySelector(`.order-list li[data-item="${want[pos]}"]`);
            while (Array.prototype.indexOf.call(li.parentNode.children, li) > pos) {
              li.querySelector('[data-action="up"]').click();
            }
          }
          break;
        }
        case "cloze": {
          const fields = Array.from(section.querySelectorAll("select, input.gap-input"));
          const texts = right && fields.some((el) => el.tagName !== "SELECT") ? typedKey(q) : [];
          fields.forEach((el, i) => {
            if (el.tagName === "SELECT") {
              const options = values(el);
              const worth = options.map((v) =>
                fraction(quiz, index, fields.map((_, j) => (j === i ? v : null))),
              );
              const pick = right ? worth.indexOf(Math.max(...worth)) : worth.indexOf(Math.min(...worth));
              choose(el, options[pick]);
            } else {
              type(el, right ? texts[i] : "zzz");
            }
          });
          break;
        }
        case "essay":
          type(section.querySelector("textarea"), "Библиотеката ще предложи клуб за дигитални умения.");
          break;
      }
      done.push(q.id);
    });
  });
  return done;
}
