/* Answers every visible question of a quiz form, right or wrong, the way a learner would:
 * clicking choices, typing, choosing from lists, moving items with their buttons.
 * Run inside the page: (mode) => ... with mode "right" | "wrong" | "some". */
(mode) => {
  const quizzes = window.CourseQuizzes;
  const done = [];
  quizzes.forEach((quiz) => {
    const sections = quiz.form.querySelectorAll("section.question");
    sections.forEach((section, index) => {
      if (section.hidden) return;
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
      switch (q.kind) {
        case "single": {
          const best = q.options.findIndex((o) => o.fraction >= 1);
          const worst = q.options.findIndex((o) => o.fraction <= 0);
          click(section.querySelector(`input[value="${right ? best : worst}"]`));
          break;
        }
        case "multiple":
          q.options.forEach((o, i) => {
            if (right ? o.fraction > 0 : o.fraction <= 0) click(section.querySelector(`input[value="${i}"]`));
          });
          break;
        case "truefalse":
          click(section.querySelector(`input[value="${right ? q.answer : !q.answer}"]`));
          break;
        case "short": {
          const a = q.answers.find((x) => x.fraction >= 1).text.replace(/\*/g, "x");
          type(section.querySelector("input[type=text]"), right ? a : "zzz");
          break;
        }
        case "numerical": {
          const a = q.answers.find((x) => x.fraction >= 1);
          type(section.querySelector("input[type=text]"), String(right ? a.value : a.value + a.tolerance + 1000));
          break;
        }
        case "matching":
          section.querySelectorAll("select").forEach((el, i) => {
            const wrong = (q.correct[i] + 1) % q.options.length;
            choose(el, right ? q.correct[i] : wrong);
          });
          break;
        case "ordering": {
          // move each item up with its button until the list is in the right (or reversed) order
          const want = q.items.map((_, i) => i);
          if (!right) want.reverse();
          for (let pos = 0; pos < want.length; pos++) {
            let li = section.querySelector(`.order-list li[data-item="${want[pos]}"]`);
            while (Array.prototype.indexOf.call(li.parentNode.children, li) > pos) {
              li.querySelector('[data-action="up"]').click();
            }
          }
          break;
        }
        case "cloze":
          section.querySelectorAll("select, input.gap-input").forEach((el, i) => {
            const gap = q.gaps[i];
            const best = gap.options.findIndex((o) => o.fraction >= 1);
            if (el.tagName === "SELECT") {
              const worst = gap.options.findIndex((o) => o.fraction <= 0);
              choose(el, right ? best : worst);
            } else {
              const text = gap.kind === "numeric"
                ? String(right ? parseFloat(gap.options[best].text) : 99999)
                : right ? gap.options[best].text.replace(/\*/g, "x") : "zzz";
              type(el, text);
            }
          });
          break;
        case "essay":
          type(section.querySelector("textarea"), "Библиотеката ще предложи клуб за дигитални умения.");
          break;
      }
      done.push(q.id);
    });
  });
  return done;
}
