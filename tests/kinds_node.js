/* Runs packager/targets/html/theme/kinds.js in Node (no browser): reads a JSON list of calls
 * on stdin and writes their results as a JSON list on stdout. A call is one of
 *   {"call": "grade", "q": question data, "r": response}
 *   {"call": "right", "q": ..., "labels": {"true": "...", "false": "..."}}
 *   {"call": "interaction", "q": ..., "r": ..., "edition": "1.2" | "2004"}
 *   {"call": "normalise", "text": "...", "caseSensitive": false}
 *   {"call": "parseNumber", "text": "...", "unit": "%"}
 *   {"call": "sha256", "text": "..."}   (hex of the UTF-8 text's digest)
 *   {"call": "reveal", "q": ...}
 * Usage: node tests/kinds_node.js path/to/kinds.js < calls.json */
"use strict";
const fs = require("fs");
const vm = require("vm");

const window = {};
const context = vm.createContext({ window, TextEncoder, TextDecoder, atob, console });
vm.runInContext(fs.readFileSync(process.argv[2], "utf-8"), context);
const KINDS = window.CourseKinds;
const KEYS = window.CourseKeys;

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
// the notation scorm.js hands to interaction(), per edition
function notation(is2004) {
  return {
    is2004,
    choiceIds: (list) => list.map((i) => (is2004 ? "c" + (i + 1) : LETTERS.charAt(i))),
    joinList: (list) => list.join(is2004 ? "[,]" : ","),
    clean: (text, limit) => String(text).replace(/\s+/g, " ").trim().slice(0, limit),
  };
}

function run(c) {
  switch (c.call) {
    case "grade": {
      const kind = KINDS[c.q.kind];
      return kind.grade ? kind.grade(c.q, c.r) : null;
    }
    case "right":
      return KINDS[c.q.kind].right(c.q, c.labels || { true: "true", false: "false" });
    case "interaction":
      return KINDS[c.q.kind].interaction(c.q, c.r, notation(c.edition === "2004"));
    case "normalise":
      return KEYS.normalise(c.text, !!c.caseSensitive);
    case "parseNumber":
      return KEYS.parseNumber(c.text, c.unit || "");
    case "sha256":
      return Buffer.from(KEYS.sha256(new TextEncoder().encode(c.text))).toString("hex");
    case "reveal":
      return KEYS.reveal(c.q);
    default:
      throw new Error("unknown call " + c.call);
  }
}

const calls = JSON.parse(fs.readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(calls.map(run)));
